import assert from "node:assert/strict";
import { test } from "node:test";
import { type Panel, panelFromSeries } from "../core/panel.ts";
import { QUANTILES } from "../core/quantiles.ts";
import { Rng } from "../core/rng.ts";
import { type Forecaster, fixCrossing, type QuantileForecast } from "./forecaster.ts";

/**
 * The contract every forecaster passes (hono's common.case.test.ts idea): call it from the model's test file.
 * A small seeded panel with weekly seasonality, intermittent and censored (NaN) days, an all-unknown series
 * and a series that starts after the training end.
 */
export function forecasterContract(make: () => Forecaster): void {
  const name = make().name;
  const trainEnd = 400;
  const horizon = 28;
  const origin = trainEnd + 3;

  const fitPredict = async (panel: Panel): Promise<QuantileForecast> => {
    const fitted = await make().fit({ panel, trainEnd, levels: QUANTILES, seed: 7 });
    return fitted.predict(origin, horizon);
  };

  test(`${name}: shape, finite, non-negative, non-crossing quantiles`, async () => {
    const f = await fitPredict(contractPanel());
    assert.equal(f.nSeries, 5);
    assert.equal(f.q.length, 5 * horizon * QUANTILES.length);
    assert.deepEqual([...f.levels], [...QUANTILES]);
    for (const v of f.q) assert.ok(Number.isFinite(v) && v >= 0, `bad quantile ${v}`);
    if (f.mean) for (const v of f.mean) assert.ok(Number.isFinite(v) && v >= 0, `bad mean ${v}`);
    const crossed = fixCrossing(f);
    assert.ok(crossed <= f.q.length / QUANTILES.length, "fixCrossing counts rows");
    const L = QUANTILES.length;
    for (let b = 0; b < f.q.length; b += L)
      for (let k = 1; k < L; k++) assert.ok(f.q[b + k]! >= f.q[b + k - 1]!);
  });

  test(`${name}: deterministic for a seed`, async () => {
    const a = await fitPredict(contractPanel());
    const b = await fitPredict(contractPanel());
    assert.deepEqual(a.q, b.q);
  });

  test(`${name}: uses no data after the training end`, async () => {
    const clean = await fitPredict(contractPanel());
    const future = contractPanel();
    for (let i = 0; i < future.keys.length; i++) {
      for (let j = future.indptr[i]!; j < future.indptr[i + 1]!; j++) {
        if (future.start[i]! + (j - future.indptr[i]!) > trainEnd) future.values[j] = 1000 + j;
      }
    }
    const peeked = await fitPredict(future);
    assert.deepEqual(peeked.q, clean.q);
  });

  test(`${name}: follows the level of a series`, async () => {
    const f = await fitPredict(contractPanel());
    const L = QUANTILES.length;
    const median = (i: number) => f.q[(i * horizon + 10) * L + 2]!;
    assert.ok(median(1) > median(0), `busy series median ${median(1)} <= slow series ${median(0)}`);
  });
}

/** Days 0..460: 0 slow weekly series, 1 busy weekly series, 2 intermittent with stockouts, 3 unknown, 4 new. */
export function contractPanel(): Panel {
  const rng = new Rng(42);
  const weekly = (level: number) =>
    Array.from({ length: 461 }, (_, d) => rng.poisson(level * (d % 7 === 5 || d % 7 === 6 ? 1.6 : 1)));
  const intermittent = Array.from({ length: 461 }, (_, d) =>
    d % 37 === 3 ? Number.NaN : rng.chance(0.15) ? 1 + rng.poisson(1) : 0,
  );
  return panelFromSeries([
    { key: "slow", start: 0, values: weekly(2) },
    { key: "busy", start: 0, values: weekly(40) },
    { key: "intermittent", start: 0, values: intermittent },
    { key: "unknown", start: 0, values: new Array(461).fill(Number.NaN) },
    { key: "new", start: 420, values: Array.from({ length: 41 }, () => rng.poisson(3)) },
  ]);
}
