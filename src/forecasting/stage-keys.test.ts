import assert from "node:assert/strict";
import { test } from "node:test";
import { stageSeriesKeys } from "../data/series-keys.ts";
import { Warehouse } from "../data/warehouse.ts";
import { stageKeys } from "./stage-keys.ts";

test("stageKeys writes the same (sid, store_id, product_id) table as stageSeriesKeys", async () => {
  const wh = await Warehouse.open(":memory:");
  const stores = ["S1", "S'2", 'S"3', "S1", "S4"];
  const storeId = Array.from({ length: 1300 }, (_, i) => stores[i % 5]!);
  const productId = Array.from({ length: 1300 }, (_, i) => `P${(i * 7) % 311}${i % 13 === 0 ? "'x" : ""}`);
  for (const [s, p] of [
    [storeId, productId],
    [[], []],
  ] as const) {
    await stageSeriesKeys(wh, "want", s, p);
    await stageKeys(wh, "got", s, p);
    const q = (t: string) => wh.all(`SELECT sid, store_id, product_id FROM temp.${t} ORDER BY sid`);
    const got = await q("got");
    assert.equal(got.length, s.length);
    assert.deepEqual(got, await q("want"));
  }
  // Only the result table is left behind.
  const temps = await wh.all("SELECT table_name AS t FROM duckdb_tables() WHERE temporary ORDER BY 1");
  assert.deepEqual(
    temps.map((r) => r.t),
    ["got", "want"],
  );
  wh.close();
});
