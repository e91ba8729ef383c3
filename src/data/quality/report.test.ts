import assert from "node:assert/strict";
import { test } from "node:test";
import { Warehouse } from "../warehouse.ts";
import { qualityReport } from "./report.ts";
import type { CheckResult, QualityReport } from "./types.ts";

const STORES = ["S1", "S2"];
const PRODUCTS = ["P1", "P2"];
const DAYS = 20;

/** A small clean warehouse: 2 stores x 2 products x 20 dense days (zeros included), priced every day. */
async function cleanWarehouse(): Promise<Warehouse> {
  const wh = await Warehouse.open(":memory:");
  for (const s of STORES) await wh.run("INSERT INTO stores (store_id, region) VALUES ($1, 'R1')", [s]);
  for (const p of PRODUCTS) {
    await wh.run("INSERT INTO products (product_id, category_l1) VALUES ($1, 'FOODS')", [p]);
  }
  await wh.run(
    `INSERT INTO sales
     SELECT DATE '2024-01-01' + d::INTEGER, s, p, (d % 3)::DOUBLE, (d % 3) * 2.0, NULL
     FROM range(${DAYS}) t(d), unnest(['S1', 'S2']) a(s), unnest(['P1', 'P2']) b(p)`,
  );
  await wh.run(`INSERT INTO prices SELECT date, store_id, product_id, 2.0, NULL FROM sales`);
  return wh;
}

function find(report: QualityReport, code: string, table?: string): CheckResult | undefined {
  return report.results.find((r) => r.code === code && (table === undefined || r.table === table));
}

test("a clean warehouse is clean and still gets its measurements", async () => {
  const wh = await cleanWarehouse();
  // Four days of one series in the daily table: one stockout, one not in the assortment.
  await wh.run(
    `INSERT INTO daily (date, store_id, product_id, units, regular_price, on_promo, stockout, in_assortment)
     SELECT DATE '2024-01-01' + d::INTEGER, 'S1', 'P1', 1, 2.0, false, d = 1, d <> 2 FROM range(4) t(d)`,
  );
  const report = await qualityReport(wh);
  assert.deepEqual(
    report.results.filter((r) => r.severity !== "info"),
    [],
  );
  assert.equal(report.clean, true);
  assert.equal(report.issues, 0);
  assert.equal(find(report, "row-count", "sales")?.count, STORES.length * PRODUCTS.length * DAYS);
  assert.deepEqual(find(report, "rows-per-day", "sales")?.figures, {
    days: DAYS,
    min: 4,
    median: 4,
    max: 4,
    first: "2024-01-01",
    last: "2024-01-20",
  });
  assert.equal(find(report, "stockout-share")?.figures?.share, 0.25);
  assert.equal(find(report, "not-in-assortment-share")?.figures?.share, 0.25);
  const priced = report.results.find((r) => r.code === "coverage" && r.table === "prices");
  assert.equal(priced?.figures?.share, 1);
  assert.ok(report.checks.every((c) => c.issues === 0));
  wh.close();
});

test("planted faults are each found with the right count and an example", async () => {
  const wh = await cleanWarehouse();
  // Duplicate: a second copy of one sales row.
  await wh.run(
    "INSERT INTO sales SELECT * FROM sales WHERE date = DATE '2024-01-04' AND store_id = 'S1' AND product_id = 'P1'",
  );
  // Gap: one series misses one day.
  await wh.run("DELETE FROM sales WHERE date = DATE '2024-01-06' AND store_id = 'S1' AND product_id = 'P2'");
  // Negative and impossible values.
  await wh.run(
    "UPDATE sales SET units = -2 WHERE date = DATE '2024-01-08' AND store_id = 'S2' AND product_id = 'P1'",
  );
  await wh.run(
    "UPDATE sales SET revenue = 5 WHERE units = 0 AND date = DATE '2024-01-04' AND store_id = 'S2' AND product_id = 'P2'",
  );
  // Orphan: a product no table knows.
  await wh.run("INSERT INTO sales VALUES (DATE '2024-01-09', 'S1', 'P404', 1, NULL, NULL)");
  // A whole day missing (late partition), and a thin day (3 of 4 rows missing).
  await wh.run("DELETE FROM sales WHERE date = DATE '2024-01-13'");
  await wh.run(
    "DELETE FROM sales WHERE date = DATE '2024-01-16' AND NOT (store_id = 'S1' AND product_id = 'P1')",
  );
  // A row refused at ingest.
  await wh.run(
    `INSERT INTO quarantine VALUES ('i1', 'sales', 'sales.csv', 7, 'duplicate_row', NULL, 'same key as line 3', 'x')`,
  );
  const report = await qualityReport(wh);
  assert.equal(report.clean, false);
  assert.equal(find(report, "duplicate-key", "sales")?.count, 1);
  assert.match(
    find(report, "duplicate-key", "sales")?.examples[0]?.message ?? "",
    /2024-01-04.*S1.*P1.*2 times/,
  );
  // 1 planted gap + the whole missing day in each of 4 series + 3 series thinned out on one day.
  assert.equal(find(report, "gap", "sales")?.count, 1 + 4 + 3);
  assert.equal(find(report, "gap", "sales")?.severity, "warning");
  assert.equal(find(report, "negative", "sales")?.count, 1);
  assert.equal(find(report, "negative", "sales")?.examples[0]?.column, "units");
  assert.equal(find(report, "impossible", "sales")?.count, 1);
  assert.equal(find(report, "unknown-id", "sales")?.count, 1);
  assert.deepEqual(find(report, "unknown-id", "sales")?.examples[0]?.key, { product_id: "P404" });
  assert.equal(find(report, "missing-day", "sales")?.count, 1);
  assert.deepEqual(find(report, "missing-day", "sales")?.examples[0]?.key, { date: "2024-01-13" });
  assert.equal(find(report, "thin-day", "sales")?.count, 1);
  assert.deepEqual(find(report, "thin-day", "sales")?.examples[0]?.key, { date: "2024-01-16" });
  const q = find(report, "quarantined", "sales");
  assert.equal(q?.count, 1);
  assert.equal(q?.examples[0]?.code, "duplicate_row");
  assert.equal(q?.examples[0]?.row, 7);
  assert.equal(report.issues, report.results.filter((r) => r.severity !== "info" && r.count > 0).length);
  wh.close();
});

test("schema drift: a column the schema does not know is found", async () => {
  const wh = await cleanWarehouse();
  await wh.run("ALTER TABLE sales ADD COLUMN basket_size DOUBLE");
  const report = await qualityReport(wh);
  const drift = find(report, "schema-drift");
  assert.equal(drift?.count, 1);
  assert.equal(drift?.examples[0]?.column, "basket_size");
  wh.close();
});

test("sales without any zero-unit row are sparse by design: their gaps are information", async () => {
  const wh = await cleanWarehouse();
  // S1 leaves out its no-sale days, S2 always sells: no zero rows, no day empty or thin.
  await wh.run("DELETE FROM sales WHERE units = 0 AND store_id = 'S1'");
  await wh.run("UPDATE sales SET units = 1, revenue = 2 WHERE units = 0");
  const report = await qualityReport(wh);
  const gap = find(report, "gap", "sales");
  assert.ok(gap && gap.count > 0);
  assert.equal(gap.severity, "info");
  assert.equal(report.clean, true);
  wh.close();
});
