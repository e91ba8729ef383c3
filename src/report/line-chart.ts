/** Generic lines of y against x per series: learning curves (loss by iteration) and elasticity curves. */
import type { TopLevelSpec } from "vega-lite";
import { noDataSpec } from "./no-data.ts";
import { colorsFor, type ModelColors } from "./theme.ts";

/** One point of one line. `series` picks the colour; `style`, when given, the dash (e.g. "train"/"validation"). */
export interface LinePoint {
  x: number;
  y: number;
  series: string;
  style?: string;
}

/** Options of lineChart. */
export interface LineOptions {
  title: string;
  xLabel: string;
  yLabel: string;
  subtitle?: string;
  /** Log-scale y (losses spanning orders of magnitude); non-positive values are dropped by the scale. */
  logY?: boolean;
  /** Legend title of the `style` field (the dash pattern); default "line". */
  styleLabel?: string;
  colors?: ModelColors;
  /** Vertical rules at these x values, labelled (e.g. the best iteration chosen by early stopping). */
  markers?: { x: number; label: string }[];
}

/** Dash patterns in order of the styles' first appearance: solid first. */
const DASHES = [
  [1, 0],
  [6, 3],
  [2, 2],
  [8, 3, 2, 3],
];

/** A line per series; series colours follow `colors` (so a model keeps its colour from the backtest charts). */
export function lineChart(rows: readonly LinePoint[], options: LineOptions): TopLevelSpec {
  const { title } = options;
  if (rows.length === 0) return noDataSpec(title, `no points of ${options.yLabel} against ${options.xLabel}`);
  const colors = colorsFor(
    rows.map((r) => r.series),
    options.colors,
  );
  const styles = [...new Set(rows.flatMap((r) => (r.style === undefined ? [] : [r.style])))];
  const values = rows.map((r) => ({ ...r, line: `${r.series} | ${r.style ?? ""}` }));
  const markers = options.markers ?? [];
  return {
    title: { text: title, ...(options.subtitle ? { subtitle: options.subtitle } : {}) },
    description: title,
    layer: [
      {
        data: { values },
        mark: { type: "line", point: rows.length <= 60 ? { size: 16 } : false },
        encoding: {
          x: { field: "x", type: "quantitative", title: options.xLabel, scale: { zero: false } },
          y: {
            field: "y",
            type: "quantitative",
            title: options.yLabel,
            scale: options.logY ? { type: "log" } : { zero: false },
          },
          color: {
            field: "series",
            type: "nominal",
            title: null,
            scale: { domain: colors.domain, range: colors.range },
          },
          // One line per (series, style) even when no dash is drawn.
          detail: { field: "line", type: "nominal" },
          ...(styles.length > 0
            ? {
                strokeDash: {
                  field: "style",
                  type: "nominal",
                  title: options.styleLabel ?? "line",
                  scale: { domain: styles, range: DASHES.slice(0, styles.length) },
                },
              }
            : {}),
        },
      },
      ...(markers.length > 0
        ? [
            {
              data: { values: markers },
              layer: [
                {
                  mark: { type: "rule", color: "#777777", strokeDash: [2, 2] },
                  encoding: { x: { field: "x", type: "quantitative" } },
                },
                {
                  mark: {
                    type: "text",
                    align: "left",
                    dx: 3,
                    baseline: "top",
                    y: 0,
                    fontSize: 10,
                    color: "#555555",
                  },
                  encoding: { x: { field: "x", type: "quantitative" }, text: { field: "label" } },
                },
              ],
            },
          ]
        : []),
    ],
  } as TopLevelSpec;
}
