import assert from "node:assert/strict";
import { test } from "node:test";
import { loadConfig } from "../config/load.ts";
import { QUANTILES } from "../core/quantiles.ts";
import { testPanel } from "../features/test-panel.ts";
import { trainingData } from "./feature-model-data.ts";
import { testFitInput } from "./fit-input.test-support.ts";
import { forecasterContract } from "./forecaster.contract.ts";
import { demandPanel } from "./forecaster.ts";
import { gbdtHorizonBuckets } from "./gbdt-horizon-buckets.ts";
import { gbdtQuantile } from "./gbdt-quantile.ts";
import { gbdtTweedie } from "./gbdt-tweedie.ts";

const quick = { iterations: 40, maxLeaves: 15, minDataInLeaf: 20 };
forecasterContract(() => gbdtQuantile({ params: quick, threads: 1 }));
forecasterContract(() => gbdtTweedie({ params: quick, threads: 1 }));
forecasterContract(() =>
  gbdtQuantile({ params: quick, threads: 1, censored: true, name: "gbdt_quantile_censored" }),
);
forecasterContract(() => gbdtHorizonBuckets({ params: quick, threads: 1 }));

test("horizon buckets: each bucket's models train on its horizons only", async () => {
  const { panel: daily, calendar, weather } = testPanel(4, 400, 2);
  const settings = loadConfig({ env: {} }).features;
  const input = {
    panel: demandPanel(daily),
    trainStart: 50,
    trainEnd: 380,
    horizon: 14,
    levels: QUANTILES,
    seed: 1,
    features: { daily, calendar, settings, weather },
  };
  const h = (await trainingData(input, { minHorizon: 8 })).trainMatrix.rows.horizon;
  assert.ok(h.length > 0);
  assert.deepEqual([Math.min(...h), Math.max(...h)], [8, 14]);
});

test("censored training data: stockout days are kept apart with their sales as a lower bound", async () => {
  const input = testFitInput({ shape: [6, 500, 4] });
  const daily = input.features.daily;
  const plain = await trainingData(input, {});
  const data = await trainingData(input, { censored: true });
  assert.equal(plain.censored, null);
  const c = data.censored!;
  assert.ok(c.rows.length > 0, "the test panel has stockouts");
  assert.equal(data.fitRows.length, plain.fitRows.length, "censored rows never enter the fit set");
  const m = data.trainMatrix;
  for (let k = 0; k < c.rows.length; k++) {
    const r = c.rows[k]!;
    const i = m.rows.series[r]!;
    const j = daily.indptr[i]! + m.rows.origin[r]! + m.rows.horizon[r]! - daily.start[i]!;
    assert.equal(daily.stockout[j], 1);
    assert.ok(Number.isNaN(m.target[r]!));
    assert.equal(c.lower[k], daily.units[j]);
  }
});

test("gbdt quantile models are calibrated in sample and learn the promo lift", async () => {
  const { panel: daily, calendar } = testPanel(6, 700, 3);
  const settings = loadConfig({ env: {} }).features;
  const fitted = await gbdtQuantile({ params: { iterations: 80, maxLeaves: 15 }, threads: 1 }).fit({
    panel: demandPanel(daily),
    trainStart: 0,
    trainEnd: 600,
    horizon: 28,
    levels: QUANTILES,
    seed: 1,
    features: { daily, calendar, settings },
  });
  // Forecast 28 days ahead from several origins and compare with the held-out actuals.
  let below = 0;
  let n = 0;
  let promo = 0;
  let promoN = 0;
  let plain = 0;
  let plainN = 0;
  for (const origin of [603, 631, 659]) {
    const f = await fitted.predict(origin, 28);
    for (let i = 0; i < 5; i++) {
      for (let h = 1; h <= 28; h++) {
        const j = daily.indptr[i]! + origin + h - daily.start[i]!;
        const y = daily.demand[j]!;
        if (Number.isNaN(y)) continue;
        const q = f.q.subarray((i * 28 + h - 1) * 6, (i * 28 + h) * 6);
        n++;
        if (y <= q[4]!) below++;
        if (daily.onPromo[j]) {
          promo += q[2]! / (2 + 3 * i);
          promoN++;
        } else {
          plain += q[2]! / (2 + 3 * i);
          plainN++;
        }
      }
    }
  }
  const coverage95 = below / n;
  assert.ok(coverage95 > 0.88 && coverage95 < 0.995, `P(y <= q0.95) = ${coverage95}`);
  assert.ok(
    promo / promoN > 1.3 * (plain / plainN),
    `promo median ratio ${promo / promoN / (plain / plainN)}`,
  );
});
