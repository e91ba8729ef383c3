import assert from "node:assert/strict";
import { test } from "node:test";
import { loadConfig } from "../config/load.ts";
import { QUANTILES } from "../core/quantiles.ts";
import { testPanel } from "../features/test-panel.ts";
import { movingQuantiles } from "../models/baselines/moving-quantiles.ts";
import { seasonalNaive } from "../models/baselines/seasonal-naive.ts";
import { runBacktest } from "./backtest.ts";
import { evaluateCv } from "./evaluate-cv.ts";
import { rollingFolds } from "./splits.ts";

const config = loadConfig({ env: {} });

test("backtest: one row per (fold, model, series, day) with known demand; evaluation covers every model", async () => {
  const { panel: daily, calendar } = testPanel(5, 500, 2);
  const folds = rollingFolds(0, daily.end, 2, config.validation);
  const table = await runBacktest({
    daily,
    calendar,
    settings: config.features,
    folds,
    forecasters: [seasonalNaive(), movingQuantiles()],
    levels: QUANTILES,
    horizon: 28,
    seed: 1,
  });
  let known = 0;
  for (const f of folds) {
    for (let i = 0; i < 5; i++) {
      for (let h = 1; h <= 28; h++) {
        const t = f.origin + h - daily.start[i]!;
        if (
          t >= 0 &&
          t < daily.indptr[i + 1]! - daily.indptr[i]! &&
          !Number.isNaN(daily.demand[daily.indptr[i]! + t]!)
        )
          known++;
      }
    }
  }
  assert.equal(table.actual.length, 2 * known);
  for (let r = 0; r < table.actual.length; r += 97) {
    const i = table.series[r]!;
    assert.equal(
      table.actual[r],
      daily.demand[daily.indptr[i]! + table.origin[r]! + table.horizon[r]! - daily.start[i]!],
    );
  }
  const report = evaluateCv(table, daily, calendar, { bootstrap: 50 });
  assert.deepEqual(
    report.overall.map((o) => o.model),
    ["seasonal_naive", "moving_quantiles"],
  );
  const msp = (m: number) => report.overall[m]!.estimates.find((e) => e.metric === "mean_spinball")!;
  for (const m of [0, 1]) assert.ok(msp(m).lo <= msp(m).value && msp(m).value <= msp(m).hi);
  assert.equal(report.byHorizon.length, 2 * 28);
  assert.ok(report.byGroup.some((g) => g.dimension === "event_day" && g.group === "event"));
  assert.equal(report.calibration.length, 2 * QUANTILES.length);
  const again = evaluateCv(table, daily, calendar, { bootstrap: 50 });
  assert.deepEqual(again, report);
});
