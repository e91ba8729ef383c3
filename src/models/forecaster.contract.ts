import assert from "node:assert/strict";
import { test } from "node:test";
import { loadConfig } from "../config/load.ts";
import { QUANTILES } from "../core/quantiles.ts";
import type { DailyPanel } from "../data/to-panel.ts";
import { scrambleAfter } from "../features/leakage.ts";
import { testPanel } from "../features/test-panel.ts";
import { demandPanel, type Forecaster, fixCrossing, type QuantileForecast } from "./forecaster.ts";

/**
 * The contract every forecaster passes (hono's common.case.test.ts idea): call it from the model's test file.
 * A small seeded chain (features/test-panel.ts) with weekly seasonality, promos, stockouts (NaN demand) and a
 * late-starting series.
 */
export function forecasterContract(make: () => Forecaster): void {
  const name = make().name;
  const trainEnd = 400;
  const horizon = 28;
  const settings = loadConfig({ env: {} }).features;
  const origin = trainEnd + settings.latencyDays;
  // The calendar and weather never change between cases; only the daily panel is scrambled.
  const { calendar, weather } = testPanel();

  const fitPredict = async (daily: DailyPanel): Promise<QuantileForecast> => {
    const fitted = await make().fit({
      panel: demandPanel(daily),
      trainStart: trainEnd - 364,
      trainEnd,
      horizon,
      levels: QUANTILES,
      seed: 7,
      features: { daily, calendar, settings, weather },
    });
    return await fitted.predict(origin, horizon);
  };

  test(`${name}: shape, finite, non-negative, non-crossing quantiles`, async () => {
    const f = await fitPredict(testPanel().panel);
    assert.equal(f.nSeries, 6);
    assert.equal(f.q.length, 6 * horizon * QUANTILES.length);
    assert.deepEqual([...f.levels], [...QUANTILES]);
    for (const v of f.q) assert.ok(Number.isFinite(v) && v >= 0, `bad quantile ${v}`);
    if (f.mean) for (const v of f.mean) assert.ok(Number.isFinite(v) && v >= 0, `bad mean ${v}`);
    fixCrossing(f); // what the backtest does; it must leave every row ordered
    const L = QUANTILES.length;
    for (let b = 0; b < f.q.length; b += L)
      for (let k = 1; k < L; k++) assert.ok(f.q[b + k]! >= f.q[b + k - 1]!);
  });

  test(`${name}: deterministic for a seed`, async () => {
    const a = await fitPredict(testPanel().panel);
    const b = await fitPredict(testPanel().panel);
    assert.deepEqual(a.q, b.q);
  });

  test(`${name}: uses no observed data after the training end, no planned data past the planning horizon`, async () => {
    const clean = await fitPredict(testPanel().panel);
    const peeked = await fitPredict(
      scrambleAfter(testPanel().panel, trainEnd, origin + settings.plannedDays),
    );
    assert.deepEqual(peeked.q, clean.q);
  });

  test(`${name}: follows the level of a series`, async () => {
    const f = await fitPredict(testPanel().panel);
    const L = QUANTILES.length;
    const median = (i: number) => f.q[(i * horizon + 10) * L + 2]!;
    assert.ok(median(4) > median(0), `busy series median ${median(4)} <= slow series ${median(0)}`);
  });
}
