import { type Day, formatDay } from "../core/days.ts";
import {
  type DailyPanel,
  emptyPanel,
  PANEL_VALUE_KINDS,
  PANEL_VALUES_SQL,
  placeRows,
  seriesAttributes,
} from "../data/to-panel.ts";
import { sqlString, type TypedColumns, type Warehouse } from "../data/warehouse.ts";
import { NO_DC } from "./partitions.ts";
import { fillPlannedInputsByGroup, type PlannedFill } from "./planned.ts";

/** One partition's panel (planned inputs filled) and what filling them found. */
export interface PartitionPanel {
  dc: string;
  daily: DailyPanel;
  planned: PlannedFill;
}

/** Reads of `daily` for the panels' rows (see loadPartitionPanels). */
const PIECES = 2;

const SCAN_KINDS = { sc: "i32", pc: "i32", day: "i32", ...PANEL_VALUE_KINDS } as const;

/** Above this many (store, product) code pairs, rows find their series through a Map instead of a dense table. */
const DENSE_CODES = 1 << 24;

/**
 * The panels of several DC partitions, read from `daily` in ONE scan (days up to `end`), with the planned inputs
 * after `dataEnd` filled by one pass of queries (fillPlannedInputs): each panel holds what
 * `loadDailyPanel(wh, { end, dc, keepConstant: true })` + `fillPlannedInputs` would give for its DC (the same
 * series in the same order, the same values; categorical codes may be numbered differently but carry the same
 * labels, which is what a model maps by). Reading each DC with its own filtered scan, series GROUP BY and
 * position join cost ~1.6 CPU-s per partition of 2M rows; here the series list is one GROUP BY, each row's
 * series is found in JS from two small integer codes (store, product), and the panels are views of one set of
 * arrays (series ordered by partition, then store and product, so a partition is a contiguous range).
 */
