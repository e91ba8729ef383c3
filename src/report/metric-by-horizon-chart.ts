/** A metric against forecast horizon (days ahead), one line per model with its confidence band where given. */
import type { TopLevelSpec } from "vega-lite";
import { noDataSpec } from "./no-data.ts";
import { colorsFor, type ModelColors, modelColorEncoding } from "./theme.ts";

/** One model at one horizon; lo/hi bound a confidence interval when known. */
export interface HorizonRow {
  model: string;
  horizon: number;
  value: number;
  lo?: number | null;
  hi?: number | null;
}

/** Options of metricByHorizonChart. */
export interface HorizonOptions {
  title?: string;
  colors?: ModelColors;
}

/** Lines of `metricLabel` by horizon per model, with shaded CI bands where rows carry lo and hi. */
export function metricByHorizonChart(
  rows: readonly HorizonRow[],
  metricLabel: string,
  options: HorizonOptions = {},
): TopLevelSpec {
  const title = options.title ?? `${metricLabel} by horizon`;
  if (rows.length === 0) return noDataSpec(title, `no ${metricLabel} values per horizon`);
  const colors = colorsFor(
    rows.map((r) => r.model),
    options.colors,
  );
  const values = rows.map((r) => ({
    model: r.model,
    horizon: r.horizon,
    value: r.value,
    lo: r.lo,
    hi: r.hi,
  }));
  const hasBands = rows.some((r) => isNum(r.lo) && isNum(r.hi));
  const minH = Math.min(...rows.map((r) => r.horizon));
  const maxH = Math.max(...rows.map((r) => r.horizon));
  const x = {
    field: "horizon",
    type: "quantitative",
    title: "horizon (days after origin)",
    axis: { tickMinStep: 1, format: "d" },
    scale: { nice: false, domain: [minH, maxH] as [number, number] },
  } as const;
  const color = {
    ...modelColorEncoding(colors),
    // The band layer comes first (drawn under the lines) and would lend the legend its faint opacity.
    legend: { symbolOpacity: 1, symbolType: "stroke", symbolStrokeWidth: 2.5 },
  } as const;
  return {
    title: { text: title, ...(hasBands ? { subtitle: "Shaded: 95% confidence interval" } : {}) },
    description: title,
    data: { values },
    layer: [
      ...(hasBands
        ? [
            {
              transform: [{ filter: "isValid(datum.lo) && isValid(datum.hi)" }],
              mark: { type: "area", opacity: 0.16 },
              encoding: {
                x,
                y: { field: "lo", type: "quantitative" },
                y2: { field: "hi" },
                color,
              },
            },
          ]
        : []),
      {
        mark: { type: "line", point: maxH <= 31 },
        encoding: {
          x,
          y: { field: "value", type: "quantitative", title: metricLabel, scale: { zero: false } },
          color,
        },
      },
    ],
  } as TopLevelSpec;
}

function isNum(v: number | null | undefined): v is number {
  return typeof v === "number" && Number.isFinite(v);
}
