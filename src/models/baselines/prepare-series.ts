import { normalQuantile } from "../../core/normal.ts";
import { countQuantile } from "../count-quantiles.ts";
import type { QuantileForecast } from "../forecaster.ts";

/**
 * The last `window` days of a history as a gap-free Float64Array for the classical time-series models, which
 * cannot take missing values: an unknown day (stockout, gap) takes the value of the same weekday a week
 * earlier, else the mean of the known days. Returns null when fewer than `minKnown` days are known.
 */
export function gapFree(history: Float32Array, window: number, minKnown: number): Float64Array | null {
  const h = history.subarray(Math.max(0, history.length - window));
  let known = 0;
  let sum = 0;
  for (const v of h) {
    if (!Number.isNaN(v)) {
      known++;
      sum += v;
    }
  }
  if (known < minKnown) return null;
  const mean = sum / known;
  const out = new Float64Array(h.length);
  for (let t = 0; t < h.length; t++) {
    const v = h[t]!;
    out[t] = Number.isNaN(v) ? (t >= 7 ? out[t - 7]! : mean) : v;
  }
  return out;
}

/** Mean of the known values (0 when none). */
export function knownMean(values: ArrayLike<number>): number {
  let n = 0;
  let s = 0;
  for (let i = 0; i < values.length; i++) {
    if (!Number.isNaN(values[i]!)) {
      n++;
      s += values[i]!;
    }
  }
  return n > 0 ? s / n : 0;
}

/** Quantiles of a Gaussian predictive distribution, floored at 0 (demand is never negative). */
export function gaussianQuantiles(
  point: number,
  sd: number,
  levels: readonly number[],
  out: Float32Array,
  at: number,
): void {
  for (let k = 0; k < levels.length; k++) out[at + k] = Math.max(0, point + sd * normalQuantile(levels[k]!));
}

/**
 * Fills series i of a forecast with Poisson quantiles of the mean of its recent known values: the fallback of
 * the per-series time-series models when a series is too short or a fit fails.
 */
export function poissonFallback(f: QuantileForecast, i: number, recent: ArrayLike<number>): void {
  const m = knownMean(recent);
  const qs = f.levels.map((tau) => countQuantile(m, Number.POSITIVE_INFINITY, tau));
  for (let s = 0; s < f.horizon; s++) {
    f.q.set(qs, (i * f.horizon + s) * f.levels.length);
    if (f.mean) f.mean[i * f.horizon + s] = m;
  }
}
