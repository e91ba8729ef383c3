import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { Rng } from "../core/rng.ts";
import { Warehouse } from "../data/warehouse.ts";
import { finishRun, type RunMetric, startRun } from "../tracking/runs.ts";
import { compareRuns, formatComparison } from "./runs-compare.ts";

/** Records a run whose per-series scores are `base + shift + noise`, over the first `n` of 150 series. */
async function record(
  wh: Warehouse,
  runsDir: string,
  shift: number,
  seed: number,
  n = 150,
  extra: RunMetric[] = [],
) {
  const base = new Rng(99);
  const noise = new Rng(seed);
  const ids = Array.from({ length: 150 }, (_, i) => `p${i}`);
  const value = Float64Array.from(ids, () => base.uniform(1, 8) + shift + 0.1 * noise.normal()).subarray(
    0,
    n,
  );
  const run = await startRun(wh, { kind: "train", runsDir, config: {}, seed, featureVersion: "f" });
  const mean = value.reduce((s, v) => s + v, 0) / n;
  await finishRun(wh, run, {
    status: "succeeded",
    metrics: [
      { model: "gbdt", metric: "mean_pinball", level: null, value: mean, lo: Number.NaN, hi: Number.NaN },
      ...extra,
    ],
    timings: {},
    artifacts: [],
    seriesScores: [
      {
        model: "gbdt",
        metric: "mean_pinball",
        storeId: ids.slice(0, n).map(() => "s1"),
        productId: ids.slice(0, n),
        value: Float64Array.from(value),
      },
    ],
  });
  return run.runId;
}

test("compare: noise between two runs is not significant, a real shift is, over the series both scored", async () => {
  const wh = await Warehouse.open(":memory:");
  const runsDir = join(mkdtempSync(join(tmpdir(), "mr-cmp-")), "runs");
  const level = (metric: string, value: number): RunMetric => ({
    model: "gbdt",
    metric,
    level: 0.5,
    value,
    lo: 0,
    hi: 0,
  });
  const a = await record(wh, runsDir, 0, 1, 150, [level("pinball_0.5", 1)]);
  const same = await record(wh, runsDir, 0, 2, 150, [level("coverage_0.5", 0.5)]);
  const better = await record(wh, runsDir, -0.1, 3, 120);

  const noise = await compareRuns(wh, a, same, { draws: 1000, seed: 1 });
  const row = noise.rows.find((r) => r.metric === "mean_pinball")!;
  assert.equal(row.series!.n, 150);
  assert.ok(!row.series!.significant, `noise CI [${row.series!.lo}, ${row.series!.hi}] should contain 0`);
  assert.deepEqual(noise.onlyA, ["gbdt/pinball_0.5/0.5"]);
  assert.deepEqual(noise.onlyB, ["gbdt/coverage_0.5/0.5"]);
  assert.ok(noise.sameData && noise.notes.length === 0);

  const real = await compareRuns(wh, a, better, { draws: 1000, seed: 1 });
  const r = real.rows.find((x) => x.metric === "mean_pinball")!;
  assert.equal(r.series!.n, 120, "only the series both runs scored are paired");
  assert.ok(r.series!.significant && r.series!.hi < 0, `shift -0.1: CI [${r.series!.lo}, ${r.series!.hi}]`);
  assert.ok(r.series!.lo < -0.1 && -0.1 < r.series!.hi);
  const text = formatComparison(real);
  assert.match(text, /mean_pinball .* yes$/m);

  const none = await compareRuns(wh, a, same, { metric: "wape" });
  assert.deepEqual(none.rows, []);
  assert.match(formatComparison(none), /no metric recorded by both runs/);
  wh.close();
});
