import { type Day, formatDay } from "../core/days.ts";
import { promoDaysSql } from "../data/etl-sql.ts";
import type { DailyPanel } from "../data/to-panel.ts";
import type { Warehouse } from "../data/warehouse.ts";
import { stageKeys } from "./stage-keys.ts";

/** What filling the planned inputs found. */
export interface PlannedFill {
  /** Series-days after the data end given a price. */
  days: number;
  /** Of those, priced from a planned `prices` row (the rest carry the last known regular price forward). */
  fromPrices: number;
  /** Series-days on a planned promotion (from `promos`). */
  promoDays: number;
}

/**
 * Fills the planned inputs (price, regular price, promo flag and depth) of the days after the data end, up to the
 * panel's end, in place. `daily` ends at the data end, but training saw these inputs on every target day (they are
 * planned, known in advance); left NaN, every forecast past the data end would take the trees' missing-value
 * branch for price and promo features. Sources, as ETL derives them: a `prices` row for the day (the chain's
 * planned prices) and the `promos` covering it (store, then DC, then chain scope); without a planned price, the
 * last known regular price carries forward (no change planned), and no promo means none.
 */
export async function fillPlannedInputs(
  wh: Warehouse,
  daily: DailyPanel,
  dataEnd: Day,
): Promise<PlannedFill> {
  return (await fillPlannedInputsByGroup(wh, daily, dataEnd, new Int32Array(daily.storeId.length), 1))[0]!;
}

/**
 * fillPlannedInputs with what it found counted per group of series (series i in group[i] of 0..nGroups-1): one
 * pass of queries for a panel holding several partitions.
 */
export async function fillPlannedInputsByGroup(
  wh: Warehouse,
  daily: DailyPanel,
  dataEnd: Day,
  group: Int32Array,
  nGroups: number,
): Promise<PlannedFill[]> {
  const outs: PlannedFill[] = Array.from({ length: nGroups }, () => ({
    days: 0,
    fromPrices: 0,
    promoDays: 0,
  }));
  const n = daily.storeId.length;
  if (daily.end <= dataEnd || n === 0) return outs;
  const from = `DATE '${formatDay(dataEnd + 1)}'`;
  const to = `DATE '${formatDay(daily.end)}'`;
  await stageKeys(wh, "planned_series", daily.storeId, daily.productId);
  const prices = await wh.readTyped(
    `SELECT k.sid, (p.date - DATE '1970-01-01')::INT AS day, p.regular_price::DOUBLE AS regular,
            coalesce(p.promo_price, 'NaN'::DOUBLE) AS promo
     FROM prices p JOIN temp.planned_series k USING (store_id, product_id) WHERE p.date BETWEEN ${from} AND ${to}`,
    { sid: "i32", day: "i32", regular: "f64", promo: "f64" },
  );
  const promos = await wh.readTyped(
    `SELECT k.sid, (d.date - DATE '1970-01-01')::INT AS day, coalesce(d.discount, 'NaN'::DOUBLE) AS discount
     FROM (${promoDaysSql(from, to)}) d JOIN temp.planned_series k USING (store_id, product_id)`,
    { sid: "i32", day: "i32", discount: "f64" },
  );
  await wh.run("DROP TABLE IF EXISTS temp.planned_series");
  const at = (i: number, day: number) => daily.indptr[i]! + day - daily.start[i]!;
  const inRange = (i: number, day: number) => day > dataEnd && day <= daily.end && day >= daily.start[i]!;
  // Defaults first: the last known regular price (no promo), then planned rows on top.
  for (let i = 0; i < n; i++) {
    const out = outs[group[i]!]!;
    const first = Math.max(daily.start[i]!, dataEnd + 1);
    let last = Number.NaN;
    for (let j = at(i, first) - 1; j >= daily.indptr[i]! && Number.isNaN(last); j--)
      last = daily.regularPrice[j]!;
    for (let day = first; day <= daily.end; day++) {
      const j = at(i, day);
      daily.regularPrice[j] = last;
      daily.price[j] = last;
      daily.onPromo[j] = 0;
      daily.promoDiscount[j] = 0;
      if (!Number.isNaN(last)) out.days++;
    }
  }
  const promoPrice = new Map<number, number>();
  for (let r = 0; r < prices.sid.length; r++) {
    const i = prices.sid[r]!;
    const day = prices.day[r]!;
    if (!inRange(i, day)) continue;
    const j = at(i, day);
    const out = outs[group[i]!]!;
    if (Number.isNaN(daily.regularPrice[j]!)) out.days++;
    daily.regularPrice[j] = prices.regular[r]!;
    daily.price[j] = prices.regular[r]!;
    out.fromPrices++;
    if (!Number.isNaN(prices.promo[r]!)) promoPrice.set(j, prices.promo[r]!);
  }
  const noDiscount = new Set<number>();
  for (let r = 0; r < promos.sid.length; r++) {
    const i = promos.sid[r]!;
    const day = promos.day[r]!;
    if (!inRange(i, day)) continue;
    const j = at(i, day);
    const discount = promos.discount[r]!;
    daily.onPromo[j] = 1;
    daily.promoDiscount[j] = Number.isNaN(discount) ? 0 : discount;
    if (Number.isNaN(discount)) noDiscount.add(j);
    else daily.price[j] = daily.regularPrice[j]! * (1 - discount);
    outs[group[i]!]!.promoDays++;
  }
  // A planned promo price wins over the discount, as in ETL; it marks the day as on promo and gives the depth
  // where the promotion states none.
  for (const [j, p] of promoPrice) {
    daily.price[j] = p;
    if (!daily.onPromo[j] || noDiscount.has(j)) {
      daily.onPromo[j] = 1;
      const reg = daily.regularPrice[j]!;
      daily.promoDiscount[j] = reg > 0 ? Math.max(0, Math.min(1, 1 - p / reg)) : 0;
    }
  }
  return outs;
}
