import { basename } from "node:path";
import { InputError } from "../../core/errors.ts";
import type { Warehouse } from "../warehouse.ts";
import { stageCalendar } from "./m5-calendar.ts";
import { checkTable, csv, type M5Files, type WideLayout, wideLayout } from "./m5-files.ts";

/**
 * Reads an M5 folder into temporary staging tables shaped like the warehouse tables (`_m5_stores`,
 * `_m5_products`, `_m5_sales`, `_m5_prices`, `_m5_events`), checking the data on the way: every failure
 * names the file, line and column. Runs inside the caller's transaction, so a failure leaves nothing.
 */
export async function stageM5(wh: Warehouse, files: M5Files, step: (name: string) => void): Promise<void> {
  step("read calendar");
  await stageCalendar(wh, files.calendar);
  step("read sales");
  const layouts: WideLayout[] = [];
  for (const f of files.sales) layouts.push(await wideLayout(wh, f));
  await wh.run(
    `CREATE OR REPLACE TEMP TABLE _m5_long (file_rank INTEGER, line BIGINT, d VARCHAR, date DATE,
      store_id VARCHAR, product_id VARCHAR, units DOUBLE)`,
  );
  await wh.run(
    `CREATE OR REPLACE TEMP TABLE _m5_series (file_rank INTEGER, line BIGINT, product_id VARCHAR,
      dept_id VARCHAR, cat_id VARCHAR, store_id VARCHAR, state_id VARCHAR)`,
  );
  for (const [rank, layout] of layouts.entries()) await stageWide(wh, layout, rank);
  await checkSeries(wh, files);
  step("shape sales");
  // Later files (post-competition actuals) win for a day two files both hold.
  await wh.run(
    `CREATE OR REPLACE TEMP TABLE _m5_units AS
     SELECT date, store_id, product_id, units FROM _m5_long
     QUALIFY row_number() OVER (PARTITION BY store_id, product_id, date ORDER BY file_rank DESC) = 1`,
  );
  step("read prices");
  await stagePrices(wh, files.prices);
  step("shape tables");
  await shapeTargets(wh);
}

/** Unpivots one wide file into `_m5_long` and its id columns into `_m5_series`. */
async function stageWide(wh: Warehouse, layout: WideLayout, rank: number): Promise<void> {
  const { file } = layout;
  // M5 ids read ITEM_STORE_split, e.g. FOODS_3_090_CA_3_validation: item FOODS_3_090 (dept FOODS_3, cat
  // FOODS), store CA_3 (state CA). Files that carry only `id` get their other id columns from it.
  const idRe = "'^((([A-Za-z]+)_[0-9]+)_[0-9]+)_(([A-Za-z]+)_[0-9]+)(_[a-z]+)?$'";
  const ids = layout.deriveFromId
    ? [1, 2, 3, 4, 5]
        .map(
          (g, i) =>
            `regexp_extract(id, ${idRe}, ${g}) AS ${["item_id", "dept_id", "cat_id", "store_id", "state_id"][i]}`,
        )
        .join(", ")
    : "item_id::VARCHAR AS item_id, dept_id::VARCHAR AS dept_id, cat_id::VARCHAR AS cat_id, store_id::VARCHAR AS store_id, state_id::VARCHAR AS state_id";
  try {
    await wh.run(
      `CREATE OR REPLACE TEMP TABLE _m5_wide AS
       SELECT row_number() OVER () + 1 AS line, ${ids}, COLUMNS('^d_[0-9]+$')::DOUBLE FROM ${csv(file)}`,
    );
  } catch (e) {
    throw new InputError(`cannot read: ${(e as Error).message.split("\n")[0]}`, { file }, { cause: e });
  }
  const badId = await wh.one<{ line: number }>(
    `SELECT line FROM _m5_wide WHERE coalesce(item_id, '') = '' OR coalesce(store_id, '') = ''
       OR coalesce(cat_id, '') = '' ORDER BY line LIMIT 1`,
  );
  if (badId) {
    throw new InputError(
      layout.deriveFromId
        ? "id is not of the M5 form ITEM_STORE_split (e.g. FOODS_3_090_CA_3_validation); add item_id, dept_id, cat_id, store_id and state_id columns"
        : "empty item_id, store_id or cat_id; every series needs them",
      { file, row: badId.line, column: layout.deriveFromId ? "id" : "item_id" },
    );
  }
  await wh.run(
    `INSERT INTO _m5_series SELECT ${rank}, line, item_id, dept_id, cat_id, store_id, state_id FROM _m5_wide`,
  );
  await wh.run(
    `INSERT INTO _m5_long
     SELECT ${rank}, u.line, u.d, c.date, u.store_id, u.item_id, u.units
     FROM (SELECT line, item_id, store_id, COLUMNS('^d_[0-9]+$') FROM _m5_wide)
       UNPIVOT INCLUDE NULLS (units FOR d IN (COLUMNS('^d_[0-9]+$'))) u
     LEFT JOIN _m5_cal c ON c.d = u.d`,
  );
  await wh.run("DROP TABLE _m5_wide");
  const bad = await wh.one<{ line: number; d: string; units: number | null; dated: boolean }>(
    `SELECT line, d, units, date IS NOT NULL AS dated FROM _m5_long
     WHERE file_rank = ${rank} AND (date IS NULL OR units IS NULL OR units < 0 OR NOT isfinite(units))
     ORDER BY date IS NOT NULL, line LIMIT 1`,
  );
  if (bad && !bad.dated) {
    throw new InputError(
      `day ${bad.d} has no row in calendar.csv; use the calendar.csv of the same M5 release as the sales file`,
      { file, column: bad.d },
    );
  }
  if (bad) {
    throw new InputError(
      bad.units === null
        ? "empty unit sales; every day column needs a number (0 for no sales)"
        : `unit sales must be >= 0, found ${bad.units}; fix the value`,
      { file, row: bad.line, column: bad.d },
    );
  }
}

