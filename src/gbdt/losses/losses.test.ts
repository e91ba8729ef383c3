import assert from "node:assert/strict";
import { test } from "node:test";
import { getLoss, LOSS_NAMES } from "./index.ts";
import { percentile, weightedPercentile } from "./percentile.ts";
import { quantileOf } from "./quantile.ts";

const CASES = [
  { name: "squared", params: {} },
  { name: "absolute", params: {} },
  { name: "quantile", params: { alpha: 0.25 } },
  { name: "quantile", params: { alpha: 0.9 } },
  { name: "poisson", params: {} },
  { name: "tweedie", params: { tweedieVariancePower: 1.5 } },
  { name: "tweedie", params: { tweedieVariancePower: 1.2 } },
  { name: "tweedie", params: { tweedieVariancePower: 1 } },
];
// Points away from the kinks of the piecewise-linear losses (y != raw).
const YS = [0, 1, 3, 7.5];
const RAWS = [-1.3, -0.2, 0.4, 1.1, 2.05];

test("every registered loss is covered", () => {
  for (const n of LOSS_NAMES)
    assert.ok(
      CASES.some((c) => c.name === n),
      n,
    );
});

for (const c of CASES) {
  test(`${c.name} ${JSON.stringify(c.params)}: gradient and hessian match finite differences`, () => {
    const loss = getLoss(c.name, c.params);
    const eps = 1e-5;
    for (const y of YS) {
      for (const raw of RAWS) {
        const g = new Float32Array(1);
        const h = new Float32Array(1);
        loss.gradHess([y], [raw], g, h);
        const fd = (loss.pointLoss(y, raw + eps) - loss.pointLoss(y, raw - eps)) / (2 * eps);
        assert.ok(
          Math.abs(g[0] - fd) <= 1e-4 * Math.max(1, Math.abs(fd)),
          `grad y=${y} raw=${raw}: ${g[0]} vs ${fd}`,
        );
        if (loss.renewQuantile === null) {
          const gp = new Float32Array(1);
          const gm = new Float32Array(1);
          loss.gradHess([y], [raw + eps], gp, new Float32Array(1));
          loss.gradHess([y], [raw - eps], gm, new Float32Array(1));
          // Float32 gradients limit the precision of the second difference; compare with the float64 formula.
          const fd2 =
            (loss.pointLoss(y, raw + eps) - 2 * loss.pointLoss(y, raw) + loss.pointLoss(y, raw - eps)) /
            (eps * eps);
          assert.ok(
            Math.abs(h[0] - fd2) <= 2e-3 * Math.max(1, Math.abs(fd2)),
            `hess y=${y} raw=${raw}: ${h[0]} vs ${fd2}`,
          );
        } else {
          // Piecewise-linear losses use a unit hessian (LightGBM): the gradient-step only chooses the splits.
          assert.equal(h[0], 1);
        }
      }
    }
  });
}

test("quantile: a tie y == raw counts as over-prediction (LightGBM), so zero rows and positive rows differ", () => {
  const loss = getLoss("quantile", { alpha: 0.25 });
  const g = new Float32Array(3);
  loss.gradHess([0, 0, 2], [0, 1, 0], g, new Float32Array(3));
  assert.deepEqual([...g], [0.75, 0.75, -0.25]);
});

test("init is the best constant: mean for squared, log mean for poisson/tweedie, quantile for quantile", () => {
  const y = [0, 0, 1, 2, 5, 10];
  assert.equal(getLoss("squared").init(y, null), 3);
  assert.ok(Math.abs(getLoss("tweedie").init(y, null) - Math.log(3)) < 1e-12);
  assert.equal(getLoss("squared").init(y, [1, 1, 1, 1, 1, 0]), 8 / 5);
  // LightGBM's percentile of 1..5 at 0.5: float_pos 2.5 -> between the 2nd (4) and 3rd (3) largest.
  assert.equal(getLoss("quantile", { alpha: 0.5 }).init([1, 2, 3, 4, 5], null), 3.5);
});

test("percentile interpolates between order statistics as LightGBM", () => {
  // n=4, alpha=0.5: float_pos = 2, v1 = 2nd largest = 3, bias 0 -> 3.
  assert.equal(percentile(Float64Array.from([4, 1, 3, 2]), 4, 0.5), 3);
  // n=5, alpha=0.3: float_pos = 3.5 -> v1 = 3rd largest = 3, v2 = 4th largest = 2 -> 3 - 0.5 = 2.5.
  assert.equal(percentile(Float64Array.from([5, 3, 1, 4, 2]), 5, 0.3), 2.5);
  // 60% zeros, 40% ones, median: between 0 and 1, not stuck at 0.
  const v = percentile(Float64Array.from([0, 0, 0, 1, 1, 0, 0, 1, 0, 1]), 10, 0.5);
  assert.ok(v === 0 || (v > 0 && v < 1));
  assert.equal(percentile(Float64Array.from([7, 8]), 2, 0.99), 8);
  assert.ok(Math.abs(percentile(Float64Array.from([7, 8]), 2, 0.01) - 7.02) < 1e-12);
  const w = weightedPercentile(Float64Array.from([1, 2, 3]), Float64Array.from([1, 1, 8]), 3, 0.5);
  assert.ok(w > 2 && w <= 3, String(w));
  assert.equal(quantileOf([3, 1, 2], null, 0.5), 2.5);
});

test("bad loss settings are input errors naming the parameter", () => {
  assert.throws(() => getLoss("huber"), /unknown loss "huber"/);
  assert.throws(() => getLoss("quantile", { alpha: 1.5 }), /alpha/);
  assert.throws(() => getLoss("tweedie", { tweedieVariancePower: 2 }), /tweedieVariancePower/);
});
