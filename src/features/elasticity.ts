/** log1p of the small integers, filled on first use: demand counts repeat, and a table read is cheaper than log1p. */
const LOG1P = new Float64Array(1024).fill(Number.NaN);

/** log1p(v), from the table for integers in [0, 1024) (the very same value Math.log1p returns). */
function log1p(v: number): number {
  if (v >= 0 && v < 1024 && Math.floor(v) === v && !(v === 0 && 1 / v < 0)) {
    let y = LOG1P[v]!;
    if (Number.isNaN(y)) {
      y = Math.log1p(v);
      LOG1P[v] = y;
    }
    return y;
  }
  return Math.log1p(v);
}

/**
 * Log-log slope of demand on price (a linear elasticity) over a window, from prefix sums: of x = log price (count,
 * sum, sum of squares), y = log1p demand and xy (sums), each adding its known values in day order — the five
 * sums the slope reads (three full PrefixScratch sets cost twice as much per series).
 */
export class ElasticityStats {
  private count = new Float64Array(0);
  private sx = new Float64Array(0);
  private sxx = new Float64Array(0);
  private sy = new Float64Array(0);
  private sxy = new Float64Array(0);
  private len = 0;

  /** The next series (buffers are reused from series to series). */
  reset(demand: Float32Array, price: Float32Array): void {
    const n = demand.length;
    if (this.count.length < n + 1) {
      const cap = Math.max(n + 1, 2 * this.count.length);
      this.count = new Float64Array(cap);
      this.sx = new Float64Array(cap);
      this.sxx = new Float64Array(cap);
      this.sy = new Float64Array(cap);
      this.sxy = new Float64Array(cap);
    }
    this.len = n;
    const { count, sx, sxx, sy, sxy } = this;
    count[0] = 0;
    sx[0] = 0;
    sxx[0] = 0;
    sy[0] = 0;
    sxy[0] = 0;
    let lastPrice = Number.NaN;
    let lastLog = Number.NaN;
    for (let t = 0; t < n; t++) {
      const p = price[t]!;
      const ok = !Number.isNaN(demand[t]!) && p > 0;
      if (ok && p !== lastPrice) {
        lastPrice = p;
        lastLog = Math.log(p);
      }
      const x = ok ? lastLog : Number.NaN;
      const y = ok ? log1p(demand[t]!) : Number.NaN;
      const xy = x * y;
      const knownX = !Number.isNaN(x);
      count[t + 1] = count[t]! + (knownX ? 1 : 0);
      sx[t + 1] = sx[t]! + (knownX ? x : 0);
      sxx[t + 1] = sxx[t]! + (knownX ? x * x : 0);
      sy[t + 1] = sy[t]! + (Number.isNaN(y) ? 0 : y);
      sxy[t + 1] = sxy[t]! + (Number.isNaN(xy) ? 0 : xy);
    }
  }

  /** The slope over days [a, b]; NaN with fewer than 28 known days or no price variation. */
  slope(a: number, b: number): number {
    const lo = Math.max(0, a);
    const hi = Math.min(this.len - 1, b);
    if (hi < lo) return Number.NaN;
    const k = this.count[hi + 1]! - this.count[lo]!;
    if (k < 28) return Number.NaN;
    const sx = this.sx[hi + 1]! - this.sx[lo]!;
    const sy = this.sy[hi + 1]! - this.sy[lo]!;
    const sxx = this.sxx[hi + 1]! - this.sxx[lo]!;
    // The sample standard deviation squared back, as PrefixScratch.std gives it (the same rounding).
    const vx = Math.sqrt(Math.max(0, (sxx - (sx * sx) / k) / (k - 1))) ** 2 * (k - 1);
    if (!(vx > 1e-9)) return Number.NaN;
    return (this.sxy[hi + 1]! - this.sxy[lo]! - (sx * sy) / k) / vx;
  }
}
