/**
 * Prefix sums over one series' known values, so any window's count, sum, sum of squares and zero count is
 * O(1). Index t is the series' t-th day; a window [a, b] is inclusive and clipped to the series.
 */
export class PrefixStats {
  readonly count: Float64Array;
  readonly sum: Float64Array;
  readonly sumSq: Float64Array;
  readonly zeros: Float64Array;

  constructor(values: ArrayLike<number>) {
    const n = values.length;
    this.count = new Float64Array(n + 1);
    this.sum = new Float64Array(n + 1);
    this.sumSq = new Float64Array(n + 1);
    this.zeros = new Float64Array(n + 1);
    for (let t = 0; t < n; t++) {
      const v = values[t]!;
      const known = !Number.isNaN(v);
      this.count[t + 1] = this.count[t]! + (known ? 1 : 0);
      this.sum[t + 1] = this.sum[t]! + (known ? v : 0);
      this.sumSq[t + 1] = this.sumSq[t]! + (known ? v * v : 0);
      this.zeros[t + 1] = this.zeros[t]! + (known && v === 0 ? 1 : 0);
    }
  }

  private span(a: number, b: number): [number, number] {
    const n = this.count.length - 1;
    return [Math.max(0, a), Math.min(n - 1, b)];
  }

  /** Known values in [a, b]. */
  n(a: number, b: number): number {
    const [lo, hi] = this.span(a, b);
    return hi < lo ? 0 : this.count[hi + 1]! - this.count[lo]!;
  }

  /** Sum of known values in [a, b]. */
  total(a: number, b: number): number {
    const [lo, hi] = this.span(a, b);
    return hi < lo ? 0 : this.sum[hi + 1]! - this.sum[lo]!;
  }

  /** Mean of known values in [a, b]; NaN when none. */
  mean(a: number, b: number): number {
    const k = this.n(a, b);
    return k === 0 ? Number.NaN : this.total(a, b) / k;
  }

  /** Sample standard deviation of known values in [a, b]; NaN with fewer than 2. */
  std(a: number, b: number): number {
    const [lo, hi] = this.span(a, b);
    const k = this.n(a, b);
    if (k < 2) return Number.NaN;
    const s = this.sum[hi + 1]! - this.sum[lo]!;
    const s2 = this.sumSq[hi + 1]! - this.sumSq[lo]!;
    return Math.sqrt(Math.max(0, (s2 - (s * s) / k) / (k - 1)));
  }

  /** Share of known values in [a, b] that are zero; NaN when none known. */
  zeroShare(a: number, b: number): number {
    const [lo, hi] = this.span(a, b);
    const k = this.n(a, b);
    return k === 0 ? Number.NaN : (this.zeros[hi + 1]! - this.zeros[lo]!) / k;
  }
}
