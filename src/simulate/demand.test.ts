import assert from "node:assert/strict";
import { test } from "node:test";
import { QUANTILES } from "../core/quantiles.ts";
import { Rng } from "../core/rng.ts";
import { nbCdf, nbQuantilesAndDraw, postPromoFactor } from "./demand.ts";

test("NB quantiles are the smallest k with CDF(k) >= level", () => {
  const q = new Float64Array(6);
  for (const [mean, size] of [
    [0.3, 1],
    [2, 3],
    [7.5, 0.8],
    [40, 10],
  ] as const) {
    nbQuantilesAndDraw(mean, size, 0.5, q);
    QUANTILES.forEach((level, j) => {
      const k = q[j]!;
      assert.ok(nbCdf(mean, size, k) >= level, `mean ${mean}: CDF(${k}) >= ${level}`);
      assert.ok(nbCdf(mean, size, k - 1) < level, `mean ${mean}: CDF(${k - 1}) < ${level}`);
    });
  }
});

test("draws by inversion have the negative-binomial mean and variance", () => {
  const rng = new Rng(11);
  const q = new Float64Array(6);
  const mean = 3.2;
  const size = 2;
  const n = 200_000;
  let s = 0;
  let s2 = 0;
  for (let i = 0; i < n; i++) {
    const x = nbQuantilesAndDraw(mean, size, rng.next(), q);
    s += x;
    s2 += x * x;
  }
  const m = s / n;
  const v = s2 / n - m * m;
  const variance = mean + (mean * mean) / size;
  // 5 standard errors of the sample mean; the sample variance within 3%.
  assert.ok(Math.abs(m - mean) < 5 * Math.sqrt(variance / n), `mean ${m}`);
  assert.ok(Math.abs(v / variance - 1) < 0.03, `variance ${v} vs ${variance}`);
});

test("zero mean gives zero demand; the post-promo dip fades out linearly", () => {
  const q = new Float64Array(6);
  assert.equal(nbQuantilesAndDraw(0, 2, 0.99, q), 0);
  assert.deepEqual([...q], [0, 0, 0, 0, 0, 0]);
  assert.equal(postPromoFactor(1, 0.25, 7), 0.75);
  assert.ok(postPromoFactor(7, 0.25, 7) > 0.96);
  assert.equal(postPromoFactor(8, 0.25, 7), 1);
  assert.equal(postPromoFactor(0, 0.25, 7), 1);
});
