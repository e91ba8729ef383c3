import assert from "node:assert/strict";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { InputError } from "../../core/errors.ts";
import { Warehouse } from "../warehouse.ts";
import { writeM5Fixture } from "./m5-fixture.ts";
import { loadM5 } from "./m5-load.ts";

test("an M5 folder maps onto stores, products, sales, daily prices and calendar events", async () => {
  const wh = await Warehouse.open(":memory:");
  const s = await loadM5(wh, writeM5Fixture());
  assert.deepEqual(
    [s.stores, s.products, s.series, s.days, s.firstDate, s.lastDate],
    [2, 2, 4, 14, "2011-01-29", "2011-02-11"],
  );
  // FOODS priced all 14 days in both stores; HOBBIES only from week 11102 (d_8); week 11103 is past the sales.
  assert.deepEqual(s.written, { stores: 2, products: 2, calendar_events: 6, prices: 28 + 14, sales: 56 });
  assert.deepEqual(await wh.all("SELECT store_id, region FROM stores ORDER BY 1"), [
    { store_id: "CA_1", region: "CA" },
    { store_id: "TX_1", region: "TX" },
  ]);
  assert.deepEqual(
    await wh.all("SELECT product_id, category_l1, category_l2, introduced_date FROM products ORDER BY 1"),
    [
      {
        product_id: "FOODS_1_001",
        category_l1: "FOODS",
        category_l2: "FOODS_1",
        introduced_date: "2011-01-29",
      },
      {
        product_id: "HOBBIES_1_002",
        category_l1: "HOBBIES",
        category_l2: "HOBBIES_1",
        introduced_date: "2011-02-05",
      },
    ],
  );
  // Day 1 in CA_1: FOODS sold (1+0+0)%4 = 1 unit at 2.5; HOBBIES had no price yet (and no sales).
  assert.deepEqual(
    await wh.all(
      "SELECT product_id, units, revenue FROM sales WHERE date = '2011-01-29' AND store_id = 'CA_1' ORDER BY 1",
    ),
    [
      { product_id: "FOODS_1_001", units: 1, revenue: 2.5 },
      { product_id: "HOBBIES_1_002", units: 0, revenue: null },
    ],
  );
  assert.deepEqual(await wh.all("SELECT min(date) AS first FROM prices WHERE product_id = 'HOBBIES_1_002'"), [
    { first: "2011-02-05" },
  ]);
  assert.deepEqual(
    await wh.all("SELECT date, region, name, event_type FROM calendar_events ORDER BY date, region"),
    [
      { date: "2011-02-01", region: "CA", name: "SNAP", event_type: "snap" },
      { date: "2011-02-02", region: "CA", name: "SNAP", event_type: "snap" },
      { date: "2011-02-02", region: "TX", name: "SNAP", event_type: "snap" },
      { date: "2011-02-03", region: "CA", name: "SNAP", event_type: "snap" },
      { date: "2011-02-06", region: "*", name: "SuperBowl", event_type: "sporting" },
      { date: "2011-02-12", region: "*", name: "ValentinesDay", event_type: "cultural" },
    ],
  );
  wh.close();
});

test("loading the same folder twice leaves every table's row count unchanged", async () => {
  const wh = await Warehouse.open(":memory:");
  const dir = writeM5Fixture();
  await loadM5(wh, dir);
  const before = await wh.tableCounts();
  await loadM5(wh, dir);
  assert.deepEqual(await wh.tableCounts(), before);
  wh.close();
});

test("a wide file whose d_ columns start later than d_1 is dated by the calendar", async () => {
  const wh = await Warehouse.open(":memory:");
  const s = await loadM5(wh, writeM5Fixture({ days: [8, 14] }));
  assert.deepEqual([s.series, s.days, s.firstDate, s.lastDate], [4, 7, "2011-02-05", "2011-02-11"]);
  assert.equal(await wh.scalar("SELECT count(*) FROM sales"), 28);
  assert.equal(await wh.scalar("SELECT count(*) FROM prices WHERE date < '2011-02-05'"), 0);
  wh.close();
});

test("later actuals in sales_test_evaluation.csv extend the series; ids may come from the id column alone", async () => {
  const wh = await Warehouse.open(":memory:");
  const dir = writeM5Fixture();
  const later = writeM5Fixture({
    days: [15, 21],
    dropColumns: ["item_id", "dept_id", "cat_id", "store_id", "state_id"],
  });
  writeFileSync(
    join(dir, "sales_test_evaluation.csv"),
    readFileSync(join(later, "sales_train_validation.csv")),
  );
  const s = await loadM5(wh, dir);
  assert.deepEqual([s.series, s.days, s.lastDate], [4, 21, "2011-02-18"]);
  assert.deepEqual(s.files, [
    "sales_train_validation.csv",
    "sales_test_evaluation.csv",
    "calendar.csv",
    "sell_prices.csv",
  ]);
  assert.equal(await wh.scalar("SELECT count(*) FROM sales"), 84);
  assert.deepEqual(
    await wh.all(
      "SELECT units FROM sales WHERE date = '2011-02-18' AND store_id = 'TX_1' AND product_id = 'HOBBIES_1_002'",
    ),
    [{ units: (21 + 1 + 1) % 4 }],
  );
  wh.close();
});

async function rejects(dir: string, pattern: RegExp): Promise<void> {
  const wh = await Warehouse.open(":memory:");
  await loadM5(wh, writeM5Fixture());
  const before = await wh.tableCounts();
  await assert.rejects(loadM5(wh, dir), (e: unknown) => {
    assert.ok(e instanceof InputError, String(e));
    assert.match(e.message, pattern);
    return true;
  });
  assert.deepEqual(await wh.tableCounts(), before, "a failed import changes nothing");
  wh.close();
}

test("bad folders fail naming the file, row and column, and change nothing", async () => {
  await rejects(writeM5Fixture({ dropColumns: ["id", "cat_id"] }), /sales_train_validation\.csv.*"cat_id"/);
  const noCalendar = writeM5Fixture();
  rmSync(join(noCalendar, "calendar.csv"));
  await rejects(noCalendar, /calendar\.csv.*missing/);
  await rejects(writeM5Fixture({ days: [15, 23] }), /column "d_22".*no row in calendar\.csv/);
  const negative = writeM5Fixture();
  const file = join(negative, "sales_train_validation.csv");
  const lines = readFileSync(file, "utf8").split("\n");
  lines[2] = lines[2]!.replace(/,(\d)$/, ",-1");
  writeFileSync(file, lines.join("\n"));
  await rejects(negative, /sales_train_validation\.csv, row 3, column "d_14": unit sales must be >= 0/);
  const text = writeM5Fixture();
  const prices = join(text, "sell_prices.csv");
  writeFileSync(prices, readFileSync(prices, "utf8").replace("2.5", "two"));
  await rejects(text, /sell_prices\.csv, row 2, column "sell_price"/);
});
