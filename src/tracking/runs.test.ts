import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { ConflictError, InputError, NotFoundError } from "../core/errors.ts";
import { Warehouse } from "../data/warehouse.ts";
import { codeVersion } from "./code-version.ts";
import { getRun, listRuns } from "./run-queries.ts";
import { finishRun, startRun } from "./runs.ts";

const clock = (iso: string) => () => new Date(iso);

async function setup() {
  const wh = await Warehouse.open(":memory:");
  const runsDir = join(mkdtempSync(join(tmpdir(), "mr-runs-")), "runs");
  return { wh, runsDir };
}

test("a run's lifecycle: started (running, dir, config.json), finished with metrics, scores, artifacts", async () => {
  const { wh, runsDir } = await setup();
  const config = { train: { levels: [0.5, 0.95] }, seed: 7 };
  const run = await startRun(wh, {
    kind: "train",
    runsDir,
    config,
    seed: 7,
    featureVersion: "fs-3",
    now: clock("2026-11-26T08:15:30Z"),
  });
  assert.match(run.runId, /^20261126T081530-7-[0-9a-f]{4}$/);
  assert.equal(run.dir, join(runsDir, run.runId));
  assert.deepEqual(JSON.parse(readFileSync(join(run.dir, "config.json"), "utf8")), config);
  let detail = await getRun(wh, run.runId);
  assert.equal(detail.status, "running");
  assert.equal(detail.finishedAt, null);
  assert.deepEqual(detail.config, config);
  assert.equal(detail.featureVersion, "fs-3");
  assert.ok(detail.dataFingerprint.some((t) => t.name === "daily"));
  assert.match(detail.dataHash, /^[0-9a-f]{64}$/);
  assert.equal(detail.codeVersion.package, codeVersion().package);

  writeFileSync(join(run.dir, "model.json"), '{"trees":[]}');
  await finishRun(wh, run, {
    status: "succeeded",
    metrics: [
      { model: "gbdt", metric: "wpl", level: null, value: 0.12, lo: 0.11, hi: 0.13 },
      { model: "gbdt", metric: "coverage", level: 0.95, value: 0.94, lo: Number.NaN, hi: Number.NaN },
    ],
    timings: { features: 1.5, fit: 10 },
    artifacts: ["model.json", join(run.dir, "config.json")],
    seriesScores: [
      {
        model: "gbdt",
        metric: "wpl",
        storeId: ["s1", "s2"],
        productId: ["p1", "p1"],
        value: Float64Array.of(0.1, 0.2),
      },
    ],
    now: clock("2026-11-26T08:20:00Z"),
  });
  detail = await getRun(wh, run.runId);
  assert.equal(detail.status, "succeeded");
  assert.equal(detail.finishedAt, "2026-11-26T08:20:00.000Z");
  assert.deepEqual(detail.timings, { features: 1.5, fit: 10 });
  assert.deepEqual(detail.artifacts, [
    { path: "model.json", bytes: 12 },
    { path: "config.json", bytes: readFileSync(join(run.dir, "config.json")).length },
  ]);
  assert.equal(detail.metrics.length, 2);
  const cov = detail.metrics.find((m) => m.metric === "coverage")!;
  assert.equal(cov.level, 0.95);
  assert.ok(Number.isNaN(cov.lo) && Number.isNaN(cov.hi), "a missing CI reads back as NaN");
  assert.deepEqual(detail.seriesScores, [{ model: "gbdt", metric: "wpl", series: 2 }]);
  const scores = await wh.all("SELECT store_id, value FROM run_series_scores ORDER BY store_id");
  assert.deepEqual(scores, [
    { store_id: "s1", value: 0.1 },
    { store_id: "s2", value: 0.2 },
  ]);

  await assert.rejects(
    finishRun(wh, run, { status: "failed", metrics: [], timings: {}, artifacts: [] }),
    ConflictError,
  );
  await assert.rejects(
    finishRun(
      wh,
      { runId: "nope", dir: runsDir },
      { status: "failed", metrics: [], timings: {}, artifacts: [] },
    ),
    NotFoundError,
  );
  wh.close();
});

