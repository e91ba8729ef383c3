import type { Day } from "../core/days.ts";
import { formatDay } from "../core/days.ts";
import { sqlString, type TypedColumns, type Warehouse } from "./warehouse.ts";

/** A categorical attribute of each series: an integer code per series and the code's label. */
export interface Categorical {
  name: string;
  codes: Int32Array;
  labels: string[];
}

/**
 * The daily fact table as grouped typed arrays (mlforecast's grouped array): series i covers days
 * start[i] .. start[i] + (indptr[i+1] - indptr[i]) - 1, densely; a day without a row is NaN / 0.
 */
export interface DailyPanel {
  storeId: string[];
  productId: string[];
  indptr: Int32Array;
  start: Int32Array;
  /** Last day loaded (the data end, or the `end` asked for). */
  end: Day;
  /** Units sold (NaN: no row that day). */
  units: Float32Array;
  /** Units where they measure demand: NaN on stockout days, not-in-assortment days and days without a row. */
  demand: Float32Array;
  price: Float32Array;
  regularPrice: Float32Array;
  onPromo: Uint8Array;
  promoDiscount: Float32Array;
  inAssortment: Uint8Array;
  stockout: Uint8Array;
  /** Series attributes from products and stores, as categoricals (category levels, brand, DC, region, format...). */
  categoricals: Categorical[];
  /** Region of each series' store (joins regional calendar events and weather); null where unknown. */
  region: (string | null)[];
  /** Numeric series attributes (store size, shelf life), NaN where unknown. */
  numerics: { name: string; values: Float32Array }[];
}

const CATEGORICAL_ATTRS = [
  "p.category_l1",
  "p.category_l2",
  "p.category_l3",
  "p.brand",
  "p.price_group",
  "s.dc_id",
  "s.region",
  "s.format",
  "s.store_id",
] as const;
const NUMERIC_ATTRS = ["p.shelf_life_days", "s.size_m2"] as const;

/** Names of every series attribute a panel may carry, in panel order: categorical, then numeric. */
export const SERIES_ATTRIBUTES = {
  categorical: CATEGORICAL_ATTRS.map((c) => c.slice(2)),
  numeric: NUMERIC_ATTRS.map((c) => c.slice(2)),
} as const;

/** What to load: days up to `end`, only some stores or one distribution centre's stores. */
export interface PanelOptions {
  end?: Day;
  stores?: string[];
  /** Only the stores of this DC (`stores.dc_id`); null: the stores without a DC. */
  dc?: string | null;
  /**
   * Keep attributes that are constant over the loaded series (a one-DC partition has one dc_id); by default they
   * are left out as uninformative. A saved model maps them by label, so it needs them.
   */
  keepConstant?: boolean;
}

/**
 * The `daily` values a panel holds, as SQL select items over alias `d` (readTyped kinds PANEL_VALUE_KINDS): the
 * three flags packed in one byte (on_promo + 2 in_assortment + 4 stockout), so fewer columns cross to JS.
 */
export const PANEL_VALUES_SQL = `d.units::FLOAT AS units, d.price::FLOAT AS price,
  d.regular_price::FLOAT AS regular_price, coalesce(d.promo_discount, 0)::FLOAT AS promo_discount,
  (coalesce(d.on_promo, false)::INT + 2 * coalesce(d.in_assortment, false)::INT
   + 4 * coalesce(d.stockout, false)::INT)::UTINYINT AS flags`;

/** The typed kinds of PANEL_VALUES_SQL's columns. */
export const PANEL_VALUE_KINDS = {
  units: "f32",
  price: "f32",
  regular_price: "f32",
  promo_discount: "f32",
  flags: "u8",
} as const;

/** Writes rows 0..m-1 of PANEL_VALUES_SQL columns at panel positions pos[r] (pos < 0: the row is skipped). */
export function placeRows(
  panel: DailyPanel,
  pos: Int32Array,
  rows: TypedColumns<typeof PANEL_VALUE_KINDS>,
  m: number,
): void {
  for (let r = 0; r < m; r++) {
    const j = pos[r]!;
    if (j < 0) continue;
    const u = rows.units[r]!;
    const flags = rows.flags[r]!;
    panel.units[j] = u;
    panel.price[j] = rows.price[r]!;
    panel.regularPrice[j] = rows.regular_price[r]!;
    panel.onPromo[j] = flags & 1;
    panel.promoDiscount[j] = rows.promo_discount[r]!;
    panel.inAssortment[j] = (flags >> 1) & 1;
    panel.stockout[j] = flags >> 2;
    // Demand where in assortment and not stocked out.
    panel.demand[j] = (flags & 6) === 2 ? u : Number.NaN;
  }
}

