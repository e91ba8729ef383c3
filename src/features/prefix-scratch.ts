/**
 * Window statistics (count, sum, mean, std, zero share over [a, b]) of one series from prefix sums, over reusable
 * buffers: `reset(values)` recomputes the prefix sums of the next series into arrays that only grow, so building
 * features for many series allocates a handful of arrays instead of several per series (the allocations and their
 * garbage collection cost more than the sums).
 */
export class PrefixScratch {
  private count = new Float64Array(0);
  private sum = new Float64Array(0);
  private sumSq = new Float64Array(0);
  private zeros = new Float64Array(0);
  private len = 0;

  /** Prefix sums of `values` (index t = the series' t-th day); replaces the previous series. */
  reset(values: ArrayLike<number>): this {
    const n = values.length;
    if (this.count.length < n + 1) {
      const cap = Math.max(n + 1, 2 * this.count.length);
      this.count = new Float64Array(cap);
      this.sum = new Float64Array(cap);
      this.sumSq = new Float64Array(cap);
      this.zeros = new Float64Array(cap);
    }
    this.len = n;
    const { count, sum, sumSq, zeros } = this;
    count[0] = 0;
    sum[0] = 0;
    sumSq[0] = 0;
    zeros[0] = 0;
    for (let t = 0; t < n; t++) {
      const v = values[t]!;
      const known = !Number.isNaN(v);
      count[t + 1] = count[t]! + (known ? 1 : 0);
      sum[t + 1] = sum[t]! + (known ? v : 0);
      sumSq[t + 1] = sumSq[t]! + (known ? v * v : 0);
      zeros[t + 1] = zeros[t]! + (known && v === 0 ? 1 : 0);
    }
    return this;
  }

  /** Known values in [a, b] (clipped to the series). */
  n(a: number, b: number): number {
    const lo = Math.max(0, a);
    const hi = Math.min(this.len - 1, b);
    return hi < lo ? 0 : this.count[hi + 1]! - this.count[lo]!;
  }

  /** Sum of known values in [a, b]. */
  total(a: number, b: number): number {
    const lo = Math.max(0, a);
    const hi = Math.min(this.len - 1, b);
    return hi < lo ? 0 : this.sum[hi + 1]! - this.sum[lo]!;
  }

  /** Mean of known values in [a, b]; NaN when none. */
  mean(a: number, b: number): number {
    const k = this.n(a, b);
    return k === 0 ? Number.NaN : this.total(a, b) / k;
  }

  /** Sample standard deviation of known values in [a, b]; NaN with fewer than 2. */
  std(a: number, b: number): number {
    const lo = Math.max(0, a);
    const hi = Math.min(this.len - 1, b);
    const k = this.n(a, b);
    if (k < 2) return Number.NaN;
    const s = this.sum[hi + 1]! - this.sum[lo]!;
    const s2 = this.sumSq[hi + 1]! - this.sumSq[lo]!;
    return Math.sqrt(Math.max(0, (s2 - (s * s) / k) / (k - 1)));
  }

  /** Share of known values in [a, b] that are zero; NaN when none known. */
  zeroShare(a: number, b: number): number {
    const lo = Math.max(0, a);
    const hi = Math.min(this.len - 1, b);
    const k = this.n(a, b);
    return k === 0 ? Number.NaN : (this.zeros[hi + 1]! - this.zeros[lo]!) / k;
  }
}
