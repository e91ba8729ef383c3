import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { SCHEMA_VERSION } from "./migrations.ts";
import { TABLES } from "./schema.ts";
import { Warehouse } from "./warehouse.ts";

test("a new warehouse has every table of the schema and records its version; reopening keeps data", async () => {
  const path = join(mkdtempSync(join(tmpdir(), "mr-wh-")), "w.duckdb");
  const wh = await Warehouse.open(path);
  const counts = await wh.tableCounts();
  for (const t of TABLES) assert.equal(counts[t.name], 0, t.name);
  assert.equal(await wh.scalar("SELECT value::int FROM meta WHERE key = 'schema_version'"), SCHEMA_VERSION);
  await wh.run("INSERT INTO dcs VALUES ('DC1', 'North', 'N')");
  wh.close();
  const again = await Warehouse.open(path);
  assert.deepEqual(await again.all("SELECT * FROM dcs"), [{ dc_id: "DC1", name: "North", region: "N" }]);
  again.close();
});

test("a failed transaction leaves nothing behind", async () => {
  const wh = await Warehouse.open(":memory:");
  await assert.rejects(
    wh.transaction(async () => {
      await wh.run("INSERT INTO dcs VALUES ('DC1', NULL, NULL)");
      await wh.run("INSERT INTO no_such_table VALUES (1)");
    }),
  );
  assert.equal(await wh.scalar("SELECT count(*) FROM dcs"), 0);
  const cols = await wh.readTyped(
    "SELECT i::INT AS i, CASE WHEN i % 3 = 0 THEN NULL ELSE i / 2 END::DOUBLE AS x, i % 2 = 0 AS even FROM range(100000) r(i)",
    { i: "i32", x: "f64", even: "u8" },
  );
  assert.ok(
    cols.i instanceof Int32Array && cols.i.length === 100_000,
    "spans many chunks and grows its buffers",
  );
  assert.equal(cols.i[99_999], 99_999);
  assert.ok(Number.isNaN(cols.x[3]!) && cols.x[4] === 2, "NULL is NaN");
  assert.deepEqual([...cols.even.subarray(0, 3)], [1, 0, 1]);
  wh.close();
});
