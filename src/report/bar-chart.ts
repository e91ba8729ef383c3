/** Horizontal bars of one value per label, largest first: feature importances and similar rankings. */
import type { TopLevelSpec } from "vega-lite";
import { noDataSpec } from "./no-data.ts";
import { MODEL_PALETTE } from "./theme.ts";

/** One bar. */
export interface BarRow {
  label: string;
  value: number;
}

/** Options of barChart. */
export interface BarOptions {
  title: string;
  xLabel: string;
  subtitle?: string;
  /** Keep the `top` largest values (the rest are summed into a note in the subtitle). */
  top?: number;
  color?: string;
}

/** Bars sorted by value, labels on the y axis, the value written at the end of each bar. */
export function barChart(rows: readonly BarRow[], options: BarOptions): TopLevelSpec {
  const { title } = options;
  if (rows.length === 0) return noDataSpec(title, `no ${options.xLabel} values`);
  const sorted = [...rows].sort((a, b) => b.value - a.value || a.label.localeCompare(b.label));
  const top = options.top ?? sorted.length;
  const shown = sorted.slice(0, top);
  const rest = sorted.length - shown.length;
  const subtitle = [options.subtitle, rest > 0 ? `Top ${shown.length} of ${sorted.length}` : undefined]
    .filter(Boolean)
    .join(" \u00b7 ");
  const y = { field: "label", type: "nominal", sort: null, title: null } as const;
  return {
    title: { text: title, ...(subtitle ? { subtitle } : {}) },
    description: title,
    data: { values: shown },
    height: { step: 18 },
    layer: [
      {
        mark: { type: "bar", color: options.color ?? MODEL_PALETTE[0], height: { band: 0.75 } },
        encoding: { y, x: { field: "value", type: "quantitative", title: options.xLabel } },
      },
      {
        mark: { type: "text", align: "left", dx: 3, fontSize: 10, color: "#333333" },
        encoding: {
          y,
          x: { field: "value", type: "quantitative" },
          text: { field: "value", type: "quantitative", format: ".3~s" },
        },
      },
    ],
  } as TopLevelSpec;
}
