import assert from "node:assert/strict";
import { test } from "node:test";
import { panelFromSeries } from "../../core/panel.ts";
import { countQuantile, momentSize } from "../count-quantiles.ts";
import { forecasterContract } from "../forecaster.contract.ts";
import { emptyForecast, fixCrossing } from "../forecaster.ts";
import { movingQuantiles } from "./moving-quantiles.ts";
import { mstlEts } from "./mstl-ets.ts";
import { sarima } from "./sarima.ts";
import { seasonalNaive } from "./seasonal-naive.ts";
import { tsb } from "./tsb.ts";

forecasterContract(seasonalNaive);
forecasterContract(movingQuantiles);
forecasterContract(tsb);
forecasterContract(sarima);
forecasterContract(mstlEts);

test("seasonal naive repeats the last known week; t-14 for the second week ahead", async () => {
  const values = Array.from({ length: 70 }, (_, d) => d % 7); // 0..6 repeating, no noise
  const panel = panelFromSeries([{ key: "s", start: 0, values }]);
  const fitted = await seasonalNaive().fit({
    panel,
    trainStart: 0,
    trainEnd: 69,
    horizon: 14,
    levels: [0.5],
    seed: 1,
  });
  const f = await fitted.predict(72, 14);
  // day 73 is weekday 73 % 7 = 3; exact pattern -> residuals 0 -> every quantile equals the point
  assert.deepEqual(
    [...f.q],
    Array.from({ length: 14 }, (_, s) => (73 + s) % 7),
  );
});

test("moving quantiles are the window's empirical quantiles", async () => {
  const values = Array.from({ length: 100 }, (_, d) => d); // 0..99
  const panel = panelFromSeries([{ key: "s", start: 0, values }]);
  const fitted = await movingQuantiles({ window: 100 }).fit({
    panel,
    trainStart: 0,
    trainEnd: 99,
    horizon: 1,
    levels: [0.25, 0.5, 0.99],
    seed: 1,
  });
  const f = await fitted.predict(99, 1);
  assert.deepEqual([...f.q], [24, 49, 98]);
  assert.equal(f.mean![0], 49.5);
});

test("count quantiles: Poisson and negative binomial", () => {
  assert.equal(countQuantile(0, Number.POSITIVE_INFINITY, 0.99), 0);
  assert.equal(countQuantile(1, Number.POSITIVE_INFINITY, 0.5), 1); // P(X<=0)=0.37, P(X<=1)=0.74
  assert.equal(countQuantile(1, Number.POSITIVE_INFINITY, 0.25), 0);
  // Over-dispersion widens the upper quantile.
  assert.ok(countQuantile(5, 1, 0.99) > countQuantile(5, Number.POSITIVE_INFINITY, 0.99));
  // Large means use the normal approximation and stay continuous with the exact pmf.
  assert.ok(Math.abs(countQuantile(499, 50, 0.95) - countQuantile(501, 50, 0.95)) <= 3);
  assert.equal(momentSize([2, 2, 2, 2]), Number.POSITIVE_INFINITY);
  assert.ok(Math.abs(momentSize([0, 0, 0, 10]) - 2.5 ** 2 / (25 - 2.5)) < 1e-9);
});

test("fixCrossing sorts crossed rows of quantiles and counts them", () => {
  const f = emptyForecast(0, 3, [0.25, 0.5, 0.75], 1, false);
  f.q.set([1, 2, 3, 5, 4, 6, 9, 8, 7]);
  assert.equal(fixCrossing(f), 2);
  assert.deepEqual([...f.q], [1, 2, 3, 4, 5, 6, 7, 8, 9]);
  assert.equal(fixCrossing(f), 0);
});
