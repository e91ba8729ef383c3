import type { FeatureRows } from "../features/build.ts";
import type { QuantileForecast } from "./forecaster.ts";

/**
 * Fills `f.mean` on the given rows with the mean of the piecewise-linear quantile function through the forecast
 * levels (levels sorted first), flat below the lowest and above the highest level: E[Y] = integral of Q(tau).
 * A quantile-only model has no mean of its own; this one is consistent with its quantiles, and it errs low on
 * heavy right tails (nothing above the top level is counted beyond it).
 */
export function meanFromQuantiles(f: QuantileForecast, rows: FeatureRows): void {
  const L = f.levels.length;
  const q = new Float64Array(L);
  const mean = f.mean ?? new Float32Array(f.nSeries * f.horizon);
  f.mean = mean;
  for (let r = 0; r < rows.series.length; r++) {
    const cell = rows.series[r]! * f.horizon + rows.horizon[r]! - 1;
    for (let k = 0; k < L; k++) q[k] = f.q[cell * L + k]!;
    q.sort();
    mean[cell] = quantileIntegral(f.levels, q);
  }
}

/** Integral over [0, 1] of the piecewise-linear function through (levels[k], q[k]), constant beyond the ends. */
export function quantileIntegral(levels: readonly number[], q: ArrayLike<number>): number {
  const L = levels.length;
  if (L === 0) return Number.NaN;
  let s = levels[0]! * q[0]! + (1 - levels[L - 1]!) * q[L - 1]!;
  for (let k = 1; k < L; k++) s += ((levels[k]! - levels[k - 1]!) * (q[k]! + q[k - 1]!)) / 2;
  return s;
}
