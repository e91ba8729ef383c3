import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import type { QualityReport } from "../data/quality/types.ts";
import { Warehouse } from "../data/warehouse.ts";
import { runCliChild } from "./child.test-support.ts";
import { EXIT } from "./exit-codes.ts";

/** Runs the CLI capturing stdout; restores process.exitCode so the test process itself is unaffected. */
const run = runCliChild;

test("megaretail quality exits 0 on a clean warehouse and 3 once an issue is planted", async () => {
  const db = join(mkdtempSync(join(tmpdir(), "mr-quality-")), "w.duckdb");
  const wh = await Warehouse.open(db);
  await wh.run("INSERT INTO stores (store_id) VALUES ('S1')");
  await wh.run("INSERT INTO products (product_id, category_l1) VALUES ('P1', 'FOODS')");
  await wh.run(
    "INSERT INTO sales SELECT DATE '2024-01-01' + d::INTEGER, 'S1', 'P1', d % 2, NULL, NULL FROM range(10) t(d)",
  );
  wh.close();

  const clean = run(["quality", "--db", db, "--json"]);
  assert.equal(clean.code, EXIT.ok);
  const report = JSON.parse(clean.out) as QualityReport;
  assert.equal(report.clean, true);
  assert.equal(report.tables.sales, 10);

  const again = await Warehouse.open(db);
  await again.run("INSERT INTO sales VALUES (DATE '2024-01-03', 'S1', 'P9', -1, NULL, NULL)");
  again.close();
  const dirty = run(["quality", "--db", db]);
  assert.equal(dirty.code, EXIT.issuesFound);
  assert.match(dirty.out, /ERROR\s+negative\s+sales: 1 rows where units is negative/);
  assert.match(dirty.out, /ERROR\s+unknown-id\s+sales: 1 rows with a product_id unknown to products/);
  assert.match(dirty.out, /issues found \(exit code 3\)/);
});
