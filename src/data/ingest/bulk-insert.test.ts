import assert from "node:assert/strict";
import { test } from "node:test";
import { Warehouse } from "../warehouse.ts";
import { withBulkInsert } from "./bulk-insert.ts";

async function settings(wh: Warehouse): Promise<{ order: string; disabled: string }> {
  return (await wh.one<{ order: string; disabled: string }>(
    `SELECT current_setting('preserve_insertion_order')::VARCHAR AS "order",
      lower(current_setting('disabled_compression_methods')::VARCHAR) AS disabled`,
  ))!;
}

test("bulk insert settings hold inside the call and are restored after it, also when it fails", async () => {
  const wh = await Warehouse.open(":memory:");
  await wh.run("SET disabled_compression_methods = 'chimp'");
  const before = await settings(wh);
  assert.deepEqual(before, { order: "true", disabled: "chimp" });

  const inside = await withBulkInsert(wh, () => settings(wh), { codesOnly: true });
  assert.equal(inside.order, "false");
  assert.deepEqual(inside.disabled.split(",").sort(), ["chimp", "dict_fsst", "fsst"]);
  assert.deepEqual(await settings(wh), before);

  // Free text keeps FSST: only the insertion order changes.
  assert.deepEqual(await withBulkInsert(wh, () => settings(wh)), { order: "false", disabled: "chimp" });

  await assert.rejects(
    withBulkInsert(wh, () => wh.run("INSERT INTO no_such_table VALUES (1)"), { codesOnly: true }),
    /no_such_table/,
  );
  assert.deepEqual(await settings(wh), before);
  wh.close();
});

test("a text table loaded with codesOnly reads back the same rows", async () => {
  const wh = await Warehouse.open(":memory:");
  await wh.run("CREATE TABLE t (id VARCHAR, n INTEGER)");
  await withBulkInsert(
    wh,
    () => wh.run("INSERT INTO t SELECT 'S' || (i % 7), i::INTEGER FROM range(5000) r(i)"),
    { codesOnly: true },
  );
  const r = await wh.one<{ n: number; ids: number; sum: number }>(
    "SELECT count(*) AS n, count(DISTINCT id) AS ids, sum(n) AS sum FROM t",
  );
  assert.deepEqual(r, { n: 5000, ids: 7, sum: (4999 * 5000) / 2 });
  wh.close();
});
