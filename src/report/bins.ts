/**
 * Equal-width binning done here rather than in Vega: the chart spec then carries a few dozen counts instead of
 * every residual, and the range can be cut at tail quantiles so one outlier does not squash the picture.
 */

/** Counts per bin over [edges[0], edges[bins]]; values outside were counted in the first/last bin. */
export interface Binned {
  edges: number[];
  counts: number[];
  /** Finite values binned. */
  n: number;
  /** Values below / above the range, counted in the edge bins. */
  below: number;
  above: number;
  /** Non-finite values skipped. */
  skipped: number;
  mean: number;
}

/** The range a histogram shows by default: the 0.5% and 99.5% quantiles of the finite values. */
export function tailRange(values: readonly number[], tail = 0.005): [number, number] | undefined {
  const xs = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (xs.length === 0) return undefined;
  const q = (p: number) => xs[Math.min(xs.length - 1, Math.max(0, Math.round(p * (xs.length - 1))))]!;
  return [q(tail), q(1 - tail)];
}

/**
 * Bin `values` into about `bins` equal bins over `range` (default tailRange). Values on an integer lattice (sales
 * minus integer quantiles) get whole-number bins centred on the lattice points: fractional bins over integer
 * data leave empty bins between full ones, a comb that reads as noise.
 */
export function binValues(values: readonly number[], bins: number, range = tailRange(values)): Binned {
  let nb = Math.max(1, Math.floor(bins));
  let [lo, hi] = range ?? [0, 1];
  const origin = latticeOrigin(values);
  if (origin !== undefined) {
    const step = Math.max(1, Math.ceil((hi - lo + 1) / nb));
    lo = origin + Math.floor((lo - origin) / step) * step - 0.5;
    nb = Math.max(1, Math.ceil((hi + 0.5 - lo) / step));
    hi = lo + nb * step;
  } else if (!(hi > lo)) [lo, hi] = [lo - 0.5, hi + 0.5];
  const width = (hi - lo) / nb;
  const counts = new Array<number>(nb).fill(0);
  let n = 0;
  let below = 0;
  let above = 0;
  let skipped = 0;
  let sum = 0;
  for (const v of values) {
    if (!Number.isFinite(v)) {
      skipped++;
      continue;
    }
    n++;
    sum += v;
    if (v < lo) below++;
    if (v > hi) above++;
    const i = Math.min(nb - 1, Math.max(0, Math.floor((v - lo) / width)));
    counts[i]!++;
  }
  const edges = Array.from({ length: nb + 1 }, (_, i) => lo + i * width);
  return { edges, counts, n, below, above, skipped, mean: n > 0 ? sum / n : Number.NaN };
}

/** A finite value v0 such that every finite value is v0 plus an integer, or undefined. */
function latticeOrigin(values: readonly number[]): number | undefined {
  let origin: number | undefined;
  for (const v of values) {
    if (!Number.isFinite(v)) continue;
    if (origin === undefined) origin = v;
    else if (Math.abs(v - origin - Math.round(v - origin)) > 1e-9) return undefined;
  }
  return origin;
}
