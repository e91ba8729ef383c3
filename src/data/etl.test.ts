import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { runEtl } from "./etl.ts";
import { ingestFiles } from "./ingest/ingest.ts";
import { type Row, Warehouse } from "./warehouse.ts";

const dir = mkdtempSync(join(tmpdir(), "mr-etl-"));
let n = 0;
async function load(wh: Warehouse, table: string, lines: string[]): Promise<void> {
  const p = join(dir, `${table}-${n++}.csv`);
  writeFileSync(p, `${lines.join("\n")}\n`);
  const s = await ingestFiles(wh, table, [p]);
  assert.equal(s.quarantined, 0, `${table}: ${JSON.stringify(s.byReason)}`);
}

async function daily(wh: Warehouse): Promise<Row[]> {
  return wh.all("SELECT * FROM daily ORDER BY date, store_id, product_id");
}

/** Two stores, two products, five days; S2 closes on day 3, P1 is introduced on day 2, P2 delisted on day 4. */
async function smallChain(): Promise<Warehouse> {
  const wh = await Warehouse.open(":memory:");
  await load(wh, "dcs", ["dc_id", "D1"]);
  await load(wh, "stores", ["store_id,dc_id,open_date,close_date", "S1,D1,2024-01-01,", "S2,D1,,2024-01-03"]);
  await load(wh, "products", [
    "product_id,category_l1,introduced_date,delisted_date",
    "P1,FOODS,2024-01-02,",
    "P2,FOODS,,2024-01-04",
  ]);
  await load(wh, "sales", [
    "date,store_id,product_id,units,revenue,discount",
    "2024-01-01,S1,P1,1,2,0",
    "2024-01-03,S1,P1,4,8,0",
    "2024-01-05,S1,P1,2,4,0",
    "2024-01-02,S2,P2,3,3,0",
  ]);
  await load(wh, "prices", [
    "date,store_id,product_id,regular_price,promo_price",
    "2024-01-01,S1,P1,2,",
    "2024-01-02,S1,P1,2,",
    "2024-01-03,S1,P1,2,",
    "2024-01-04,S1,P1,2,1.5",
    "2024-01-05,S1,P1,2,",
    "2024-01-02,S2,P2,1,",
    "2024-01-03,S2,P2,1,",
    "2024-01-04,S2,P2,1,",
  ]);
  await load(wh, "stock", [
    "date,store_id,product_id,opening_stock,deliveries,write_offs,closing_stock",
    "2024-01-02,S1,P1,5,0,0,5",
    "2024-01-03,S1,P1,5,0,1,0",
    "2024-01-05,S1,P1,1,2,1,",
  ]);
  await load(wh, "promos", [
    "promo_id,product_id,store_id,dc_id,start_date,end_date,promo_type,discount",
    "chain,P1,,,2024-01-03,2024-01-04,discount,0.1",
    "local,P1,S1,,2024-01-04,2024-01-04,display,0.25",
  ]);
  return wh;
}

test("flags on a hand-made case: zero-sale days, stockouts, assortment, promo scope and prices", async () => {
  const wh = await smallChain();
  const s = await runEtl(wh);
  assert.deepEqual([s.mode, s.from, s.to, s.rowsWritten], ["full", "2024-01-01", "2024-01-05", 9]);
  const rows = await daily(wh);
  const pick = (r: Row) => [
    r.date,
    r.store_id,
    r.product_id,
    r.units,
    r.price,
    r.on_promo,
    r.promo_type,
    r.stockout,
    r.in_assortment,
  ];
  assert.deepEqual(rows.map(pick), [
    // Before P1's introduction: not in assortment even though it sold.
    ["2024-01-01", "S1", "P1", 1, 2, false, null, false, false],
    ["2024-01-02", "S1", "P1", 0, 2, false, null, false, true],
    ["2024-01-02", "S2", "P2", 3, 1, false, null, false, true],
    // Closing stock 0: stockout. Chain-wide promo without a promo price: price less its discount.
    ["2024-01-03", "S1", "P1", 4, 1.8, true, "discount", true, true],
    ["2024-01-03", "S2", "P2", 0, 1, false, null, false, true],
    // The store promo beats the chain-wide one; the promo price from `prices` wins.
    ["2024-01-04", "S1", "P1", 0, 1.5, true, "display", false, true],
    // S2 closed after day 3, P2 delisted on day 4.
    ["2024-01-04", "S2", "P2", 0, 1, false, null, false, false],
    // Opening 1 + deliveries 2 - write-offs 1 = 2 <= 2 sold: stockout.
    ["2024-01-05", "S1", "P1", 2, 2, false, null, true, true],
    // No price on day 5 (and no sale): not in assortment.
    ["2024-01-05", "S2", "P2", 0, null, false, null, false, false],
  ]);
  assert.equal(rows[5]?.promo_discount, 0.25);
  wh.close();
});

