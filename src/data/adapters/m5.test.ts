import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { test } from "node:test";
import { Warehouse } from "../warehouse.ts";
import { importM5 } from "./m5.ts";
import { writeM5Fixture } from "./m5-fixture.ts";

test("import fills daily: days before an item's first price are not in the assortment, not zero demand", async () => {
  const wh = await Warehouse.open(":memory:");
  const dir = writeM5Fixture();
  const s = await importM5(wh, dir);
  assert.equal(s.rows.daily, 4 * 14);
  // HOBBIES_1_002's first priced week starts 2011-02-05 (d_8): its 7 earlier days in each store are out.
  assert.deepEqual(
    await wh.all(
      `SELECT product_id, min(date) AS first, max(date) AS last, count(*) AS n, sum(units) AS units
       FROM daily WHERE NOT in_assortment GROUP BY ALL`,
    ),
    [{ product_id: "HOBBIES_1_002", first: "2011-01-29", last: "2011-02-04", n: 14, units: 0 }],
  );
  assert.equal(
    await wh.scalar("SELECT count(*) FROM daily WHERE in_assortment AND regular_price IS NULL"),
    0,
  );
  const before = await wh.tableCounts();
  await importM5(wh, dir);
  assert.deepEqual(await wh.tableCounts(), before, "re-import leaves every row count unchanged");
  wh.close();
});

const M5_DEV = new URL("../../../../shared/data/m5-dev", import.meta.url).pathname;
const skip = existsSync(M5_DEV) ? false : `the real M5 slice is not here (${M5_DEV})`;
if (skip) console.log(`# skipping the m5-dev import test: ${skip}`);

test("m5-dev: 196 series, 7 stores, 28 products; importing twice changes no row count", {
  skip,
}, async () => {
  const wh = await Warehouse.open(":memory:");
  const s = await importM5(wh, M5_DEV);
  assert.deepEqual([s.series, s.stores, s.products, s.days], [196, 7, 28, 1913]);
  assert.equal(s.rows.daily, 196 * 1913);
  const before = await wh.tableCounts();
  await importM5(wh, M5_DEV);
  assert.deepEqual(await wh.tableCounts(), before);
  wh.close();
});
