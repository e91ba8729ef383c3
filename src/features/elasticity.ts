import { PrefixScratch } from "./prefix-scratch.ts";

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

/** Log-log slope of demand on price (a linear elasticity) over a window, from prefix sums. */
export class ElasticityStats {
  private readonly p = [new PrefixScratch(), new PrefixScratch(), new PrefixScratch()] as const;
  private x = new Float64Array(0);
  private y = new Float64Array(0);
  private xy = new Float64Array(0);
  /** The next series (buffers are reused from series to series). */
  reset(demand: Float32Array, price: Float32Array): void {
    const n = demand.length;
    if (this.x.length < n) {
      this.x = new Float64Array(Math.max(n, 2 * this.x.length));
      this.y = new Float64Array(this.x.length);
      this.xy = new Float64Array(this.x.length);
    }
    const x = this.x.subarray(0, n);
    const y = this.y.subarray(0, n);
    const xy = this.xy.subarray(0, n);
    // A series has few distinct prices (regular, promo): the last one's log is reused.
    let lastPrice = Number.NaN;
    let lastLog = Number.NaN;
    for (let t = 0; t < n; t++) {
      const p = price[t]!;
      const ok = !Number.isNaN(demand[t]!) && p > 0;
      if (ok && p !== lastPrice) {
        lastPrice = p;
        lastLog = Math.log(p);
      }
      x[t] = ok ? lastLog : Number.NaN;
      y[t] = ok ? log1p(demand[t]!) : Number.NaN;
      xy[t] = ok ? x[t]! * y[t]! : Number.NaN;
    }
    this.p[0].reset(x);
    this.p[1].reset(y);
    this.p[2].reset(xy);
  }
  /** The slope over days [a, b]; NaN with fewer than 28 known days or no price variation. */
  slope(a: number, b: number): number {
    const [px, py, pxy] = this.p;
    const k = px.n(a, b);
    if (k < 28) return Number.NaN;
    const sx = px.total(a, b);
    const sy = py.total(a, b);
    const vx = px.std(a, b) ** 2 * (k - 1);
    if (!(vx > 1e-9)) return Number.NaN;
    return (pxy.total(a, b) - (sx * sy) / k) / vx;
  }
}