test("re-running gives identical tables; an incremental run equals a full rebuild", async () => {
  const wh = await smallChain();
  await runEtl(wh);
  const first = await daily(wh);
  await runEtl(wh, { full: true });
  assert.deepEqual(await daily(wh), first);
  const again = await runEtl(wh);
  assert.equal(again.mode, "incremental");
  assert.equal(again.from, "2024-01-03");
  assert.deepEqual(await daily(wh), first);
  wh.close();
});

test("the rewrite window absorbs late data; older late data needs a full run", async () => {
  const wh = await smallChain();
  await runEtl(wh, { rewriteDays: 2 });
  // A new day, a late correction inside the window (day 4) and one before it (day 1).
  await load(wh, "sales", [
    "date,store_id,product_id,units,revenue,discount",
    "2024-01-06,S1,P1,1,2,0",
    "2024-01-04,S1,P1,7,10.5,0",
    "2024-01-01,S1,P1,9,18,0",
  ]);
  const s = await runEtl(wh, { rewriteDays: 2 });
  assert.deepEqual([s.mode, s.from, s.to], ["incremental", "2024-01-04", "2024-01-06"]);
  const units = async (d: string) =>
    wh.scalar("SELECT units FROM daily WHERE date = $1 AND store_id = 'S1' AND product_id = 'P1'", [d]);
  assert.equal(await units("2024-01-06"), 1);
  assert.equal(await units("2024-01-04"), 7);
  assert.equal(await units("2024-01-01"), 1, "outside the window: unchanged until --full");
  await runEtl(wh, { full: true });
  assert.equal(await units("2024-01-01"), 9);
  wh.close();
});

test("transactions are aggregated to days; sales win where both hold a key", async () => {
  const wh = await smallChain();
  await load(wh, "transactions", [
    "store_id,check_id,line,ts,product_id,units,revenue,discount",
    "S1,c1,1,2024-01-02T09:00:00,P1,1,1.9,0.1",
    "S1,c2,1,2024-01-02T18:30:00,P1,2,3.8,0.2",
    "S1,c3,1,2024-01-03T10:00:00,P1,100,200,0",
  ]);
  await runEtl(wh);
  const r = await wh.all(
    "SELECT date, units, revenue, discount FROM daily WHERE store_id = 'S1' AND date IN ('2024-01-02', '2024-01-03') ORDER BY date",
  );
  assert.deepEqual(r, [
    { date: "2024-01-02", units: 3, revenue: 5.7, discount: 0.3 },
    { date: "2024-01-03", units: 4, revenue: 8, discount: 0 },
  ]);
  wh.close();
});

test("without any sales the daily table is empty", async () => {
  const wh = await Warehouse.open(":memory:");
  const s = await runEtl(wh);
  assert.deepEqual(s, { mode: "full", from: null, to: null, rowsDeleted: 0, rowsWritten: 0, dailyRows: 0 });
  await assert.rejects(runEtl(wh, { rewriteDays: -1 }), /whole number/);
  wh.close();
});

test("a dense pair keeps its sales rows; a gappy one gets zero rows for the missing days", async () => {
  const wh = await Warehouse.open(":memory:");
  await load(wh, "stores", ["store_id", "S1"]);
  await load(wh, "products", ["product_id,category_l1", "P1,F", "P2,F"]);
  await load(wh, "sales", [
    "date,store_id,product_id,units",
    "2024-01-01,S1,P1,1",
    "2024-01-02,S1,P1,2",
    "2024-01-03,S1,P1,3",
    "2024-01-01,S1,P2,5",
    "2024-01-03,S1,P2,6",
  ]);
  await runEtl(wh);
  const rows = await wh.all("SELECT product_id, date, units FROM daily ORDER BY product_id, date");
  assert.deepEqual(
    rows.map((r) => `${r.product_id} ${r.date} ${r.units}`),
    [
      "P1 2024-01-01 1",
      "P1 2024-01-02 2",
      "P1 2024-01-03 3",
      "P2 2024-01-01 5",
      "P2 2024-01-02 0",
      "P2 2024-01-03 6",
    ],
  );
  wh.close();
});
