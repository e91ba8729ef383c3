import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { runCliChild } from "./child.test-support.ts";

const dir = mkdtempSync(join(tmpdir(), "mr-cli-ingest-"));
const db = join(dir, "w.duckdb");

function cli(...args: string[]): { code: number; stdout: string; stderr: string } {
  const r = runCliChild([...args, "--db", db]);
  return { code: r.code, stdout: r.out, stderr: r.err };
}

function file(name: string, lines: string[]): string {
  const p = join(dir, name);
  writeFileSync(p, `${lines.join("\n")}\n`);
  return p;
}

test("megaretail ingest and etl: exit codes, --json summaries, a missing column names the column", () => {
  const stores = file("stores.csv", ["store_id,city", "S1,Oslo", "S2,Bergen"]);
  const products = file("products.csv", ["product_id,category_l1", "P1,FOODS", "P2,FOODS"]);
  assert.equal(cli("ingest", "stores", stores).code, 0);
  assert.equal(cli("ingest", "products", products).code, 0);

  const sales = file("sales.csv", [
    "date,store_id,product_id,units",
    "2024-01-01,S1,P1,3",
    "2024-01-01,S1,P1,3",
    "2024-01-02,S1,P1,-1",
    "2024-01-02,S9,P1,1",
    "2024-01-02,S2",
    "2024-01-02,S2,P2,4",
  ]);
  const ok = cli("ingest", "sales", sales, "--json");
  assert.equal(ok.code, 0, ok.stderr);
  const summary = JSON.parse(ok.stdout);
  assert.deepEqual(
    [summary.table, summary.rowsRead, summary.accepted, summary.quarantined],
    ["sales", 6, 2, 4],
  );
  assert.deepEqual(summary.byReason, {
    duplicate_key: 1,
    malformed_line: 1,
    out_of_range: 1,
    unknown_ref: 1,
  });
  assert.equal(summary.files[0].alreadyIngested, false);

  const missing = file("missing.csv", ["date,store_id,units", "2024-01-03,S1,1"]);
  const bad = cli("ingest", "sales", missing, "--json");
  assert.equal(bad.code, 4);
  assert.equal(bad.stdout, "");
  assert.match(bad.stderr, /missing\.csv.*"product_id"/);

  const etl = cli("etl", "--json", "--rewrite-days", "2");
  assert.equal(etl.code, 0, etl.stderr);
  assert.deepEqual(JSON.parse(etl.stdout), {
    mode: "full",
    from: "2024-01-01",
    to: "2024-01-02",
    rowsDeleted: 0,
    rowsWritten: 3,
    dailyRows: 3,
  });
  // A usage error exits 2 (EXIT.usage).
  const usage = cli("etl", "--rewrite-days", "-1");
  assert.equal(usage.code, 2);
  assert.match(usage.stderr, /whole number of days/);
});