/**
 * Loads `daily` (optionally only days <= end, and only some stores or one DC) into a DailyPanel, series ordered by
 * (store_id, product_id). This is the one road from the warehouse to modelling code.
 */
export async function loadDailyPanel(wh: Warehouse, options: PanelOptions = {}): Promise<DailyPanel> {
  // A DC's stores as a constant list: DuckDB filters a constant IN list inside the scan of `daily` (reading the
  // other columns only for the rows kept), where a subquery would be a join after reading every row.
  let dcStores: string[] | null = null;
  if (options.dc !== undefined) {
    const dc = options.dc === null ? "dc_id IS NULL" : `dc_id = ${sqlString(options.dc)}`;
    const rows = await wh.all<{ store_id: string }>(
      `SELECT DISTINCT store_id FROM stores WHERE ${dc} ORDER BY store_id`,
    );
    dcStores = rows.map((r) => r.store_id);
  }
  const where = (alias: string) => {
    const conds: string[] = [];
    if (options.end !== undefined) conds.push(`${alias}date <= DATE '${formatDay(options.end)}'`);
    if (options.stores) conds.push(`${alias}store_id IN (${options.stores.map(sqlString).join(",")})`);
    if (dcStores) {
      conds.push(
        dcStores.length > 0 ? `${alias}store_id IN (${dcStores.map(sqlString).join(",")})` : "false",
      );
    }
    return conds.length > 0 ? `WHERE ${conds.join(" AND ")}` : "";
  };
  await wh.run("DROP TABLE IF EXISTS temp.panel_series");
  await wh.run(`CREATE TEMP TABLE panel_series AS
    SELECT row_number() OVER (ORDER BY store_id, product_id)::INT - 1 AS sid, store_id, product_id,
           (min(date) - DATE '1970-01-01')::INT AS first_day, (max(date) - DATE '1970-01-01')::INT AS last_day
    FROM daily ${where("")} GROUP BY store_id, product_id`);
  const series = await wh.all<{ store_id: string; product_id: string; first_day: number; last_day: number }>(
    "SELECT store_id, product_id, first_day, last_day FROM temp.panel_series ORDER BY sid",
  );
  const dataEnd = series.reduce((m, s) => Math.max(m, s.last_day), Number.NEGATIVE_INFINITY);
  const panel = emptyPanel(
    series.map((s) => s.store_id),
    series.map((s) => s.product_id),
    Int32Array.from(series, (s) => s.first_day),
    options.end ?? dataEnd,
  );
  const { end } = panel;
  // Each row's position in the panel arrays computed in SQL (the series' offset minus its first day, plus the day)
  // and the three flags packed in one byte: 6 columns cross from DuckDB to JS instead of 9. (Without series, `end`
  // is -Infinity and no row joins.)
  const rows = await wh.readTyped(
    `WITH o AS (
       SELECT store_id, product_id,
              (coalesce(sum(${Number.isFinite(end) ? end : 0} - first_day + 1) OVER (ORDER BY sid ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0)
               - first_day)::INT AS off
       FROM temp.panel_series)
     SELECT (o.off + (d.date - DATE '1970-01-01')::INT)::INT AS j, ${PANEL_VALUES_SQL}
     FROM daily d JOIN o USING (store_id, product_id) ${where("d.")}`,
    { j: "i32", ...PANEL_VALUE_KINDS },
  );
  placeRows(panel, rows.j, rows, rows.j.length);
  Object.assign(
    panel,
    await seriesAttributes(wh, "temp.panel_series", panel.storeId, panel.productId, options),
  );
  await wh.run("DROP TABLE IF EXISTS temp.panel_series");
  return panel;
}

/** A panel's series attributes (see DailyPanel): categoricals, regions and numerics. */
export type SeriesAttributes = Pick<DailyPanel, "categoricals" | "region" | "numerics">;

/**
 * The attributes of the series (storeId[i], productId[i]) from `products` and `stores`; `keys` is a table with the
 * series' store_id and product_id columns (only their products and stores are read). A constant attribute is left
 * out unless keepConstant; an attribute absent everywhere always is.
 */
