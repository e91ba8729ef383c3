/**
 * Quantile binning, a fitted component saved with the model (ARCHITECTURE.md convention 5; scikit-learn
 * `binning.py`). A numeric feature gets up to maxBins bins bounded by `thresholds` (bin b holds
 * thresholds[b-1] < v <= thresholds[b]); a categorical feature gets one bin per category code (the most frequent
 * maxBins codes). Missing values (NaN) and unseen categories go to their own bin, `missingBin = nBins`, whose
 * direction each split learns.
 */
import { InputError } from "../core/errors.ts";
import { Rng } from "../core/rng.ts";

/** How one feature maps raw values to bins. */
export interface BinMapper {
  /** Numeric (ordered thresholds) or categorical (integer codes). */
  readonly kind: "numeric" | "categorical";
  /** Non-missing bins; the missing bin is `nBins`. At most 255. */
  readonly nBins: number;
  /** Numeric: nBins - 1 ascending upper bounds. Empty for categorical. */
  readonly thresholds: Float64Array;
  /** Categorical: ascending category codes, the bin of code categories[b] is b. Empty for numeric. */
  readonly categories: Float64Array;
}

/** Largest number of non-missing bins (so that bins and the missing bin fit a Uint8). */
export const MAX_BINS = 255;

/** Fits a numeric mapper on a sample of values (NaN ignored). */
export function fitNumeric(sample: Float64Array, maxBins: number): BinMapper {
  // A plain copy loop and a distinct count that stops past maxBins (filter's callback and an array of every
  // distinct value took about as long as the sort): 31 -> 20 ms for 200k continuous values.
  const all = new Float64Array(sample.length);
  let n = 0;
  for (let i = 0; i < sample.length; i++) {
    const x = sample[i];
    if (!Number.isNaN(x)) all[n++] = x;
  }
  const v = all.subarray(0, n).sort();
  const distinct: number[] = [];
  for (let i = 0; i < v.length && distinct.length <= maxBins; i++) {
    if (i === 0 || v[i] !== v[i - 1]) distinct.push(v[i]);
  }
  let thresholds: number[] = [];
  if (distinct.length <= maxBins) {
    for (let i = 1; i < distinct.length; i++) thresholds.push(midpoint(distinct[i - 1], distinct[i]));
  } else {
    // Percentiles with midpoint interpolation, as scikit-learn; duplicates collapse so heavy values get one bin.
    const m = v.length;
    for (let j = 1; j < maxBins; j++) {
      const pos = (j / maxBins) * (m - 1);
      const t = midpoint(v[Math.floor(pos)], v[Math.ceil(pos)]);
      if (thresholds.length === 0 || t > thresholds[thresholds.length - 1]) thresholds.push(t);
    }
    // A threshold equal to the maximum would leave an empty last bin.
    thresholds = thresholds.filter((t) => t < v[m - 1]);
  }
  return {
    kind: "numeric",
    nBins: thresholds.length + 1,
    thresholds: Float64Array.from(thresholds),
    categories: new Float64Array(0),
  };
}

/** Fits a categorical mapper on all values of a column (codes must be integers >= 0; NaN is missing). */
export function fitCategorical(
  values: (i: number) => number,
  n: number,
  maxBins: number,
  column: string,
): BinMapper {
  const counts = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    const x = values(i);
    if (Number.isNaN(x)) continue;
    if (!(Number.isInteger(x) && x >= 0)) {
      throw new InputError(
        `categorical value ${x} is not a non-negative integer code; encode categories as 0, 1, 2, ...`,
        { row: i, column },
      );
    }
    counts.set(x, (counts.get(x) ?? 0) + 1);
  }
  // Keep the most frequent codes (ties by code, for determinism); the rest share the missing bin.
  const kept = [...counts.entries()]
    .sort((a, b) => b[1] - a[1] || a[0] - b[0])
    .slice(0, maxBins)
    .map(([c]) => c)
    .sort((a, b) => a - b);
  return {
    kind: "categorical",
    nBins: Math.max(kept.length, 1),
    thresholds: new Float64Array(0),
    categories: Float64Array.from(kept),
  };
}

/** The bin of value x under mapper m. */
export function binOf(m: BinMapper, x: number): number {
  if (Number.isNaN(x)) return m.nBins;
  if (m.kind === "numeric") return upperBound(m.thresholds, x);
  const b = indexOf(m.categories, x);
  return b < 0 ? m.nBins : b;
}

/** First index b with x <= t[b] (t.length if none): the numeric bin of a non-missing value. */
export function upperBound(t: Float64Array, x: number): number {
  let lo = 0;
  let hi = t.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (x <= t[mid]) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** Index of x in the ascending array a, or -1. */
export function indexOf(a: Float64Array, x: number): number {
  let lo = 0;
  let hi = a.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid] === x) return mid;
    if (a[mid] < x) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

/** Rows to fit bins on: all rows if n <= size, else a seeded sample without replacement, ascending. */
export function sampleRows(n: number, size: number, seed: number): Uint32Array {
  if (n <= size) return Uint32Array.from({ length: n }, (_, i) => i);
  // Selection sampling (Knuth's algorithm S) keeps rows in order in one pass.
  const rng = new Rng(seed);
  const out = new Uint32Array(size);
  let k = 0;
  for (let i = 0; i < n && k < size; i++) {
    if (rng.next() * (n - i) < size - k) out[k++] = i;
  }
  return out;
}

/** Thresholds padded with +Infinity to 256 entries, for searchPadded. */
export function padded(t: Float64Array): Float64Array {
  const p = new Float64Array(256).fill(Number.POSITIVE_INFINITY);
  p.set(t);
  return p;
}

/**
 * Number of thresholds (at t[o..o+256)) below x (= the bin of x) by a branch-free binary search over 256 padded thresholds:
 * eight steps that add a comparison result instead of branching on it. Branching mispredicts about every other
 * step on real data; measured 4x faster than the branching search.
 */
export function searchPadded(t: Float64Array, o: number, x: number): number {
  let b = +(x > t[o + 127]) << 7;
  b += +(x > t[o + b + 63]) << 6;
  b += +(x > t[o + b + 31]) << 5;
  b += +(x > t[o + b + 15]) << 4;
  b += +(x > t[o + b + 7]) << 3;
  b += +(x > t[o + b + 3]) << 2;
  b += +(x > t[o + b + 1]) << 1;
  return b + +(x > t[o + b]);
}

function midpoint(a: number, b: number): number {
  const m = a + (b - a) / 2;
  // Keep the threshold strictly below b so that b falls in the next bin even after rounding.
  return m < b ? m : a;
}
