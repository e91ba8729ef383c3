import assert from "node:assert/strict";
import { test } from "node:test";
import { loadConfig } from "../config/load.ts";
import { QUANTILES } from "../core/quantiles.ts";
import { testPanel } from "../features/test-panel.ts";
import { closePools } from "../gbdt/pool.ts";
import { movingQuantiles } from "../models/baselines/moving-quantiles.ts";
import { seasonalNaive } from "../models/baselines/seasonal-naive.ts";
import { runBacktest } from "../validation/backtest.ts";
import { rollingFolds } from "../validation/splits.ts";
import { runAnalysis } from "./run-analysis.ts";
import type { AnalysisInput } from "./types.ts";

const config = loadConfig({ env: {} });

async function input(): Promise<AnalysisInput> {
  const { panel: daily, calendar, weather } = testPanel(12, 500, 4);
  const folds = rollingFolds(0, daily.end, 3, config.validation);
  const cv = await runBacktest({
    daily,
    calendar,
    weather,
    settings: config.features,
    folds,
    forecasters: [movingQuantiles(), seasonalNaive()],
    levels: QUANTILES,
    horizon: 28,
    seed: 1,
  });
  return {
    daily,
    calendar,
    weather,
    settings: config.features,
    folds,
    cv,
    mainModel: "moving_quantiles",
    params: { iterations: 30, maxLeaves: 15, minDataInLeaf: 20 },
    originStep: 7,
    rowSample: 0.5,
    seed: 3,
    threads: 1,
    budget: {
      curves: true,
      maxRows: 3000,
      complexityVariants: 2,
      dataShares: [0.5, 1],
      levels: [0.5, 0.95],
    },
  };
}

test("runAnalysis: every section from a small run, plain JSON, the same twice", async (t) => {
  t.after(closePools);
  const inp = await input();
  const steps: string[] = [];
  const a = await runAnalysis({ ...inp, progress: (e) => steps.push(e.step) });
  const b = await runAnalysis(inp);
  const { timings: ta, ...ra } = a;
  const { timings: tb, ...rb } = b;
  assert.deepEqual(ra, rb, "seeded: the same input gives the same analysis");
  assert.deepEqual(Object.keys(ta), Object.keys(tb));
  assert.deepEqual(JSON.parse(JSON.stringify(a)), a, "plain JSON (no NaN, no typed arrays)");
  assert.ok(steps.includes("analysis: learning curves") && steps.at(-1) === "analysis");

  const lc = a.learningCurves!;
  assert.deepEqual(
    lc.curves.map((c) => c.level),
    [0.5, 0.95],
  );
  for (const c of lc.curves) {
    assert.equal(c.points.at(-1)!.iteration, 30);
    assert.ok(c.points.at(-1)!.train < c.points[0]!.train, "training loss falls with iterations");
  }
  assert.ok(lc.trainRows + lc.validRows <= 3000 && lc.validRows > 0);
  assert.deepEqual(
    a.complexity.map((v) => v.variant),
    ["main (15 leaves)", "lags <= 7", "windows <= 28 days"],
  );
  assert.ok(a.complexity[2]!.features < a.complexity[0]!.features);
  assert.deepEqual(
    a.dataSize.map((v) => v.variant),
    ["50% of rows", "100% of rows"],
  );
  assert.ok(a.dataSize[0]!.trainRows < a.dataSize[1]!.trainRows);
  assert.equal(a.granularity!.rows.length, 2);
  assert.ok(a.granularity!.weeks > 0);
  // The test panel lifts demand on price cuts: the median model predicts more at 60% of the usual price.
  for (const e of a.elasticity) assert.ok(e.points[0]!.demand > e.points.at(-1)!.demand, e.category);
  assert.deepEqual(
    a.elasticity.map((e) => e.category),
    ["A", "B"],
  );
  // CV-table sections cover the main model's rows; calibration has every model overall and 4 horizon buckets.
  assert.equal(a.residuals.length, QUANTILES.length);
  assert.equal(a.residuals[0]!.n, a.rows);
  assert.equal(a.calibration.length, 2 * QUANTILES.length + 4 * QUANTILES.length);
  assert.equal(a.cases.length, 10);
  assert.deepEqual(a.isotonic!.fitFolds, [0, 1]);
  assert.equal(a.isotonic!.appliedFold, 2);
});

test("runAnalysis without curves: only the CV-table sections, and a note saying so", async () => {
  const inp = await input();
  const a = await runAnalysis({ ...inp, budget: { curves: false } });
  assert.equal(a.learningCurves, null);
  assert.deepEqual(a.complexity, []);
  assert.equal(a.elasticity.length, 0);
  assert.match(a.notes.join(" "), /not computed/);
  assert.ok(a.cases.length > 0 && a.calibration.length > 0);
  await assert.rejects(runAnalysis({ ...inp, mainModel: "nope" }), /not in the CV table/);
});
