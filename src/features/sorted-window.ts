/**
 * A sliding window kept sorted (binary search + memmove via copyWithin), for rolling min, max and quantiles
 * in O(log w + w/speed-of-memmove) per step: a few hundred nanoseconds for a year-long window.
 */
export class SortedWindow {
  private buf: Float64Array;
  size = 0;

  constructor(capacity: number) {
    this.buf = new Float64Array(Math.max(1, capacity));
  }

  clear(): void {
    this.size = 0;
  }

  /** Adds a value (NaN is ignored: unknown days are not part of the window's distribution). */
  add(v: number): void {
    if (Number.isNaN(v)) return;
    if (this.size === this.buf.length) {
      const b = new Float64Array(this.buf.length * 2);
      b.set(this.buf);
      this.buf = b;
    }
    const at = this.lowerBound(v);
    this.buf.copyWithin(at + 1, at, this.size);
    this.buf[at] = v;
    this.size++;
  }

  /** Removes one occurrence of a value previously added (NaN ignored). */
  remove(v: number): void {
    if (Number.isNaN(v)) return;
    const at = this.lowerBound(v);
    if (at >= this.size || this.buf[at] !== v)
      throw new Error(`SortedWindow.remove: ${v} is not in the window`);
    this.buf.copyWithin(at, at + 1, this.size);
    this.size--;
  }

  /** Quantile by linear interpolation (type 7); NaN when empty. */
  quantile(p: number): number {
    if (this.size === 0) return Number.NaN;
    const h = (this.size - 1) * p;
    const lo = Math.floor(h);
    const hi = Math.min(lo + 1, this.size - 1);
    return this.buf[lo]! + (h - lo) * (this.buf[hi]! - this.buf[lo]!);
  }

  /** Writes min, max and the quantiles of levels `ps` to out[f..] (the layout CountWindow.writeStats shares). */
  writeStats(out: Float32Array | Float64Array, f: number, ps: readonly number[]): void {
    out[f] = this.min();
    out[f + 1] = this.max();
    for (let j = 0; j < ps.length; j++) out[f + 2 + j] = this.quantile(ps[j]!);
  }

  min(): number {
    return this.size === 0 ? Number.NaN : this.buf[0]!;
  }

  max(): number {
    return this.size === 0 ? Number.NaN : this.buf[this.size - 1]!;
  }

  private lowerBound(v: number): number {
    let lo = 0;
    let hi = this.size;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.buf[mid]! < v) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
