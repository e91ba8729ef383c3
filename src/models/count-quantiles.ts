import { normalQuantile } from "../core/normal.ts";

/**
 * Quantiles of count distributions, for models that forecast a mean (TSB, Tweedie GBDT): Poisson, or
 * negative binomial with size r (variance = mean + mean^2 / r) when the data are over-dispersed.
 */

/** Smallest k with P(X <= k) >= tau for X ~ NegBin(mean, size); Poisson when size is Infinity. */
export function countQuantile(mean: number, size: number, tau: number): number {
  if (!(mean > 0)) return 0;
  if (mean > 500) {
    // The pmf recurrence would start from an underflowing P(0); the normal approximation is excellent here.
    const sd = Math.sqrt(mean + (Number.isFinite(size) ? (mean * mean) / size : 0));
    return Math.max(0, Math.ceil(mean + sd * normalQuantile(tau) - 0.5));
  }
  const poisson = !Number.isFinite(size);
  const p = poisson ? 0 : size / (size + mean);
  // P(X = 0), then the recurrence P(k+1) = P(k) * ratio(k)
  let pk = poisson ? Math.exp(-mean) : p ** size;
  let cdf = pk;
  let k = 0;
  const cap = mean * 50 + 1000;
  while (cdf < tau && k < cap) {
    pk *= poisson ? mean / (k + 1) : ((k + size) / (k + 1)) * (1 - p);
    cdf += pk;
    k++;
  }
  return k;
}

/**
 * Negative-binomial size r by the method of moments (var = m + m^2/r); Infinity (Poisson) when the sample
 * is not over-dispersed. Ignores NaN.
 */
export function momentSize(values: ArrayLike<number>): number {
  let n = 0;
  let s = 0;
  let s2 = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (Number.isNaN(v)) continue;
    n++;
    s += v;
    s2 += v * v;
  }
  if (n < 2) return Number.POSITIVE_INFINITY;
  const m = s / n;
  const variance = (s2 - n * m * m) / (n - 1);
  return variance > m * 1.0001 ? (m * m) / (variance - m) : Number.POSITIVE_INFINITY;
}
