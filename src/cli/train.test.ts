import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { loadConfig } from "../config/load.ts";
import type { ConfigInput } from "../config/schema.ts";
import { Warehouse } from "../data/warehouse.ts";
import { FeatureTestsFailed, MAIN_MODEL, trainRun } from "../pipeline/train.ts";
import { getRun, listModels } from "../tracking/index.ts";
import { listRuns } from "../tracking/run-queries.ts";
import { simulatedWarehouse } from "./sim-warehouse.test-support.ts";

// Here in cli/ because only the apps may import the simulator. A small chain and a small learner keep these tests
// to about a minute on 2 cores.
const TRAIN: ConfigInput["train"] = {
  rowSample: 0.5,
  learner: { iterations: 40, maxLeaves: 15, minDataInLeaf: 20 },
  evaluation: { folds: 2, bootstrap: 50, baselines: ["seasonal_naive"] },
  analysis: { curves: false, permutationRepeats: 1, importanceRows: 2000, shapRows: 50 },
};

/** Runs `fn` on a fresh small simulated chain's warehouse (open), closing it afterwards. */
async function withChain(fn: (wh: Warehouse, dir: string, db: string) => Promise<void>): Promise<void> {
  const { dir, db } = await simulatedWarehouse({ dcs: 1, stores: 2, products: 10, days: 220, seed: 5 });
  const wh = await Warehouse.open(db);
  try {
    await fn(wh, dir, db);
  } finally {
    wh.close();
  }
}

const metricsOf = (file: string) => {
  const m = JSON.parse(readFileSync(file, "utf8"));
  return { overall: m.overall, calibration: m.calibration, paired: m.paired };
};

test("train: the same config and seed give the same model bytes and metrics; another seed changes both", async () => {
  await withChain(async (wh, dir, db) => {
    const run = (seed: number, name: string) =>
      trainRun(
        wh,
        loadConfig({
          env: {},
          flags: { db, threads: 2, train: { ...TRAIN, seed, runsDir: join(dir, name) } },
        }),
      );
    const a = await run(1, "a");
    const b = await run(1, "b");
    const c = await run(2, "c");
    assert.notEqual(a.runId, b.runId);
    assert.equal(a.modelSha256, b.modelSha256);
    assert.equal(readFileSync(a.modelFile, "utf8"), readFileSync(b.modelFile, "utf8"));
    assert.deepEqual(metricsOf(a.files["metrics.json"]!), metricsOf(b.files["metrics.json"]!));
    assert.notEqual(a.modelSha256, c.modelSha256);
    assert.notDeepEqual(
      metricsOf(a.files["metrics.json"]!).overall,
      metricsOf(c.files["metrics.json"]!).overall,
    );

    // The run is tracked with its artifacts, and the model registered as a candidate.
    for (const f of [
      "model.json",
      "metrics.json",
      "config.json",
      "config.resolved.json",
      "importance.json",
      "feature-tests.json",
      "analysis.json",
    ]) {
      assert.ok(existsSync(join(a.dir, f)), f);
    }
    const tracked = await getRun(wh, a.runId);
    assert.equal(tracked.status, "succeeded");
    assert.ok(tracked.metrics.some((m) => m.model === MAIN_MODEL && m.metric === "mean_spinball"));
    const versions = await listModels(wh);
    assert.deepEqual(
      versions.map((v) => [v.version, v.stage, v.runId]).sort((x, y) => Number(x[0]) - Number(y[0])),
      [
        [1, "candidate", a.runId],
        [2, "candidate", b.runId],
        [3, "candidate", c.runId],
      ],
    );
    // Importance: every level's gain table lists every feature; SHAP and permutation ran on holdout rows.
    assert.equal(a.insights.importance.byLevel.length, 6);
    assert.ok(a.insights.importance.shap && a.insights.importance.shap.rows > 0);
    assert.ok(a.insights.importance.permutation && a.insights.importance.permutation.features.length > 0);
    // The Tweedie model gives the production model's mean, so the CV table has one.
    const bias = a.report.overall
      .find((o) => o.model === MAIN_MODEL)!
      .estimates.find((e) => e.metric === "bias")!;
    assert.ok(Number.isFinite(bias.value));
  });
});

test("train: a failing feature test stops the run before any fit, with the report and a failed run recorded", async () => {
  await withChain(async (wh, dir, db) => {
    // The simulated chain has no SNAP days: the snap flag is constant, which fails when "constant" is in failOn.
    const config = loadConfig({
      env: {},
      flags: {
        db,
        featureTests: { failOn: ["constant"] },
        train: { ...TRAIN, runsDir: join(dir, "runs") },
      },
    });
    const err = await trainRun(wh, config).then(
      () => assert.fail("the run should fail"),
      (e: Error) => e,
    );
    assert.ok(err instanceof FeatureTestsFailed, String(err));
    assert.match(err.message, /feature-tests\.json: \d+ feature test\(s\) failed \(before training\)/);
    assert.match(err.message, /error constant snap/);
    const runs = await listRuns(wh);
    assert.equal(runs.length, 1);
    assert.equal(runs[0]!.status, "failed");
    const report = JSON.parse(readFileSync(join(runs[0]!.dir, "feature-tests.json"), "utf8"));
    assert.equal(report.ok, false);
    assert.deepEqual(await listModels(wh), []);
  });
});

test("train --tune: trials on the inner folds, the best one's settings fit the final model and are recorded", async () => {
  await withChain(async (wh, dir, db) => {
    const config = loadConfig({
      env: {},
      flags: {
        db,
        validation: { innerFolds: 2 },
        train: {
          ...TRAIN,
          runsDir: join(dir, "runs"),
          analysis: { enabled: false, permutationRepeats: 0, shapRows: 0 },
          tune: { enabled: true, trials: 3, method: "random" },
        },
      },
    });
    const r = await trainRun(wh, config);
    assert.ok(r.tune);
    assert.equal(r.tune.trials.length, 3);
    assert.equal(r.tune.folds, 2);
    assert.equal(r.tune.best.score, Math.min(...r.tune.trials.map((t) => t.score)));
    for (const [k, v] of Object.entries(r.tune.best.params)) {
      assert.equal(r.learner[k as keyof typeof r.learner], v, k);
    }
    const resolved = JSON.parse(readFileSync(r.files["config.resolved.json"]!, "utf8"));
    assert.deepEqual(resolved.train.learner, r.learner);
    assert.ok(existsSync(join(r.dir, "tune.json")));
    const model = JSON.parse(readFileSync(r.modelFile, "utf8"));
    assert.ok(
      JSON.stringify(model).includes(`"maxLeaves":${r.learner.maxLeaves}`),
      "the model was fitted with the tuned leaves",
    );
  });
});
