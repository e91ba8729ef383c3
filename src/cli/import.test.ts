import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import type { M5ImportSummary } from "../data/adapters/m5.ts";
import { writeM5Fixture } from "../data/adapters/m5-fixture.ts";
import { runCliChild } from "./child.test-support.ts";
import { EXIT } from "./exit-codes.ts";

const run = runCliChild;

test("megaretail import m5 DIR prints a summary; a folder without M5 files exits with the input code", async () => {
  const db = join(mkdtempSync(join(tmpdir(), "mr-import-")), "w.duckdb");
  const dir = writeM5Fixture();
  const json = run(["import", "m5", dir, "--db", db, "--json"]);
  assert.equal(json.code, EXIT.ok, json.err);
  const s = JSON.parse(json.out) as M5ImportSummary;
  assert.deepEqual([s.stores, s.products, s.series, s.days, s.rows.daily], [2, 2, 4, 14, 56]);
  const text = run(["import", "m5", dir, "--db", db]);
  assert.equal(text.code, EXIT.ok);
  assert.match(text.out, /2 stores, 2 products, 4 series, 14 days \(2011-01-29 \.\. 2011-02-11\)/);
  assert.match(text.out, /daily\s+\(etl\)\s+56/);
  const empty = mkdtempSync(join(tmpdir(), "mr-import-empty-"));
  const bad = run(["import", "m5", empty, "--db", db]);
  assert.equal(bad.code, EXIT.input);
  assert.match(bad.err, /no sales_train_evaluation\.csv or sales_train_validation\.csv here/);
});