test("bad artifacts or scores are refused before anything is written; a failed run records missing files", async () => {
  const { wh, runsDir } = await setup();
  const run = await startRun(wh, { kind: "backtest", runsDir, config: {}, seed: 1, featureVersion: "f" });
  const metrics = [{ model: "m", metric: "x", level: null, value: 1, lo: 0, hi: 2 }];
  await assert.rejects(
    finishRun(wh, run, { status: "succeeded", metrics, timings: {}, artifacts: ["../elsewhere.json"] }),
    InputError,
  );
  await assert.rejects(
    finishRun(wh, run, { status: "succeeded", metrics, timings: {}, artifacts: ["model.json"] }),
    /model.json of a succeeded run does not exist/,
  );
  await assert.rejects(
    finishRun(wh, run, {
      status: "succeeded",
      metrics,
      timings: {},
      artifacts: [],
      seriesScores: [{ model: "m", metric: "x", storeId: ["a"], productId: [], value: Float64Array.of(1) }],
    }),
    /must align/,
  );
  // A failure inside the transaction (here: a level DuckDB cannot store) rolls back the status update too.
  const broken = {
    model: "m",
    metric: "y",
    level: "not a number" as unknown as number,
    value: 1,
    lo: 0,
    hi: 2,
  };
  await assert.rejects(
    finishRun(wh, run, { status: "succeeded", metrics: [...metrics, broken], timings: {}, artifacts: [] }),
  );
  assert.equal((await getRun(wh, run.runId)).status, "running");
  assert.equal(await wh.scalar("SELECT count(*) FROM run_metrics"), 0);

  await finishRun(wh, run, {
    status: "failed",
    metrics: [],
    timings: { features: 0.5 },
    artifacts: ["model.json"],
    error: "feature tests failed",
  });
  const detail = await getRun(wh, run.runId);
  assert.equal(detail.status, "failed");
  assert.equal(detail.error, "feature tests failed");
  assert.deepEqual(detail.artifacts, [{ path: "model.json", bytes: null }]);
  wh.close();
});

test("run ids are unique at the same instant and list newest first; bad seeds are refused", async () => {
  const { wh, runsDir } = await setup();
  const ids: string[] = [];
  for (const iso of [
    "2026-01-01T00:00:00Z",
    "2026-01-01T00:00:00Z",
    "2026-01-01T00:00:00Z",
    "2026-02-01T00:00:00Z",
  ]) {
    ids.push(
      (
        await startRun(wh, {
          kind: "train",
          runsDir,
          config: {},
          seed: 5,
          featureVersion: "f",
          now: clock(iso),
        })
      ).runId,
    );
  }
  assert.equal(new Set(ids).size, 4);
  for (const id of ids) assert.ok(existsSync(join(runsDir, id)));
  const listed = await listRuns(wh, 2);
  assert.equal(listed.length, 2);
  assert.equal(listed[0]!.runId, ids[3]);
  assert.ok(ids[3]! > ids[0]!, "ids sort by start time");
  await assert.rejects(
    startRun(wh, { kind: "train", runsDir, config: {}, seed: 1.5, featureVersion: "f" }),
    InputError,
  );
  await assert.rejects(getRun(wh, "missing"), NotFoundError);
  wh.close();
});

test("codeVersion names this checkout's commit when git is there, and never throws", () => {
  const v = codeVersion();
  assert.match(v.package, /^\d+\.\d+\.\d+/);
  if (v.commit !== null) {
    assert.match(v.commit, /^[0-9a-f]{40}$/);
    assert.equal(typeof v.dirty, "boolean");
  } else assert.equal(v.dirty, null);
});

test("per-series scores keep each value with its own (store, product), NaN as NULL", async () => {
  const { wh, runsDir } = await setup();
  const run = await startRun(wh, { kind: "train", runsDir, config: {}, seed: 2, featureVersion: "f" });
  // Stores and products repeat in different patterns, so a mix-up of either dictionary shows.
  const storeId = Array.from({ length: 30 }, (_, i) => `st'${(i * 7) % 3}`);
  const productId = Array.from({ length: 30 }, (_, i) => `pr${29 - i}`);
  const value = Float64Array.from({ length: 30 }, (_, i) => (i === 4 ? Number.NaN : i));
  await finishRun(wh, run, {
    status: "succeeded",
    metrics: [],
    timings: {},
    artifacts: [],
    seriesScores: [{ model: "m", metric: "x", storeId, productId, value }],
  });
  const rows = await wh.all<{ store_id: string; product_id: string; value: number | null }>(
    "SELECT store_id, product_id, value FROM run_series_scores",
  );
  assert.equal(rows.length, 30);
  for (const r of rows) {
    const i = 29 - Number(r.product_id.slice(2));
    assert.equal(r.store_id, storeId[i]);
    assert.equal(r.value, i === 4 ? null : i);
  }
  assert.equal(await wh.scalar("SELECT count(*) FROM duckdb_tables() WHERE temporary"), 0, "staging dropped");
  wh.close();
});
