import assert from "node:assert/strict";
import { test } from "node:test";
import { Rng } from "./rng.ts";

test("the same seed gives the same stream; another seed another", () => {
  const a = new Rng(7);
  const b = new Rng(7);
  const c = new Rng(8);
  const xs = Array.from({ length: 5 }, () => a.nextUint32());
  assert.deepEqual(
    xs,
    Array.from({ length: 5 }, () => b.nextUint32()),
  );
  assert.notDeepEqual(
    xs,
    Array.from({ length: 5 }, () => c.nextUint32()),
  );
});

function meanVar(draw: () => number, n: number): { mean: number; variance: number } {
  let s = 0;
  let s2 = 0;
  for (let i = 0; i < n; i++) {
    const x = draw();
    s += x;
    s2 += x * x;
  }
  const mean = s / n;
  return { mean, variance: s2 / n - mean * mean };
}

test("distributions have the moments they promise (tolerance ~5 standard errors)", () => {
  const r = new Rng(1);
  const n = 200_000;
  const u = meanVar(() => r.next(), n);
  assert.ok(Math.abs(u.mean - 0.5) < 5 * Math.sqrt(1 / 12 / n));
  const z = meanVar(() => r.normal(), n);
  assert.ok(Math.abs(z.mean) < 5 / Math.sqrt(n));
  assert.ok(Math.abs(z.variance - 1) < 0.02);
  for (const lambda of [0.3, 4, 75]) {
    const p = meanVar(() => r.poisson(lambda), n);
    assert.ok(Math.abs(p.mean - lambda) < 5 * Math.sqrt(lambda / n), `poisson(${lambda}) mean ${p.mean}`);
    assert.ok(Math.abs(p.variance / lambda - 1) < 0.03, `poisson(${lambda}) variance ${p.variance}`);
  }
  const mean = 6;
  const size = 2;
  const nb = meanVar(() => r.negBinomial(mean, size), n);
  assert.ok(Math.abs(nb.mean - mean) < 5 * Math.sqrt((mean + (mean * mean) / size) / n));
  assert.ok(Math.abs(nb.variance / (mean + (mean * mean) / size) - 1) < 0.05);
});
