/**
 * The numeric work of the feature tests: per-column statistics over all rows, robust outlier shares and pairwise
 * correlations on an even-stride row sample (deterministic: no seed needed, and every part of the matrix - every
 * series, origin and horizon - is represented).
 */
import { type FeatureRange, outOfRange } from "./feature-tests-ranges.ts";

/** Statistics of one column over all rows (min/max/mean over finite values; NaN when there is none). */
export interface ColumnStats {
  min: number;
  max: number;
  mean: number;
  /** Share of rows that are NaN (missing). */
  missingShare: number;
  /** Count of +-Infinity values. */
  nonFinite: number;
  /** Count of finite values outside the feature's valid range. */
  outOfRange: number;
  /** First row with a value outside the range (or infinite), -1 if none: where to start looking. */
  firstBadRow: number;
}

/** Statistics of a column against its valid range. */
export function columnStats(col: Float32Array, range: FeatureRange): ColumnStats {
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  let sum = 0;
  let finite = 0;
  let missing = 0;
  let nonFinite = 0;
  let bad = 0;
  let firstBadRow = -1;
  for (let i = 0; i < col.length; i++) {
    const v = col[i]!;
    if (Number.isNaN(v)) {
      missing++;
      continue;
    }
    if (!Number.isFinite(v)) {
      nonFinite++;
      if (firstBadRow < 0) firstBadRow = i;
      continue;
    }
    finite++;
    sum += v;
    if (v < min) min = v;
    if (v > max) max = v;
    if (outOfRange(range, v)) {
      bad++;
      if (firstBadRow < 0) firstBadRow = i;
    }
  }
  return {
    min: finite > 0 ? min : Number.NaN,
    max: finite > 0 ? max : Number.NaN,
    mean: finite > 0 ? sum / finite : Number.NaN,
    missingShare: col.length > 0 ? missing / col.length : 0,
    nonFinite,
    outOfRange: bad,
    firstBadRow,
  };
}

/** Up to `size` row indices at an even stride over n rows. */
export function strideSample(n: number, size: number): Uint32Array {
  const step = Math.max(1, Math.floor(n / size));
  const m = Math.min(size, Math.ceil(n / step));
  return Uint32Array.from({ length: m }, (_, k) => k * step);
}

/**
 * Share of the sampled finite values whose robust z-score |x - median| / scale exceeds zLimit. The scale is
 * 1.4826 MAD (the standard deviation for normal data), floored at (q99 - q01) / 4.6527 (the same for normal data):
 * when more than half the values tie, or nearly tie (a price that rarely changes, a count that is mostly 0), MAD
 * is 0 or tiny and would call every ordinary change an outlier; the floor keeps the test for values far outside
 * the bulk of the distribution (a unit error, a sentinel such as -999). Non-negative features (counts, prices)
 * are scored on log1p(x), where their long right tail is ordinary rather than extreme. A column with no spread at
 * all has no outliers (it is reported as constant).
 */
export function outlierShare(
  col: Float32Array,
  rows: Uint32Array,
  zLimit: number,
  logScale: boolean,
): number {
  const v: number[] = [];
  for (const r of rows) {
    const x = col[r]!;
    if (Number.isFinite(x)) v.push(logScale ? Math.log1p(Math.max(0, x)) : x);
  }
  if (v.length === 0) return 0;
  const sorted = Float64Array.from(v).sort();
  const med = quantileOfSorted(sorted, 0.5);
  const dev = Float64Array.from(sorted, (x) => Math.abs(x - med)).sort();
  const band = (quantileOfSorted(sorted, 0.99) - quantileOfSorted(sorted, 0.01)) / 4.6527;
  const scale = Math.max(1.4826 * quantileOfSorted(dev, 0.5), band);
  if (!(scale > 0)) return 0;
  let out = 0;
  for (const d of dev) if (d / scale > zLimit) out++;
  return out / dev.length;
}

/** Quantile p of an ascending array, linear between order statistics. */
function quantileOfSorted(a: Float64Array, p: number): number {
  const pos = p * (a.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(a.length - 1, lo + 1);
  return a[lo]! + (pos - lo) * (a[hi]! - a[lo]!);
}

/** A pair of features whose |correlation| exceeds the limit. */
export interface CorrelatedPair {
  a: string;
  b: string;
  r: number;
  /** Sampled rows where both are finite. */
  rows: number;
}

/**
 * Pairs of columns with |Pearson r| > limit on the sampled rows where both are finite (at least 30 of them),
 * strongest first. Columns are given by index into `cols` with their names.
 */
export function correlatedPairs(
  cols: readonly Float32Array[],
  names: readonly string[],
  candidates: readonly number[],
  rows: Uint32Array,
  limit: number,
): CorrelatedPair[] {
  const m = rows.length;
  // Centred on each column's own mean: r does not change, and the one-pass sums below lose no precision.
  const x = candidates.map((f) => {
    const c = Float64Array.from(rows, (r) => cols[f]![r]!);
    let s = 0;
    let k = 0;
    for (const v of c) {
      if (Number.isFinite(v)) {
        s += v;
        k++;
      }
    }
    const mean = k > 0 ? s / k : 0;
    for (let i = 0; i < c.length; i++) c[i]! -= mean;
    return c;
  });
  const out: CorrelatedPair[] = [];
  for (let p = 0; p < x.length; p++) {
    const a = x[p]!;
    for (let q = p + 1; q < x.length; q++) {
      const b = x[q]!;
      let n = 0;
      let sa = 0;
      let sb = 0;
      let saa = 0;
      let sbb = 0;
      let sab = 0;
      for (let i = 0; i < m; i++) {
        const u = a[i]!;
        const v = b[i]!;
        // NaN or infinite in either column: the row does not count for this pair.
        if (!(Number.isFinite(u) && Number.isFinite(v))) continue;
        n++;
        sa += u;
        sb += v;
        saa += u * u;
        sbb += v * v;
        sab += u * v;
      }
      if (n < 30) continue;
      const va = saa - (sa * sa) / n;
      const vb = sbb - (sb * sb) / n;
      if (!(va > 1e-12 * n && vb > 1e-12 * n)) continue;
      const r = (sab - (sa * sb) / n) / Math.sqrt(va * vb);
      if (Math.abs(r) > limit) {
        out.push({
          a: names[candidates[p]!]!,
          b: names[candidates[q]!]!,
          r: Math.max(-1, Math.min(1, r)),
          rows: n,
        });
      }
    }
  }
  return out.sort(
    (u, v) => Math.abs(v.r) - Math.abs(u.r) || u.a.localeCompare(v.a) || u.b.localeCompare(v.b),
  );
}