export async function seriesAttributes(
  wh: Warehouse,
  keys: string,
  storeId: readonly string[],
  productId: readonly string[],
  options: { keepConstant?: boolean } = {},
): Promise<SeriesAttributes> {
  const n = storeId.length;
  const out: SeriesAttributes = { categoricals: [], region: [], numerics: [] };
  // Attributes per product and per store (a few hundred rows), joined to the series here: reading them per
  // series as row objects cost more than the rest of the attributes' handling.
  const attrsOf = async (table: "products" | "stores", key: string, alias: "p" | "s") => {
    const cols = [...CATEGORICAL_ATTRS, ...NUMERIC_ATTRS].filter((c) => c.startsWith(`${alias}.`));
    const rows = await wh.all(
      `SELECT ${alias}.${key}::VARCHAR AS "key", ${cols.map((c) => `${c}::VARCHAR AS "${c}"`).join(", ")}
       FROM ${table} ${alias} WHERE ${alias}.${key} IN (SELECT DISTINCT ${key} FROM ${keys})`,
    );
    return new Map(rows.map((r) => [String(r.key), r]));
  };
  const products = await attrsOf("products", "product_id", "p");
  const stores = await attrsOf("stores", "store_id", "s");
  // Each series' product and store rows (no per-series object: 10^5+ series).
  const none: Record<string, unknown> = {};
  const productRow: Record<string, unknown>[] = new Array(n);
  const storeRow: Record<string, unknown>[] = new Array(n);
  for (let i = 0; i < n; i++) {
    productRow[i] = products.get(productId[i]!) ?? none;
    storeRow[i] = stores.get(storeId[i]!) ?? none;
  }
  const rowsOf = (c: string) => (c.startsWith("p.") ? productRow : storeRow);
  for (const c of CATEGORICAL_ATTRS) {
    const labels: string[] = [];
    const index = new Map<string, number>();
    const codes = new Int32Array(n);
    rowsOf(c).forEach((row, i) => {
      const v = row[c];
      if (v === null || v === undefined) {
        codes[i] = -1;
        return;
      }
      const key = String(v);
      let code = index.get(key);
      if (code === undefined) {
        code = labels.length;
        labels.push(key);
        index.set(key, code);
      }
      codes[i] = code;
    });
    // A constant or absent attribute carries no information; leave it out.
    if (labels.length > 1 || (options.keepConstant && labels.length > 0))
      out.categoricals.push({ name: c.slice(2), codes, labels });
  }
  out.region = storeRow.map((row) => (row["s.region"] == null ? null : String(row["s.region"])));
  for (const c of NUMERIC_ATTRS) {
    const rows = rowsOf(c);
    const values = new Float32Array(n);
    for (let i = 0; i < n; i++) values[i] = rows[i]![c] == null ? Number.NaN : Number(rows[i]![c]);
    if (values.some((v) => !Number.isNaN(v))) out.numerics.push({ name: c.slice(2), values });
  }
  return out;
}

/** The first day of any series of the panel (+Infinity for an empty panel); a loop, not a spread: 10^5+ series. */
export function panelStart(daily: DailyPanel): Day {
  let start = Number.POSITIVE_INFINITY;
  for (let i = 0; i < daily.start.length; i++) start = Math.min(start, daily.start[i]!);
  return start;
}

/**
 * A panel of the given series from their first days to `end`, every value unknown (NaN; flags and discount 0), for
 * the loaders to fill.
 */
export function emptyPanel(storeId: string[], productId: string[], start: Int32Array, end: Day): DailyPanel {
  const n = start.length;
  const indptr = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) indptr[i + 1] = indptr[i]! + (end - start[i]! + 1);
  const total = indptr[n]!;
  return {
    storeId,
    productId,
    indptr,
    start,
    end,
    units: new Float32Array(total).fill(Number.NaN),
    demand: new Float32Array(total).fill(Number.NaN),
    price: new Float32Array(total).fill(Number.NaN),
    regularPrice: new Float32Array(total).fill(Number.NaN),
    onPromo: new Uint8Array(total),
    promoDiscount: new Float32Array(total),
    inAssortment: new Uint8Array(total),
    stockout: new Uint8Array(total),
    categoricals: [],
    region: [],
    numerics: [],
  };
}
