import { Rng } from "../core/rng.ts";
import type { FeatureMatrix } from "../features/build.ts";
import type { Metric } from "../gbdt/metrics.ts";

/**
 * Per-series target scaling of the global GBDT: the target is divided by a level of its series known at the
 * origin (a rolling mean of demand up to the cutoff, i.e. an as-of feature, so it cannot leak), and predictions
 * are multiplied back. One tree model then fits shapes shared by large and small series instead of splitting
 * mostly on level. With weight "scale" every row weighs its scale, so the pinball objective on scaled targets
 * equals the raw pinball loss (the metric is Σ pinball / Σ actual, dominated by large series).
 */
export interface ScaleSpec {
  /** Preferred rolling-mean window (days); a `demand_mean_w{window}` feature must exist. */
  window: number;
  /** Smallest scale (units/day): new, empty or near-zero series would otherwise blow targets up. */
  floor: number;
  /** Row weights: "scale" (objective = raw pinball), "sqrt" (between), "none" (every row equal). */
  weight: "scale" | "sqrt" | "none";
  /**
   * Also divide the demand-level features (lags, rolling means/std/min/max/quantiles, same-weekday means, a
   * year ago) by the row's scale, so splits on them are relative to the series' level like the targets; the
   * window's own mean stays raw (the level itself).
   */
  relative?: boolean;
}

/**
 * The scaling `gbdt_quantile` uses unless told otherwise, chosen on one fold of each dataset (docs/forecasting.md):
 * the 364-day mean (steadier than 28/91 days), rows unweighted (better than weight = scale or its square root on
 * both datasets, and it keeps the learner's fast unweighted histograms), level features relative to the scale.
 */
export const DEFAULT_SCALE: ScaleSpec = { window: 364, floor: 0.25, weight: "none", relative: true };

/**
 * Scale of every row of a feature matrix: the mean of demand over the spec's window up to the cutoff, else
 * the other mean windows (longest first: a series too new for 91 days has 28), else the floor.
 */
export function rowScales(m: FeatureMatrix, spec: ScaleSpec): Float32Array {
  const means = m.names
    .map((name) => /^demand_mean_w(\d+)$/.exec(name))
    .filter((x) => x !== null)
    .map((x) => ({ w: Number(x[1]), col: m.columns[m.names.indexOf(x[0])]! }));
  const preferred = means.find((x) => x.w === spec.window);
  if (!preferred) throw new Error(`target scaling needs the feature demand_mean_w${spec.window}`);
  const order = [preferred, ...means.filter((x) => x !== preferred).sort((a, b) => b.w - a.w)];
  const n = m.rows.series.length;
  const out = new Float32Array(n);
  for (let r = 0; r < n; r++) {
    let s = Number.NaN;
    for (const { col } of order) {
      s = col[r]!;
      if (Number.isFinite(s)) break;
    }
    out[r] = Number.isFinite(s) ? Math.max(spec.floor, s) : spec.floor;
  }
  return out;
}

/** Row weight of a scale under the spec. */
export function scaleWeight(scale: number, spec: ScaleSpec): number {
  return spec.weight === "scale" ? scale : spec.weight === "sqrt" ? Math.sqrt(scale) : 1;
}

/**
 * Scaled training targets of counts: (y + U[0,1)) / scale. Jittering before scaling keeps the count trick of
 * the unscaled model (the quantile of y + U floored is exactly the quantile of y), which flooring after
 * unscaling restores. NaN targets stay NaN.
 */
export function scaledCountTargets(
  target: ArrayLike<number>,
  scale: ArrayLike<number>,
  seed: number,
): Float32Array {
  const rng = Rng.derive(seed, 0x5ca1e);
  return Float32Array.from(target, (y, r) => (y + rng.next()) / scale[r]!);
}

/** A prediction on the scaled axis back in units: floored count, never negative. */
export function unscaleCount(pred: number, scale: number): number {
  return Math.max(0, Math.floor(pred * scale));
}

/**
 * Early-stopping metric of a scaled model: the pinball loss of the unscaled, floored predictions against the
 * raw holdout demand (what the backtest scores), whatever labels and weights the learner passes.
 */
export function unscaledPinball(alpha: number, actual: Float32Array, scale: Float32Array): Metric {
  return {
    name: `unscaled-pinball@${alpha}`,
    higherIsBetter: false,
    evaluate(_y, pred) {
      let s = 0;
      for (let i = 0; i < actual.length; i++) {
        const a = actual[i]!;
        const q = unscaleCount(pred[i]!, scale[i]!);
        s += a >= q ? alpha * (a - q) : (1 - alpha) * (q - a);
      }
      return s / Math.max(1, actual.length);
    },
  };
}

const LEVEL_FEATURE =
  /^demand_(lag\d+|mean_w\d+|std_w\d+|min_w\d+|max_w\d+|q\d+_w\d+|same_weekday_mean_\d+w|year_ago|year_ago_mean_w7)$/;

/** 1 for each feature relativeFeatures divides by the row's scale (none unless spec.relative). */
export function relativeMask(names: readonly string[], spec: ScaleSpec): Uint8Array {
  const keep = `demand_mean_w${spec.window}`;
  return Uint8Array.from(
    names,
    (name) => +(spec.relative === true && name !== keep && LEVEL_FEATURE.test(name)),
  );
}

/**
 * The matrix with its demand-level features divided by the rows' scales (spec.relative), else the matrix
 * itself. Scales must come from the raw matrix (rowScales) before this. `alloc` gives the new columns (serving
 * passes buffers it keeps; every element is written).
 */
export function relativeFeatures(
  m: FeatureMatrix,
  scale: Float32Array,
  spec: ScaleSpec,
  alloc: (length: number) => Float32Array = (length) => new Float32Array(length),
): FeatureMatrix {
  if (!spec.relative) return m;
  const divided = relativeMask(m.names, spec);
  const columns = m.columns.map((col, f) => {
    if (divided[f] === 0) return col;
    // A plain loop: Float32Array.from with a map function is several times slower on forecast-sized columns.
    const out = alloc(col.length);
    for (let r = 0; r < col.length; r++) out[r] = col[r]! / scale[r]!;
    return out;
  });
  return { ...m, columns };
}
