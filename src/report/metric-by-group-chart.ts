/** A metric per group (category, store, price band, ...): dots per model with CI whiskers, groups as rows. */
import type { TopLevelSpec } from "vega-lite";
import { noDataSpec } from "./no-data.ts";
import { colorsFor, type ModelColors, modelColorEncoding } from "./theme.ts";

/** One model in one group; lo/hi bound a confidence interval when known. */
export interface GroupRow {
  model: string;
  group: string;
  value: number;
  lo?: number | null;
  hi?: number | null;
}

/** Options of metricByGroupChart. */
export interface GroupOptions {
  title?: string;
  colors?: ModelColors;
  /** Order of the groups top to bottom; default: order of first appearance in the rows. */
  groups?: string[];
}

/**
 * Groups on the y axis (long category names stay readable), models side by side within a group, the metric on
 * x. Dots rather than bars: a metric's zero is often far from the values compared.
 */
export function metricByGroupChart(
  rows: readonly GroupRow[],
  metricLabel: string,
  groupLabel: string,
  options: GroupOptions = {},
): TopLevelSpec {
  const title = options.title ?? `${metricLabel} by ${groupLabel}`;
  if (rows.length === 0) return noDataSpec(title, `no ${metricLabel} values per ${groupLabel}`);
  const colors = colorsFor(
    rows.map((r) => r.model),
    options.colors,
  );
  const models = colors.domain.filter((m) => rows.some((r) => r.model === m));
  const groups = options.groups ?? [...new Set(rows.map((r) => r.group))];
  const values = rows.map((r) => ({ model: r.model, group: r.group, value: r.value, lo: r.lo, hi: r.hi }));
  const hasCi = rows.some((r) => Number.isFinite(r.lo) && Number.isFinite(r.hi));
  const y = { field: "group", type: "nominal", sort: groups, title: groupLabel } as const;
  const yOffset = { field: "model", type: "nominal", scale: { domain: models, paddingOuter: 0.4 } } as const;
  const color = modelColorEncoding(colors);
  return {
    title: { text: title, ...(hasCi ? { subtitle: "Whiskers: 95% confidence interval" } : {}) },
    description: title,
    data: { values },
    // Fixed pixels per group: a step size would apply per model (the offset band), not per group.
    height: groups.length * Math.max(24, 10 * models.length + 10),
    layer: [
      ...(hasCi
        ? [
            {
              transform: [{ filter: "isValid(datum.lo) && isValid(datum.hi)" }],
              mark: { type: "rule", strokeWidth: 1.5 },
              encoding: { y, yOffset, x: { field: "lo", type: "quantitative" }, x2: { field: "hi" }, color },
            },
          ]
        : []),
      {
        mark: { type: "point", filled: true, size: 44, opacity: 1 },
        encoding: {
          y,
          yOffset,
          x: { field: "value", type: "quantitative", title: metricLabel, scale: { zero: false } },
          color,
        },
      },
    ],
  } as TopLevelSpec;
}