export async function loadPartitionPanels(
  wh: Warehouse,
  o: { end: Day; dataEnd: Day; partitions: readonly string[] },
): Promise<PartitionPanel[]> {
  const end = o.end;
  const endSql = `DATE '${formatDay(end)}'`;
  const parts = o.partitions;
  if (parts.length === 0) return [];
  const list = parts.map((p, k) => `(${sqlString(p)}, ${k})`).join(", ");
  // The stores of the partitions (as loadDailyPanel: a store belongs to its stores.dc_id; NO_DC: none).
  await wh.run(`CREATE OR REPLACE TEMP TABLE chain_stores AS
    SELECT store_id, dk, (row_number() OVER (ORDER BY store_id))::INT - 1 AS sc
    FROM (SELECT DISTINCT store_id, coalesce(dc_id, '${NO_DC}') AS dc FROM stores) s
    JOIN (VALUES ${list}) p(dc, dk) USING (dc)`);
  await wh.run(`CREATE OR REPLACE TEMP TABLE chain_series AS
    SELECT store_id, product_id, s.dk, s.sc, d.first_day
    FROM (SELECT store_id, product_id, (min(date) - DATE '1970-01-01')::INT AS first_day
          FROM daily WHERE date <= ${endSql} GROUP BY ALL) d
    JOIN chain_stores s USING (store_id)`);
  await wh.run(`CREATE OR REPLACE TEMP TABLE chain_products AS
    SELECT product_id, (row_number() OVER (ORDER BY product_id))::INT - 1 AS pc
    FROM (SELECT DISTINCT product_id FROM chain_series)`);
  try {
    const stores = await wh.all<{ store_id: string; sc: number; dk: number }>(
      "SELECT store_id, sc, dk FROM temp.chain_stores",
    );
    const products = await wh.all<{ product_id: string; pc: number }>(
      "SELECT product_id, pc FROM temp.chain_products",
    );
    const storeName: string[] = [];
    for (const s of stores) storeName[s.sc] = s.store_id;
    const productName: string[] = [];
    for (const p of products) productName[p.pc] = p.product_id;
    const nP = products.length;
    // Series in partition order, then (store_id, product_id): loadDailyPanel's order within a partition.
    const series = await wh.readTyped(
      `SELECT s.dk, s.sc, p.pc, s.first_day FROM temp.chain_series s JOIN temp.chain_products p USING (product_id)
       ORDER BY s.dk, s.store_id, s.product_id`,
      { dk: "i32", sc: "i32", pc: "i32", first_day: "i32" },
    );
    const daily = emptyPanel(
      Array.from(series.sc, (c) => storeName[c]!),
      Array.from(series.pc, (c) => productName[c]!),
      series.first_day,
      end,
    );
    const { indptr } = daily;
    const n = series.dk.length;
    // Each row's series from its (store, product) codes; its position is the series' offset minus its first day
    // plus the row's day.
    const dense = stores.length * nP <= DENSE_CODES;
    const table = dense ? new Int32Array(stores.length * nP).fill(-1) : null;
    const map = dense ? null : new Map<number, number>();
    const base = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const code = series.sc[i]! * nP + series.pc[i]!;
      if (table) table[code] = i;
      else map!.set(code, i);
      base[i] = indptr[i]! - series.first_day[i]!;
    }
    let pos = new Int32Array(2048);
    const place = (rows: TypedColumns<typeof SCAN_KINDS>, m: number) => {
      if (pos.length < m) pos = new Int32Array(m);
      for (let r = 0; r < m; r++) {
        const code = rows.sc[r]! * nP + rows.pc[r]!;
        const i = table ? table[code]! : (map!.get(code) ?? -1);
        pos[r] = i < 0 ? -1 : base[i]! + rows.day[r]!;
      }
      placeRows(daily, pos, rows, m);
    };
    // The rows in pieces (a few partitions' stores each, as constant lists filtered inside the scan): DuckDB
    // computes piece k+1 on its own threads while the main thread places piece k's rows, instead of the main
    // thread waiting for the whole result and DuckDB then waiting for the main thread.
    const nPieces = Math.min(PIECES, parts.length);
    const piece = (k: number) => {
      const list = stores
        .filter((st) => Math.floor((st.dk * nPieces) / parts.length) === k)
        .map((st) => sqlString(st.store_id));
      const only = nPieces > 1 ? `AND d.store_id IN (${list.length > 0 ? list.join(", ") : "NULL"})` : "";
      return wh.startScan(
        `SELECT s.sc, p.pc, (d.date - DATE '1970-01-01')::INT AS day,
              ${PANEL_VALUES_SQL}
         FROM daily d JOIN temp.chain_stores s USING (store_id) JOIN temp.chain_products p USING (product_id)
         WHERE d.date <= ${endSql} ${only}`,
        SCAN_KINDS,
      );
    };
    let current = piece(0);
    for (let k = 1; k <= nPieces; k++) {
      await current.computed;
      const next = k < nPieces ? piece(k) : null;
      try {
        await current.scan(place);
      } catch (e) {
        // The warehouse is free again only when the next piece's query is done.
        await next?.computed.catch(() => undefined);
        throw e;
      }
      if (next) current = next;
    }
    Object.assign(
      daily,
      await seriesAttributes(wh, "temp.chain_series", daily.storeId, daily.productId, { keepConstant: true }),
    );
    const planned = await fillPlannedInputsByGroup(wh, daily, o.dataEnd, series.dk, parts.length);
    // Contiguous series range of each partition.
    const from = new Int32Array(parts.length + 1);
    for (let i = 0; i < n; i++) from[series.dk[i]! + 1]!++;
    for (let k = 0; k < parts.length; k++) from[k + 1]! += from[k]!;
    return parts.map((dc, k) => ({
      dc,
      daily: slicePanel(daily, from[k]!, from[k + 1]!),
      planned: planned[k]!,
    }));
  } finally {
    await wh.run("DROP TABLE IF EXISTS temp.chain_series");
    await wh.run("DROP TABLE IF EXISTS temp.chain_products");
    await wh.run("DROP TABLE IF EXISTS temp.chain_stores");
  }
}

/** Series a..b-1 of a panel as a panel of their own (views of its arrays; indptr rebased). */
export function slicePanel(p: DailyPanel, a: number, b: number): DailyPanel {
  const lo = p.indptr[a]!;
  const hi = p.indptr[b]!;
  const indptr = new Int32Array(b - a + 1);
  for (let i = a; i <= b; i++) indptr[i - a] = p.indptr[i]! - lo;
  return {
    storeId: p.storeId.slice(a, b),
    productId: p.productId.slice(a, b),
    indptr,
    start: p.start.subarray(a, b),
    end: p.end,
    units: p.units.subarray(lo, hi),
    demand: p.demand.subarray(lo, hi),
    price: p.price.subarray(lo, hi),
    regularPrice: p.regularPrice.subarray(lo, hi),
    onPromo: p.onPromo.subarray(lo, hi),
    promoDiscount: p.promoDiscount.subarray(lo, hi),
    inAssortment: p.inAssortment.subarray(lo, hi),
    stockout: p.stockout.subarray(lo, hi),
    categoricals: p.categoricals.map((c) => ({ ...c, codes: c.codes.subarray(a, b) })),
    region: p.region.slice(a, b),
    numerics: p.numerics.map((x) => ({ ...x, values: x.values.subarray(a, b) })),
  };
}