/** One file may hold a series once; an item has one department/category and a store one state. */
async function checkSeries(wh: Warehouse, files: M5Files): Promise<void> {
  const dup = await wh.one<{
    file_rank: number;
    line: number;
    first: number;
    product_id: string;
    store_id: string;
  }>(
    `SELECT file_rank, line, first, product_id, store_id FROM (
       SELECT *, min(line) OVER (PARTITION BY file_rank, product_id, store_id) AS first FROM _m5_series)
     WHERE line > first ORDER BY file_rank, line LIMIT 1`,
  );
  if (dup) {
    throw new InputError(
      `series ${dup.product_id} at ${dup.store_id} repeats line ${dup.first}; keep one row per item and store`,
      { file: files.sales[dup.file_rank], row: dup.line },
    );
  }
  for (const [key, attr] of [
    ["product_id", "dept_id"],
    ["product_id", "cat_id"],
    ["store_id", "state_id"],
  ] as const) {
    const c = await wh.one<{ file_rank: number; line: number; key: string }>(
      `SELECT file_rank, line, ${key} AS key FROM (
         SELECT *, count(DISTINCT ${attr}) OVER (PARTITION BY ${key}) AS n FROM _m5_series)
       WHERE n > 1 ORDER BY file_rank, line LIMIT 1`,
    );
    if (c) {
      throw new InputError(`${c.key} has more than one ${attr} across the sales files; ids must agree`, {
        file: files.sales[c.file_rank],
        row: c.line,
        column: attr,
      });
    }
  }
}

async function stagePrices(wh: Warehouse, file: string): Promise<void> {
  await checkTable(wh, file, ["store_id", "item_id", "wm_yr_wk", "sell_price"]);
  try {
    await wh.run(
      `CREATE OR REPLACE TEMP TABLE _m5_weekly AS
       SELECT row_number() OVER () + 1 AS line, store_id::VARCHAR AS store_id, item_id::VARCHAR AS product_id,
         TRY_CAST(wm_yr_wk AS INTEGER) AS wm_yr_wk, TRY_CAST(sell_price AS DOUBLE) AS price,
         sell_price::VARCHAR AS price_text
       FROM ${csv(file)}`,
    );
  } catch (e) {
    throw new InputError(`cannot read: ${(e as Error).message.split("\n")[0]}`, { file }, { cause: e });
  }
  const bad = await wh.one<{ line: number; column: string; value: string | null }>(
    `SELECT line, CASE WHEN wm_yr_wk IS NULL THEN 'wm_yr_wk' ELSE 'sell_price' END AS column, price_text AS value
     FROM _m5_weekly WHERE wm_yr_wk IS NULL OR price IS NULL OR price < 0 OR NOT isfinite(price)
       OR store_id IS NULL OR product_id IS NULL
     ORDER BY line LIMIT 1`,
  );
  if (bad) {
    throw new InputError(
      `empty, negative or malformed value (sell_price ${JSON.stringify(bad.value)}); prices must be numbers >= 0 with a week number`,
      { file, row: bad.line, column: bad.column },
    );
  }
  const dup = await wh.one<{ line: number; first: number }>(
    `SELECT line, first FROM (SELECT line, min(line) OVER (PARTITION BY store_id, product_id, wm_yr_wk) AS first
       FROM _m5_weekly) WHERE line > first ORDER BY line LIMIT 1`,
  );
  if (dup) {
    throw new InputError(`repeats the store, item and week of line ${dup.first}; keep one price per week`, {
      file,
      row: dup.line,
    });
  }
}

