import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { Rng } from "../core/rng.ts";
import { Warehouse } from "../data/warehouse.ts";
import { finishRun, type RunMetric, startRun } from "../tracking/runs.ts";
import { runCliChild } from "./child.test-support.ts";
import { EXIT } from "./exit-codes.ts";

/** Three finished runs: B is A plus a real per-series improvement, C has no series scores. */
async function threeRuns(db: string, runsDir: string): Promise<[string, string, string]> {
  const wh = await Warehouse.open(db);
  const n = 200;
  const storeId = Array.from({ length: n }, (_, i) => `s${i % 10}`);
  const productId = Array.from({ length: n }, (_, i) => `p${Math.floor(i / 10)}`);
  const rng = new Rng(11);
  const level = Float64Array.from({ length: n }, () => rng.uniform(0.5, 5));
  const ids: string[] = [];
  for (const [k, shift] of [0, -0.2, 0].entries()) {
    const run = await startRun(wh, {
      kind: "train",
      runsDir,
      config: { run: k },
      seed: 3,
      featureVersion: "fs-1",
      now: () => new Date(Date.UTC(2026, 10, 26, 8, 0, k)),
    });
    const value = Float64Array.from(level, (v) => v + shift + 0.05 * rng.normal());
    const wpl = value.reduce((s, v) => s + v, 0) / n;
    const metrics: RunMetric[] = [
      { model: "gbdt", metric: "wpl", level: null, value: wpl, lo: wpl - 0.3, hi: wpl + 0.3 },
      {
        model: "gbdt",
        metric: "coverage",
        level: 0.95,
        value: 0.93 + 0.01 * k,
        lo: Number.NaN,
        hi: Number.NaN,
      },
    ];
    const seriesScores = k < 2 ? [{ model: "gbdt", metric: "wpl", storeId, productId, value }] : undefined;
    await finishRun(wh, run, {
      status: "succeeded",
      metrics,
      timings: { fit: 2 + k },
      artifacts: [],
      seriesScores,
    });
    ids.push(run.runId);
  }
  wh.close();
  return ids as [string, string, string];
}

test("megaretail runs list / show / compare on recorded runs", async () => {
  const dir = mkdtempSync(join(tmpdir(), "mr-cli-runs-"));
  const db = join(dir, "w.duckdb");
  const [a, b, c] = await threeRuns(db, join(dir, "runs"));

  const list = runCliChild(["runs", "list", "--db", db, "--json", "--limit", "2"]);
  assert.equal(list.code, 0, list.err);
  assert.deepEqual(
    JSON.parse(list.out).map((r: { runId: string }) => r.runId),
    [c, b],
  );
  const show = runCliChild(["runs", "show", b, "--db", db]);
  assert.equal(show.code, 0, show.err);
  for (const part of ["succeeded", "fs-1", "sales", "wpl", "coverage", "fit", '"run": 1']) {
    assert.ok(show.out.includes(part), `show prints ${part}`);
  }

  const cmp = runCliChild(["runs", "compare", a, b, "--db", db, "--json", "--bootstrap", "500"]);
  assert.equal(cmp.code, 0, cmp.err);
  const rows = JSON.parse(cmp.out).rows as {
    metric: string;
    level: number | null;
    delta: number;
    series: { n: number; delta: number; lo: number; hi: number; significant: boolean } | null;
  }[];
  const wpl = rows.find((r) => r.metric === "wpl")!;
  assert.equal(wpl.series!.n, 200);
  assert.ok(wpl.series!.significant && wpl.series!.hi < 0, "a real improvement of 0.2 is significant");
  assert.ok(Math.abs(wpl.delta - wpl.series!.delta) < 1e-9, "same series: run delta = mean series delta");
  const cov = rows.find((r) => r.metric === "coverage")!;
  assert.equal(cov.series, null, "per-level metrics get plain deltas");
  assert.ok(Math.abs(cov.delta - 0.01) < 1e-9);

  const plain = runCliChild(["runs", "compare", a, c, "--db", db, "--metric", "wpl"]);
  assert.equal(plain.code, 0, plain.err);
  assert.match(plain.out, new RegExp(`no per-series scores recorded for ${c}`));
  assert.ok(!plain.out.includes("coverage"), "--metric keeps one metric");

  const missing = runCliChild(["runs", "show", "no-such-run", "--db", db]);
  assert.equal(missing.code, EXIT.notFound);
  assert.match(missing.err, /run no-such-run is not recorded/);
});
