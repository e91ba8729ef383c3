import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import type { QualityReport } from "../data/quality/types.ts";
import { Warehouse } from "../data/warehouse.ts";
import { EXIT } from "./exit-codes.ts";
import { runCli } from "./main.ts";

/** Runs the CLI capturing stdout; restores process.exitCode so the test process itself is unaffected. */
async function run(argv: string[]): Promise<{ code: number; out: string }> {
  const write = process.stdout.write;
  let out = "";
  process.stdout.write = ((chunk: string | Uint8Array) => {
    out += String(chunk);
    return true;
  }) as typeof process.stdout.write;
  try {
    return { code: await runCli(argv), out };
  } finally {
    process.stdout.write = write;
    process.exitCode = undefined;
  }
}

test("megaretail quality exits 0 on a clean warehouse and 3 once an issue is planted", async () => {
  const db = join(mkdtempSync(join(tmpdir(), "mr-quality-")), "w.duckdb");
  const wh = await Warehouse.open(db);
  await wh.run("INSERT INTO stores (store_id) VALUES ('S1')");
  await wh.run("INSERT INTO products (product_id, category_l1) VALUES ('P1', 'FOODS')");
  await wh.run(
    "INSERT INTO sales SELECT DATE '2024-01-01' + d::INTEGER, 'S1', 'P1', d % 2, NULL, NULL FROM range(10) t(d)",
  );
  wh.close();

  const clean = await run(["quality", "--db", db, "--json", "--log-level", "silent"]);
  assert.equal(clean.code, EXIT.ok);
  const report = JSON.parse(clean.out) as QualityReport;
  assert.equal(report.clean, true);
  assert.equal(report.tables.sales, 10);

  const again = await Warehouse.open(db);
  await again.run("INSERT INTO sales VALUES (DATE '2024-01-03', 'S1', 'P9', -1, NULL, NULL)");
  again.close();
  const dirty = await run(["quality", "--db", db, "--log-level", "silent"]);
  assert.equal(dirty.code, EXIT.issuesFound);
  assert.match(dirty.out, /ERROR\s+negative\s+sales: 1 rows where units is negative/);
  assert.match(dirty.out, /ERROR\s+unknown-id\s+sales: 1 rows with a product_id unknown to products/);
  assert.match(dirty.out, /issues found \(exit code 3\)/);
});
