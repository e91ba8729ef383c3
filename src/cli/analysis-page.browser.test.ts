// The analysis page of a real small run, in headless Chromium. It lives in cli/ because it chains the simulator,
// the backtest, the analysis and the report, and only the apps may import all of them (ARCHITECTURE.md).
import assert from "node:assert/strict";
import { test } from "node:test";
import { runAnalysis } from "../analysis/run-analysis.ts";
import { loadConfig } from "../config/load.ts";
import { QUANTILES } from "../core/quantiles.ts";
import { panelStart } from "../data/to-panel.ts";
import { Warehouse } from "../data/warehouse.ts";
import { closePools } from "../gbdt/pool.ts";
import { seasonalNaive } from "../models/baselines/seasonal-naive.ts";
import { gbdtQuantile } from "../models/gbdt-quantile.ts";
import { analysisPage } from "../report/analysis-page.ts";
import { browserSkip, withPage } from "../report/browser.test-support.ts";
import { runBacktest } from "../validation/backtest.ts";
import { loadModelData } from "../validation/job.ts";
import { rollingFolds } from "../validation/splits.ts";
import { simulatedWarehouse } from "./sim-warehouse.test-support.ts";

const SECTIONS = [
  "overview",
  "learning-curves",
  "complexity",
  "data-size",
  "residuals",
  "calibration",
  "calibration-table",
  "cases",
  "elasticity",
  "isotonic",
];

/** analysis.html of a small simulated chain: GBDT quantiles and seasonal naive on two folds, a small budget. */
async function smallRunPage(): Promise<string> {
  const { db } = await simulatedWarehouse({ dcs: 1, stores: 2, products: 10, days: 240, seed: 5 });
  const wh = await Warehouse.open(db);
  try {
    const { daily, calendar, weather } = await loadModelData(wh);
    const config = loadConfig({ env: {} });
    const folds = rollingFolds(panelStart(daily), daily.end, 2, config.validation);
    const params = { iterations: 30, maxLeaves: 15, minDataInLeaf: 20 };
    const cv = await runBacktest({
      daily,
      calendar,
      weather,
      settings: config.features,
      folds,
      forecasters: [gbdtQuantile({ params, rowSample: 0.5, threads: 2 }), seasonalNaive()],
      levels: QUANTILES,
      horizon: 28,
      seed: 1,
    });
    const analysis = await runAnalysis({
      daily,
      calendar,
      weather,
      settings: config.features,
      folds,
      cv,
      mainModel: "gbdt_quantile",
      params,
      originStep: 7,
      rowSample: 0.5,
      seed: 1,
      threads: 2,
      budget: {
        curves: true,
        maxRows: 4000,
        complexityVariants: 2,
        dataShares: [0.5, 1],
        levels: [0.25, 0.5, 0.95],
      },
    });
    return analysisPage(analysis, "2026-11-26T00:00:00Z");
  } finally {
    wh.close();
    await closePools();
  }
}

test("analysis.html of a small run in headless Chromium: every section has data, charts drawn, no errors", {
  skip: browserSkip,
}, async () => {
  await withPage(await smallRunPage(), "analysis", async (page, problems) => {
    const ids = await page.locator("section[data-section]").evaluateAll((els) => els.map((e) => e.id));
    assert.deepEqual(ids, SECTIONS);
    for (const id of ids) {
      const section = page.locator(`#${id}`);
      assert.ok(await section.isVisible(), `section ${id} is visible`);
      assert.equal(await section.locator(".no-data").count(), 0, `section ${id} has data`);
      const charts = await section.locator("figure svg").all();
      for (const svg of charts) {
        const b = await svg.boundingBox();
        assert.ok(b && b.width > 100 && b.height > 50, `a chart in ${id} is drawn at a readable size`);
        // Drawn marks, not an empty frame: lines, points, bars or areas.
        assert.ok((await svg.locator("path, line, rect, circle").count()) > 5, `a chart in ${id} has marks`);
      }
      const rows = await section.locator("table tbody tr").count();
      assert.ok(charts.length + rows > 0, `section ${id} shows a chart or a table with rows`);
    }
    for (const id of [
      "learning-curves",
      "complexity",
      "data-size",
      "residuals",
      "calibration",
      "elasticity",
    ]) {
      assert.ok((await page.locator(`#${id} figure svg`).count()) > 0, `${id} has a chart`);
    }
    for (const id of ["calibration-table", "cases", "isotonic"]) {
      assert.ok((await page.locator(`#${id} table tbody tr`).count()) > 0, `${id} has table rows`);
    }
    assert.deepEqual(problems, []);
  });
});
