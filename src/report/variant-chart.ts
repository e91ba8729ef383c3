/**
 * Learning curve by model variant: one dot per variant (grouped by what was varied) at its validation loss, with
 * the main model's loss as a dashed rule, so "simpler is as good" or "more helps" reads at a glance.
 */
import type { TopLevelSpec } from "vega-lite";
import { noDataSpec } from "./no-data.ts";
import { MODEL_PALETTE } from "./theme.ts";

/** One variant: what was varied (`group`), its label and its loss. */
export interface VariantPoint {
  group: string;
  label: string;
  value: number;
  isMain: boolean;
}

/** Options of variantChart. */
export interface VariantOptions {
  title: string;
  xLabel: string;
  subtitle?: string;
}

/** Dots per variant in input order, coloured by group, with a rule at the main variant's value. */
export function variantChart(rows: readonly VariantPoint[], options: VariantOptions): TopLevelSpec {
  const { title } = options;
  const shown = rows.filter((r) => Number.isFinite(r.value));
  if (shown.length === 0) return noDataSpec(title, `no ${options.xLabel} values`);
  const main = shown.find((r) => r.isMain);
  const groups = [...new Set(shown.map((r) => r.group))];
  const y = { field: "label", type: "nominal", sort: null, title: null } as const;
  return {
    title: { text: title, ...(options.subtitle ? { subtitle: options.subtitle } : {}) },
    description: title,
    height: { step: 22 },
    width: 420,
    layer: [
      ...(main
        ? [
            {
              data: { values: [{ x: main.value }] },
              mark: { type: "rule", color: "#777777", strokeDash: [4, 3] },
              encoding: { x: { field: "x", type: "quantitative" } },
            },
          ]
        : []),
      {
        data: { values: shown },
        mark: { type: "point", filled: true, size: 70 },
        encoding: {
          y,
          x: {
            field: "value",
            type: "quantitative",
            title: options.xLabel,
            scale: { zero: false },
          },
          color: {
            field: "group",
            type: "nominal",
            title: "varied",
            scale: { domain: groups, range: MODEL_PALETTE.slice(0, groups.length) },
          },
        },
      },
      {
        data: { values: shown },
        mark: { type: "text", align: "left", dx: 7, fontSize: 10, color: "#333333" },
        encoding: {
          y,
          x: { field: "value", type: "quantitative" },
          text: { field: "value", type: "quantitative", format: ".4~r" },
        },
      },
    ],
  } as TopLevelSpec;
}
