/**
 * Calibration of quantile forecasts: observed coverage against nominal level. With integer sales many actuals
 * equal the forecast quantile, so P(y < q) and P(y <= q) differ; a quantile is calibrated when the level lies
 * between them, which is why each point is drawn as the range between the two.
 */
import type { TopLevelSpec } from "vega-lite";
import { noDataSpec } from "./no-data.ts";
import { colorsFor, type ModelColors, modelColorEncoding } from "./theme.ts";

/** One model at one quantile level: the share of actuals at or below (Le) and strictly below (Lt) the quantile. */
export interface CalibrationRow {
  model: string;
  level: number;
  coverageLe: number;
  coverageLt: number;
}

/** Options of calibrationChart. */
export interface CalibrationOptions {
  title?: string;
  colors?: ModelColors;
  /** Shade +-tolerance around zero in the deviation panel (e.g. 0.03 for an acceptance rule). */
  tolerance?: number;
}

/**
 * Two panels: coverage vs nominal level with the diagonal (overview), and coverage minus level per level with
 * the models side by side (where misses of a few points, invisible on a 0-1 axis, can be read).
 */
export function calibrationChart(
  rows: readonly CalibrationRow[],
  options: CalibrationOptions = {},
): TopLevelSpec {
  const title = options.title ?? "Calibration: coverage of each quantile";
  if (rows.length === 0) return noDataSpec(title, "no coverage rows (no model was evaluated)");
  const colors = colorsFor(
    rows.map((r) => r.model),
    options.colors,
  );
  const models = colors.domain.filter((m) => rows.some((r) => r.model === m));
  // Spread models a little along x so their ranges at the same level do not hide each other.
  const spread = 0.008;
  const values = rows.map((r) => ({
    model: r.model,
    level: r.level,
    levelLabel: String(r.level),
    x: r.level + (models.indexOf(r.model) - (models.length - 1) / 2) * spread,
    le: r.coverageLe,
    lt: r.coverageLt,
    dLe: r.coverageLe - r.level,
    dLt: r.coverageLt - r.level,
  }));
  const levels = [...new Set(rows.map((r) => r.level))].sort((a, b) => a - b).map(String);
  const color = modelColorEncoding(colors);
  const unit = { type: "quantitative", scale: { domain: [0, 1] }, axis: { format: ".0%" } } as const;
  const tol = options.tolerance;
  return {
    title: {
      text: title,
      subtitle:
        "Each mark spans P(y < q) (open circle) to P(y \u2264 q) (filled); calibrated when it meets the level.",
    },
    description: title,
    data: { values },
    hconcat: [
      {
        width: 260,
        height: 260,
        layer: [
          {
            data: {
              values: [
                { a: 0, b: 0 },
                { a: 1, b: 1 },
              ],
            },
            mark: { type: "line", color: "#999999", strokeDash: [4, 4], strokeWidth: 1 },
            encoding: { x: { field: "a", ...unit }, y: { field: "b", ...unit } },
          },
          {
            mark: { type: "rule", strokeWidth: 2 },
            encoding: {
              x: { field: "x", ...unit, title: "nominal level \u03c4" },
              y: { field: "lt", ...unit, title: "observed coverage" },
              y2: { field: "le" },
              color,
            },
          },
          pointLayer("x", "le", true, color, unit),
          pointLayer("x", "lt", false, color, unit),
        ],
      },
      {
        width: Math.max(260, levels.length * (16 + 12 * models.length)),
        height: 260,
        layer: [
          ...(tol
            ? [
                {
                  data: { values: [{ lo: -tol, hi: tol }] },
                  mark: { type: "rect", color: "#000000", opacity: 0.06 },
                  encoding: { y: { field: "lo", type: "quantitative" }, y2: { field: "hi" } },
                } as const,
              ]
            : []),
          {
            data: { values: [{ zero: 0 }] },
            mark: { type: "rule", color: "#999999", strokeDash: [4, 4] },
            encoding: { y: { field: "zero", type: "quantitative" } },
          },
          {
            mark: { type: "rule", strokeWidth: 2 },
            encoding: {
              x: {
                field: "levelLabel",
                type: "ordinal",
                sort: levels,
                title: "nominal level \u03c4",
                axis: { labelAngle: 0 },
              },
              xOffset: { field: "model", type: "nominal", scale: { domain: models } },
              y: {
                field: "dLt",
                type: "quantitative",
                title: "coverage minus \u03c4",
                axis: { format: "+.1%" },
              },
              y2: { field: "dLe" },
              color,
            },
          },
          devPointLayer("dLe", true, color, levels, models),
          devPointLayer("dLt", false, color, levels, models),
        ],
      },
    ],
  } as TopLevelSpec;
}

function pointLayer(x: string, y: string, filled: boolean, color: object, unit: object) {
  return {
    mark: { type: "point", filled, size: 36, strokeWidth: 1.5, opacity: 1 },
    encoding: { x: { field: x, ...unit }, y: { field: y, ...unit }, color },
  };
}

function devPointLayer(y: string, filled: boolean, color: object, levels: string[], models: string[]) {
  return {
    mark: { type: "point", filled, size: 36, strokeWidth: 1.5, opacity: 1 },
    encoding: {
      x: { field: "levelLabel", type: "ordinal", sort: levels },
      xOffset: { field: "model", type: "nominal", scale: { domain: models } },
      y: { field: y, type: "quantitative" },
      color,
    },
  };
}
