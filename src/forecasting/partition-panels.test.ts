import assert from "node:assert/strict";
import { test } from "node:test";
import { type DailyPanel, loadDailyPanel } from "../data/to-panel.ts";
import { Warehouse } from "../data/warehouse.ts";
import { conformPanel, dictionariesOf } from "../models/production-model-schema.ts";
import { loadPartitionPanels } from "./partition-panels.ts";
import { dcFilter, NO_DC } from "./partitions.ts";
import { fillPlannedInputs } from "./planned.ts";

const DAY0 = 19000; // 2022-01-08

/**
 * Three DCs and a store without one; series with gaps, late starts and rows past `end`; a product without a brand
 * and a store without a size (attributes missing in part of the chain); planned prices and promos after the data end.
 */
async function chain(): Promise<{ wh: Warehouse; dataEnd: number }> {
  const wh = await Warehouse.open(":memory:");
  await wh.run(`INSERT INTO stores (store_id, dc_id, region, size_m2, format) VALUES
    ('S1', 'DC2', 'north', 900, 'big'), ('S2', 'DC1', 'south', NULL, 'small'), ('S3', 'DC2', 'north', 400, 'small'),
    ('S4', NULL, NULL, 300, 'small'), ('S5', 'DC3', 'east', 500, 'big')`);
  await wh.run(`INSERT INTO products (product_id, category_l1, brand, shelf_life_days) VALUES
    ('P1', 'food', 'b1', 10), ('P2', 'food', NULL, NULL), ('P3', 'drink', 'b2', 300)`);
  // Each (store, product) pair over 60 days, every 7th day missing for some pairs, late starts for others.
  await wh.run(`INSERT INTO daily (date, store_id, product_id, units, regular_price, price, on_promo, promo_discount,
                                   stockout, in_assortment)
    SELECT DATE '2022-01-08' + d::INT, s, p, (d * 7 + len(s) * 3 + ascii(p[2])) % 5,
           CASE WHEN d % 11 = 0 THEN NULL ELSE 2 + ascii(p[2]) % 3 END, 1.5 + (d % 4) * 0.25, d % 9 = 0,
           CASE WHEN d % 9 = 0 THEN 0.2 END, d % 13 = 0, d % 17 <> 0
    FROM (SELECT unnest(['S1','S2','S3','S4','S5']) AS s), (SELECT unnest(['P1','P2','P3']) AS p), range(60) t(d)
    WHERE NOT (s = 'S2' AND p = 'P2' AND d % 7 = 3) AND NOT (s = 'S3' AND p = 'P1' AND d < 30)
      AND NOT (s = 'S5' AND p = 'P3')`);
  const dataEnd = DAY0 + 59;
  await wh.run(`INSERT INTO prices (date, store_id, product_id, regular_price, promo_price) VALUES
    (DATE '2022-03-09', 'S1', 'P1', 3.5, NULL), (DATE '2022-03-10', 'S2', 'P3', 4, 3), (DATE '2022-03-11', 'S4', 'P2', 2, NULL)`);
  await wh.run(`INSERT INTO promos (promo_id, product_id, store_id, dc_id, start_date, end_date, promo_type, discount)
    VALUES ('A', 'P1', NULL, 'DC2', DATE '2022-03-09', DATE '2022-03-12', 'tpr', 0.3),
           ('B', 'P2', 'S4', NULL, DATE '2022-03-10', DATE '2022-03-10', 'tpr', NULL)`);
  return { wh, dataEnd };
}

const same = (a: ArrayLike<unknown>, b: ArrayLike<unknown>) =>
  a.length === b.length && Array.from(a).every((x, i) => Object.is(x, b[i]));

function assertSamePanel(a: DailyPanel, b: DailyPanel, what: string): void {
  for (const k of [
    "storeId",
    "productId",
    "indptr",
    "start",
    "units",
    "demand",
    "price",
    "regularPrice",
  ] as const)
    assert.ok(same(a[k], b[k]), `${what}: ${k}`);
  for (const k of ["onPromo", "promoDiscount", "inAssortment", "stockout", "region"] as const)
    assert.ok(same(a[k], b[k]), `${what}: ${k}`);
  assert.equal(a.end, b.end);
  assert.deepEqual(
    a.categoricals.map((c) => [c.name, c.labels, Array.from(c.codes)]),
    b.categoricals.map((c) => [c.name, c.labels, Array.from(c.codes)]),
    `${what}: categoricals`,
  );
  assert.deepEqual(
    a.numerics.map((x) => [x.name, Array.from(x.values)]),
    b.numerics.map((x) => [x.name, Array.from(x.values)]),
    `${what}: numerics`,
  );
}

test("loadPartitionPanels: each partition's panel and planned inputs as loadDailyPanel + fillPlannedInputs per DC", async () => {
  const { wh, dataEnd } = await chain();
  try {
    const end = dataEnd + 5;
    const dict = dictionariesOf(await loadDailyPanel(wh));
    // Not in id order, and DC3 left out: only the partitions asked for, in the order asked.
    const parts = ["DC2", NO_DC, "DC1"];
    const panels = await loadPartitionPanels(wh, { end, dataEnd, partitions: parts });
    assert.deepEqual(
      panels.map((p) => p.dc),
      parts,
    );
    let planned = 0;
    for (const p of panels) {
      const want = await loadDailyPanel(wh, { end, dc: dcFilter(p.dc), keepConstant: true });
      const fill = await fillPlannedInputs(wh, want, dataEnd);
      assert.ok(want.storeId.length > 0);
      assertSamePanel(conformPanel(p.daily, dict), conformPanel(want, dict), p.dc);
      assert.deepEqual(p.planned, fill, `${p.dc}: planned`);
      planned += fill.fromPrices + fill.promoDays;
    }
    assert.ok(planned >= 4, "planned prices and promos were filled");
    assert.deepEqual(await loadPartitionPanels(wh, { end, dataEnd, partitions: [] }), []);
  } finally {
    wh.close();
  }
});
