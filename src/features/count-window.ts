/**
 * A sliding window of small non-negative integers kept as a count per value (a histogram), for rolling min, max and
 * quantiles of demand counts: add and remove are O(1), and all order statistics of a window come from one scan
 * over the value range, against a binary search and a memmove per step of the sorted window (sorted-window.ts).
 * Results equal SortedWindow's bit for bit (same ranks, same interpolation arithmetic); build.ts uses it for a
 * series whose demand fits (`CountWindow.fits`) and the sorted window otherwise.
 */
export class CountWindow {
  private counts: Int32Array;
  /** Known values in the window. */
  size = 0;
  /** Every bin at or above `top` is empty. */
  private top = 0;

  constructor(capacity = 64) {
    this.counts = new Int32Array(Math.max(1, capacity));
  }

  /**
   * The number of bins needed for `values` (their maximum + 1), or -1 when some known value is not an integer in
   * [0, limit) — a fraction, a negative, -0 (whose sign a histogram would lose) — and the sorted window must serve.
   */
  static fits(values: ArrayLike<number>, limit: number): number {
    let max = -1;
    for (let t = 0; t < values.length; t++) {
      const v = values[t]!;
      if (Number.isNaN(v)) continue; // unknown day, never counted
      if (!(v >= 0 && v < limit) || Math.floor(v) !== v || (v === 0 && 1 / v < 0)) return -1;
      if (v > max) max = v;
    }
    return max + 1;
  }

  /** Empties the window and makes room for values below `bins`. */
  reset(bins: number): void {
    this.clear();
    if (this.counts.length < bins) this.counts = new Int32Array(Math.max(bins, 2 * this.counts.length));
  }

  clear(): void {
    this.counts.fill(0, 0, this.top);
    this.size = 0;
    this.top = 0;
  }

  /** Adds a value (NaN is ignored: unknown days are not part of the window's distribution). */
  add(v: number): void {
    if (Number.isNaN(v)) return;
    const k = v | 0;
    this.counts[k]!++;
    this.size++;
    if (k >= this.top) this.top = k + 1;
  }

  /** Removes one occurrence of a value previously added (NaN ignored). */
  remove(v: number): void {
    if (Number.isNaN(v)) return;
    const k = v | 0;
    if (!(this.counts[k]! > 0)) throw new Error(`CountWindow.remove: ${v} is not in the window`);
    this.counts[k]!--;
    this.size--;
  }

  /**
   * Writes min, max and the quantiles (type 7, levels `ps` in `order` = their ascending order) to out[f..]:
   * the same values as SortedWindow.writeStats.
   */
  writeStats(out: Float32Array | Float64Array, f: number, ps: readonly number[], order: Int32Array): void {
    const n = this.size;
    if (n === 0) {
      for (let j = 0; j < ps.length + 2; j++) out[f + j] = Number.NaN;
      return;
    }
    const counts = this.counts;
    while (counts[this.top - 1] === 0) this.top--;
    let b = 0;
    while (counts[b] === 0) b++;
    out[f] = b;
    out[f + 1] = this.top - 1;
    // Cursor: b is the bin holding rank `cum - 1` at most; ranks asked in ascending order never move it back.
    let cum = counts[b]!;
    for (let j = 0; j < order.length; j++) {
      const q = order[j]!;
      const p = ps[q]!;
      const h = (n - 1) * p;
      const lo = Math.floor(h);
      const hi = Math.min(lo + 1, n - 1);
      while (cum <= lo) cum += counts[++b]!;
      let vhi = b;
      if (hi >= cum) {
        vhi = b + 1;
        while (counts[vhi] === 0) vhi++;
      }
      out[f + 2 + q] = b + (h - lo) * (vhi - b);
    }
  }
}

/** Indices of `ps` in ascending order of level (stable), for writeStats. */
export function ascendingOrder(ps: readonly number[]): Int32Array {
  return Int32Array.from(
    ps.map((_, i) => i).sort((a, b) => ps[a]! - ps[b]! || a - b),
    (i) => i,
  );
}
