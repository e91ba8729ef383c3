/** Histograms of a distribution (residuals), alone or one panel per group (per quantile model) on one x range. */
import type { TopLevelSpec } from "vega-lite";
import { binValues, tailRange } from "./bins.ts";
import { formatNumber } from "./format.ts";
import { noDataSpec } from "./no-data.ts";
import { MODEL_PALETTE, PLOT } from "./theme.ts";

/** Options of histogramChart and histogramFacetChart. */
export interface HistogramOptions {
  title: string;
  xLabel: string;
  /** Number of equal-width bins (default 40). */
  bins?: number;
  /** Shown x range; default: 0.5%-99.5% quantiles of all values (outside values go to the edge bins). */
  range?: [number, number];
  /** Draw a rule at zero (residuals: the sign is the direction of the error). Default true. */
  zeroRule?: boolean;
  subtitle?: string;
  color?: string;
}

/** One histogram, with the mean as a labelled rule and zero as a dashed rule. */
export function histogramChart(values: readonly number[], options: HistogramOptions): TopLevelSpec {
  return histogramFacetChart([{ label: "", values }], { ...options, columns: 1 });
}

/** One histogram panel per group, all on the same bins so the panels compare directly. */
export function histogramFacetChart(
  groups: readonly { label: string; values: readonly number[] }[],
  options: HistogramOptions & { columns?: number },
): TopLevelSpec {
  const { title } = options;
  const all = groups.flatMap((g) => g.values.filter(Number.isFinite));
  if (all.length === 0) return noDataSpec(title, `no finite ${options.xLabel} values`);
  const range = options.range ?? tailRange(all)!;
  const binned = groups.map((g) => ({ label: g.label, b: binValues(g.values, options.bins ?? 40, range) }));
  const rows = binned.flatMap(({ label, b }) => [
    ...b.counts.map((count, i) => ({ panel: label, kind: "bin", lo: b.edges[i], hi: b.edges[i + 1], count })),
    { panel: label, kind: "mean", x: b.mean, text: `mean ${formatNumber(b.mean)}` },
    { panel: label, kind: "zero", x: 0 },
  ]);
  const outside = binned.reduce((s, { b }) => s + b.below + b.above, 0);
  const notes = [
    options.subtitle,
    `n = ${all.length.toLocaleString("en-US")}`,
    outside > 0
      ? `${outside.toLocaleString("en-US")} values outside the range are counted in the edge bins`
      : "",
  ].filter(Boolean);
  const x = {
    field: "lo",
    type: "quantitative",
    title: options.xLabel,
    scale: { domain: range, nice: false },
  };
  const showZero = (options.zeroRule ?? true) && range[0] < 0 && range[1] > 0;
  const layers = [
    {
      transform: [{ filter: "datum.kind === 'bin'" }],
      mark: {
        type: "rect",
        color: options.color ?? MODEL_PALETTE[0],
        opacity: 0.85,
        stroke: "white",
        strokeWidth: 0.5,
      },
      encoding: { x, x2: { field: "hi" }, y: { field: "count", type: "quantitative", title: "count" } },
    },
    ...(showZero
      ? [
          {
            transform: [{ filter: "datum.kind === 'zero'" }],
            mark: { type: "rule", color: "#333333", strokeDash: [4, 3] },
            encoding: { x: { field: "x", type: "quantitative" } },
          },
        ]
      : []),
    {
      transform: [{ filter: "datum.kind === 'mean' && isValid(datum.x)" }],
      layer: [
        {
          mark: { type: "rule", color: "#D55E00", strokeWidth: 1.5 },
          encoding: { x: { field: "x", type: "quantitative" } },
        },
        {
          mark: { type: "text", align: "left", dx: 3, baseline: "top", y: 2, fontSize: 10, color: "#D55E00" },
          encoding: { x: { field: "x", type: "quantitative" }, text: { field: "text" } },
        },
      ],
    },
  ];
  const single = groups.length === 1;
  const panelWidth = single ? PLOT.width : 260;
  return {
    title: { text: title, subtitle: notes.join(" \u00b7 ") },
    description: title,
    data: { values: rows },
    ...(single
      ? { width: panelWidth, height: 220, layer: layers }
      : {
          facet: { field: "panel", type: "nominal", title: null, sort: groups.map((g) => g.label) },
          columns: options.columns ?? 3,
          spec: { width: panelWidth, height: 150, layer: layers },
          resolve: { scale: { y: "independent" } },
        }),
  } as TopLevelSpec;
}
