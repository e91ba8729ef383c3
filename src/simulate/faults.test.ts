import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { runEtl } from "../data/etl.ts";
import { qualityReport } from "../data/quality/report.ts";
import type { CheckResult, QualityReport } from "../data/quality/types.ts";
import { Warehouse } from "../data/warehouse.ts";
import { loadSimulation } from "./load.ts";
import { simulate } from "./simulate.ts";

const root = mkdtempSync(join(tmpdir(), "megaretail-sim-faults-"));
after(() => rmSync(root, { recursive: true, force: true }));

const CHAIN = { dcs: 2, stores: 6, products: 40, days: 150, seed: 3 };

/** Simulates, loads into a fresh warehouse, runs the ETL and the quality report. */
async function pipeline(name: string, params: Record<string, unknown>) {
  const out = join(root, name);
  const { manifest } = await simulate({ ...CHAIN, ...params }, out);
  const wh = await Warehouse.open(":memory:");
  try {
    await loadSimulation(wh, out);
    await runEtl(wh, { full: true });
    const report = await qualityReport(wh, { examples: 1000 });
    const faults = await wh.all<{ kind: string; table_name: string; date: string | null }>(
      `SELECT kind, table_name, date::VARCHAR AS date FROM read_parquet('${join(out, "truth/faults.parquet")}')`,
    );
    return { manifest, report, faults };
  } finally {
    wh.close();
  }
}

function find(report: QualityReport, pred: (r: CheckResult) => boolean): CheckResult[] {
  return report.results.filter((r) => r.severity !== "info" && r.count > 0 && pred(r));
}

for (const checks of [true, false]) {
  test(`with faults off the quality report is clean (${checks ? "checks" : "daily sales"})`, async () => {
    const { report, faults } = await pipeline(`clean-${checks}`, { checks });
    assert.equal(faults.length, 0);
    const issues = report.results.filter((r) => r.severity !== "info" && r.count > 0).map((r) => r.title);
    assert.deepEqual(issues, []);
    assert.equal(report.clean, true);
  });
}

test("with faults on the quality report finds every logged fault", async () => {
  const { report, faults } = await pipeline("faulty", {
    faults: true,
    faultRates: { duplicateRow: 0.002, missingStoreDay: 0.03, latePartition: 0.05, badValue: 0.002 },
  });
  const logged = (kind: string, table?: string) =>
    faults.filter((f) => f.kind === kind && (table === undefined || f.table_name === table));
  const quarantined = (table: string, reason: string) =>
    find(report, (r) => r.code === "quarantined" && r.table === table && r.figures?.reason === reason).reduce(
      (s, r) => s + r.count,
      0,
    );
  const kinds = new Set(faults.map((f) => f.kind));
  assert.deepEqual([...kinds].sort(), [
    "duplicate_row",
    "late_partition",
    "missing_day",
    "negative_price",
    "negative_units",
    "unknown_product",
  ]);
  for (const table of ["transactions", "stock"]) {
    assert.equal(
      quarantined(table, "duplicate_key"),
      logged("duplicate_row", table).length,
      `${table} duplicates`,
    );
  }
  assert.equal(quarantined("transactions", "out_of_range"), logged("negative_units").length);
  assert.equal(quarantined("transactions", "unknown_ref"), logged("unknown_product").length);
  assert.equal(quarantined("prices", "out_of_range"), logged("negative_price").length);
  // A lost day inside the data shows as a transactions day without rows.
  const missing = find(report, (r) => r.code === "missing-day" && r.table === "transactions");
  const found = new Set(missing.flatMap((r) => r.examples.map((e) => String(e.key?.date))));
  const lost = logged("missing_day").map((f) => f.date!);
  assert.ok(lost.length > 0);
  for (const d of lost) if (d > "2022-01-01" && d < "2022-05-30") assert.ok(found.has(d), `missing day ${d}`);
  const late = find(report, (r) => r.code === "late-partition");
  assert.equal(late[0]?.count, logged("late_partition").length);
  assert.equal(report.clean, false);
});
