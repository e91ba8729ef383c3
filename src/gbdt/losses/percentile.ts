/**
 * Quantiles of residuals as LightGBM computes them (`PercentileFun` / `WeightedPercentileFun` in
 * LightGBM's regression objectives): linear interpolation between order statistics. The interpolation matters for
 * integer counts: a leaf that is 60% zeros and 40% ones gets a median between 0 and 1, not a tie at 0.
 */

/** The alpha-quantile of values[0..n) (the array is reordered). Unweighted, LightGBM's interpolation. */
export function percentile(values: Float64Array, n: number, alpha: number): number {
  if (n <= 0) return 0;
  if (n === 1) return values[0];
  const floatPos = (1 - alpha) * n;
  const pos = Math.floor(floatPos);
  if (pos < 1) return maxOf(values, 0, n);
  if (pos >= n) return minOf(values, 0, n);
  const bias = floatPos - pos;
  // v1 is the pos-th largest, v2 the (pos+1)-th largest: ascending indices n - pos and n - pos - 1.
  const k = n - pos;
  select(values, 0, n - 1, k);
  const v1 = values[k];
  const v2 = maxOf(values, 0, k);
  return v1 - (v1 - v2) * bias;
}

/** The alpha-quantile of values[0..n) with weights (both arrays are reordered together). */
export function weightedPercentile(
  values: Float64Array,
  weights: Float64Array,
  n: number,
  alpha: number,
): number {
  if (n <= 0) return 0;
  if (n === 1) return values[0];
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((a, b) => values[a] - values[b] || a - b);
  let total = 0;
  for (let i = 0; i < n; i++) total += weights[order[i]];
  const target = total * alpha;
  let cum = 0;
  for (let i = 0; i < n; i++) {
    const wi = weights[order[i]];
    if (cum + wi > target) {
      if (i === 0) return values[order[0]];
      // Interpolate between neighbours by how far the target lies into this row's weight.
      const v1 = values[order[i - 1]];
      const v2 = values[order[i]];
      return v1 + ((target - cum) / wi) * (v2 - v1);
    }
    cum += wi;
  }
  return values[order[n - 1]];
}

function maxOf(a: Float64Array, from: number, to: number): number {
  let m = Number.NEGATIVE_INFINITY;
  for (let i = from; i < to; i++) if (a[i] > m) m = a[i];
  return m;
}

function minOf(a: Float64Array, from: number, to: number): number {
  let m = Number.POSITIVE_INFINITY;
  for (let i = from; i < to; i++) if (a[i] < m) m = a[i];
  return m;
}

/** Quickselect: afterwards a[k] is the k-th smallest of a[lo..hi] and everything left of k is <= a[k]. */
function select(a: Float64Array, lo: number, hi: number, k: number): void {
  while (hi > lo) {
    const mid = (lo + hi) >>> 1;
    // Median of three pivot keeps sorted / constant inputs linear.
    if (a[mid] < a[lo]) swap(a, mid, lo);
    if (a[hi] < a[lo]) swap(a, hi, lo);
    if (a[hi] < a[mid]) swap(a, hi, mid);
    const pivot = a[mid];
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i] < pivot) i++;
      while (a[j] > pivot) j--;
      if (i <= j) {
        swap(a, i, j);
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return;
  }
}

function swap(a: Float64Array, i: number, j: number): void {
  const t = a[i];
  a[i] = a[j];
  a[j] = t;
}
