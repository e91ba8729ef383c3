import assert from "node:assert/strict";
import { test } from "node:test";
import { Rng } from "../core/rng.ts";
import { ElasticityStats } from "./elasticity.ts";
import { PrefixScratch } from "./prefix-scratch.ts";

/** The slope from three full prefix-sum sets of x, y and xy (the implementation before the five-sum one). */
function referenceSlope(demand: Float32Array, price: Float32Array, a: number, b: number): number {
  const n = demand.length;
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  const xy = new Float64Array(n);
  for (let t = 0; t < n; t++) {
    const ok = !Number.isNaN(demand[t]!) && price[t]! > 0;
    x[t] = ok ? Math.log(price[t]!) : Number.NaN;
    y[t] = ok ? Math.log1p(demand[t]!) : Number.NaN;
    xy[t] = ok ? x[t]! * y[t]! : Number.NaN;
  }
  const px = new PrefixScratch().reset(x);
  const py = new PrefixScratch().reset(y);
  const pxy = new PrefixScratch().reset(xy);
  const k = px.n(a, b);
  if (k < 28) return Number.NaN;
  const sx = px.total(a, b);
  const sy = py.total(a, b);
  const vx = px.std(a, b) ** 2 * (k - 1);
  if (!(vx > 1e-9)) return Number.NaN;
  return (pxy.total(a, b) - (sx * sy) / k) / vx;
}

test("elasticity slope: bit for bit the three-prefix-set computation (missing days, zero and fractional demand, constant prices, windows past the ends)", () => {
  const rng = new Rng(17);
  const stats = new ElasticityStats();
  let finite = 0;
  for (let s = 0; s < 60; s++) {
    const n = 20 + rng.int(400);
    const demand = new Float32Array(n);
    const price = new Float32Array(n);
    const constant = s % 7 === 0;
    for (let t = 0; t < n; t++) {
      demand[t] = rng.chance(0.1)
        ? Number.NaN
        : rng.chance(0.3)
          ? 0
          : s % 5 === 0
            ? 3 * rng.next()
            : rng.int(40);
      price[t] = rng.chance(0.05) ? Number.NaN : constant ? 2.5 : 1 + rng.int(6) * 0.25;
    }
    stats.reset(demand, price);
    for (const [a, b] of [
      [-10, n + 5],
      [n - 364, n - 1],
      [rng.int(n), rng.int(n) + 50],
      [n - 1, n - 2],
    ] as const) {
      const want = referenceSlope(demand, price, a, b);
      assert.ok(
        Object.is(stats.slope(a, b), want),
        `series ${s} [${a}, ${b}]: ${stats.slope(a, b)} vs ${want}`,
      );
      if (Number.isFinite(want)) finite++;
    }
  }
  assert.ok(finite > 50, `finite slopes compared: ${finite}`);
});
