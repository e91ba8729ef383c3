import { Rng } from "../core/rng.ts";
import { quantileSorted } from "../core/stats.ts";

/** Mean paired difference b − a over units, with a 95% percentile-bootstrap interval. */
export interface PairedDelta {
  /** Mean of b[i] − a[i] over the units where both are finite. */
  delta: number;
  lo: number;
  hi: number;
  /** Units used. */
  n: number;
  /** The interval excludes 0. */
  significant: boolean;
}

/**
 * Paired bootstrap of the mean difference b − a, resampling units (series) with replacement: pairing removes
 * the between-series variation that dominates two separate intervals. Units where either value is not finite
 * are left out. Fewer than two units, or `draws` 0, give NaN bounds and "not significant".
 */
export function pairedDelta(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  options: { draws?: number; seed?: number } = {},
): PairedDelta {
  if (a.length !== b.length)
    throw new Error(`pairedDelta: ${a.length} vs ${b.length} values; pair them first`);
  const diffs: number[] = [];
  for (let i = 0; i < a.length; i++) {
    const d = b[i]! - a[i]!;
    if (Number.isFinite(d)) diffs.push(d);
  }
  const n = diffs.length;
  const delta = n > 0 ? diffs.reduce((s, d) => s + d, 0) / n : Number.NaN;
  const draws = options.draws ?? 2000;
  if (n < 2 || draws <= 0) return { delta, lo: Number.NaN, hi: Number.NaN, n, significant: false };
  const d = Float64Array.from(diffs);
  const rng = new Rng(options.seed ?? 1);
  const means = new Float64Array(draws);
  for (let k = 0; k < draws; k++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += d[rng.int(n)]!;
    means[k] = s / n;
  }
  means.sort();
  const lo = quantileSorted(means, 0.025);
  const hi = quantileSorted(means, 0.975);
  return { delta, lo, hi, n, significant: lo > 0 || hi < 0 };
}
