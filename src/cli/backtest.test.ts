import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { EXPORT_COLUMNS } from "../data/backtest-store.ts";
import { runCliChild } from "./child.test-support.ts";
import { simulatedWarehouse } from "./sim-warehouse.test-support.ts";

const cli = runCliChild;

test("megaretail backtest on a simulated chain: report, metrics, export with the documented columns, oracle best", async () => {
  const { dir, db, truthRows } = await simulatedWarehouse(
    { dcs: 1, stores: 2, products: 12, days: 240, seed: 3 },
    { truth: true },
  );
  assert.ok(truthRows > 0);

  const out = join(dir, "bt");
  const exported = join(dir, "cv.csv");
  const r = cli([
    "backtest",
    "--db",
    db,
    "--models",
    "seasonal_naive,moving_quantiles",
    "--folds",
    "2",
    "--bootstrap",
    "50",
    "--out",
    out,
    "--export",
    exported,
    "--json",
  ]);
  assert.equal(r.code, 0, r.err);
  const summary = JSON.parse(r.out);
  assert.ok(existsSync(join(out, "report.html")) && existsSync(join(out, "metrics.json")));
  const metrics = JSON.parse(readFileSync(join(out, "metrics.json"), "utf8"));
  assert.deepEqual(metrics.models, ["seasonal_naive", "moving_quantiles", "oracle"]);
  const lines = readFileSync(exported, "utf8").trim().split("\n");
  assert.deepEqual(lines[0]!.split(","), [...EXPORT_COLUMNS]);
  assert.equal(lines.length - 1, summary.exportedRows);
  assert.equal(summary.exportedRows, metrics.rows * 3);
  const loss = (m: string) =>
    summary.headline.find((h: { model: string }) => h.model === m).meanScaledPinball;
  assert.ok(
    loss("oracle") < loss("seasonal_naive"),
    `oracle ${loss("oracle")} vs naive ${loss("seasonal_naive")}`,
  );
  const html = readFileSync(join(out, "report.html"), "utf8");
  for (const id of ["summary", "metrics", "calibration", "horizon", "breakdowns", "fans"]) {
    assert.ok(html.includes(`id="${id}"`), `section ${id}`);
  }

  const splits = cli(["splits", "--db", db, "--folds", "2", "--inner", "--json"]);
  assert.equal(splits.code, 0, splits.err);
  const printed = JSON.parse(splits.out);
  // The folds printed are the folds the backtest ran: the export's distinct origins.
  const origins = [...new Set(lines.slice(1).map((l) => l.split(",")[3]!))].sort();
  assert.deepEqual(
    printed.folds.map((f: { origin: string }) => f.origin),
    origins,
  );
  assert.equal(printed.folds[0].inner.length, 3);

  const bad = cli(["backtest", "--db", db, "--models", "nope"]);
  assert.equal(bad.code, 2);
  assert.match(bad.err, /unknown model "nope"; known models: seasonal_naive/);
});