/** Builds the staging tables in the warehouse's shape from the checked raw stages. */
async function shapeTargets(wh: Warehouse): Promise<void> {
  await wh.run(
    `CREATE OR REPLACE TEMP TABLE _m5_stores AS
     SELECT store_id, NULL::VARCHAR AS dc_id, NULL::VARCHAR AS city, any_value(state_id) AS region,
       NULL::DOUBLE AS latitude, NULL::DOUBLE AS longitude, NULL::DOUBLE AS size_m2, NULL::VARCHAR AS format,
       NULL::DATE AS open_date, NULL::DATE AS close_date
     FROM _m5_series GROUP BY store_id`,
  );
  // Only the series of the sales files are imported; their weekly prices become one row per day of the week,
  // limited to the days the sales cover (a price row past the last sales day would look like a zero-sales day).
  await wh.run(
    `CREATE OR REPLACE TEMP TABLE _m5_prices AS
     WITH span AS (SELECT min(date) AS lo, max(date) AS hi FROM _m5_units),
          series AS (SELECT DISTINCT store_id, product_id FROM _m5_series)
     SELECT c.date, w.store_id, w.product_id, w.price AS regular_price, NULL::DOUBLE AS promo_price
     FROM _m5_weekly w JOIN series USING (store_id, product_id) JOIN _m5_cal c USING (wm_yr_wk), span
     WHERE c.date BETWEEN span.lo AND span.hi`,
  );
  await wh.run(
    `CREATE OR REPLACE TEMP TABLE _m5_products AS
     WITH first_week AS (
       SELECT w.product_id, min(c.date) AS introduced
       FROM _m5_weekly w JOIN _m5_cal c USING (wm_yr_wk) GROUP BY w.product_id)
     SELECT s.product_id, NULL::VARCHAR AS name, any_value(s.cat_id) AS category_l1,
       any_value(s.dept_id) AS category_l2, NULL::VARCHAR AS category_l3, NULL::VARCHAR AS brand,
       NULL::VARCHAR AS manufacturer, NULL::VARCHAR AS price_group, NULL::INTEGER AS shelf_life_days,
       any_value(f.introduced) AS introduced_date, NULL::DATE AS delisted_date, NULL::DOUBLE AS weight_kg
     FROM _m5_series s LEFT JOIN first_week f USING (product_id) GROUP BY s.product_id`,
  );
  await wh.run(
    `CREATE OR REPLACE TEMP TABLE _m5_sales AS
     SELECT u.date, u.store_id, u.product_id, u.units,
       CASE WHEN p.regular_price IS NOT NULL THEN u.units * p.regular_price END AS revenue,
       NULL::DOUBLE AS discount
     FROM _m5_units u LEFT JOIN _m5_prices p USING (date, store_id, product_id)`,
  );
}

/** Drops every staging table (they are temporary, but a long-lived connection should not keep them). */
export async function dropStaging(wh: Warehouse): Promise<void> {
  for (const t of [
    "cal",
    "long",
    "series",
    "units",
    "weekly",
    "stores",
    "prices",
    "products",
    "sales",
    "events",
  ]) {
    await wh.run(`DROP TABLE IF EXISTS _m5_${t}`);
  }
}

/** File names for a summary (the folder is printed once). */
export function fileNames(files: M5Files): string[] {
  return [...files.sales, files.calendar, files.prices].map((f) => basename(f));
}
