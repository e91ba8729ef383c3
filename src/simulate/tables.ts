import { QUANTILE_COLUMNS } from "../core/quantiles.ts";
import { tableSpec } from "../data/schema.ts";
import type { WriterColumn, WriterTable } from "../data/table-writer.ts";
import { ID } from "./chain.ts";

/**
 * The tables the simulator writes: the source tables of schema.ts (columns exactly as there, with ids
 * staged as numbers in the big ones) and its own truth tables.
 */

/** A source table of schema.ts with store/product/DC ids given as indexes (written as S0001, P000001, DC01). */
export function sourceTable(name: string): WriterTable {
  const spec = tableSpec(name);
  if (!spec) throw new Error(`unknown table ${name}`);
  return {
    name,
    columns: spec.columns.map((c): WriterColumn => {
      if (c.name === "store_id") return { ...c, idPattern: ID.store };
      if (c.name === "product_id") return { ...c, idPattern: ID.product };
      if (c.name === "dc_id") return { ...c, idPattern: ID.dc };
      if (c.name === "check_id") return { ...c, intText: true };
      if (c.name === "promo_id") return { ...c, idPattern: { prefix: "PR", width: 7, offset: 1 } };
      return c;
    }),
  };
}

/** A bad-value fault writes product index `products + UNKNOWN_PRODUCT_GAP`: an id no product has. */
export const UNKNOWN_PRODUCT_GAP = 1000;

/**
 * `t` with its store and product ids handed to DuckDB as ENUMs of every id the run can write (the
 * chain's stores; its products and the unknown product of a fault): rendering the id text per row in SQL
 * cost about as much as all the other columns together.
 */
export function withIdEnums(t: WriterTable, stores: number, products: number): WriterTable {
  const counts: Record<string, number> = { store_id: stores, product_id: products + UNKNOWN_PRODUCT_GAP + 1 };
  return {
    ...t,
    columns: t.columns.map((c) => {
      const count = counts[c.name];
      return count !== undefined && c.idPattern ? { ...c, idPattern: { ...c.idPattern, count } } : c;
    }),
  };
}

/** Index of a column in a writer table (throws on a typo, at start-up rather than mid-run). */
export function col(t: WriterTable, name: string): number {
  const i = t.columns.findIndex((c) => c.name === name);
  if (i < 0) throw new Error(`${t.name} has no column ${name}`);
  return i;
}

const num = (name: string, nullable = false): WriterColumn => ({ name, type: "DOUBLE", nullable });

/** truth/demand: the true demand distribution of every simulated (date, store, product) and its effects. */
export const TRUTH_DEMAND: WriterTable = {
  name: "demand",
  columns: [
    { name: "date", type: "DATE", nullable: false },
    { name: "store_id", type: "VARCHAR", nullable: false, idPattern: ID.store },
    { name: "product_id", type: "VARCHAR", nullable: false, idPattern: ID.product },
    num("level"),
    num("f_season"),
    num("f_event"),
    num("f_weather"),
    num("f_promo"),
    num("f_price"),
    num("mean"),
    num("size"),
    ...QUANTILE_COLUMNS.map((name): WriterColumn => ({ name, type: "INTEGER", nullable: false })),
    { name: "demand", type: "INTEGER", nullable: false },
  ],
};

/** truth/faults: one row per injected data-quality fault. */
export const TRUTH_FAULTS: WriterTable = {
  name: "faults",
  columns: [
    { name: "kind", type: "VARCHAR", nullable: false },
    { name: "table_name", type: "VARCHAR", nullable: false },
    { name: "date", type: "DATE", nullable: true },
    { name: "store_id", type: "VARCHAR", nullable: true },
    { name: "product_id", type: "VARCHAR", nullable: true },
    { name: "column_name", type: "VARCHAR", nullable: true },
    { name: "detail", type: "VARCHAR", nullable: false },
  ],
};

/** The fault kinds, what each does and how the quality report sees it (docs/simulator.md repeats this). */
export const FAULT_KINDS = {
  duplicate_row: "a fact row written twice (ingest quarantines the copy as duplicate_key)",
  missing_day: "a day of the sales/transactions feed never arrives (quality: missing-day)",
  late_partition: "a daily partition arrives 6-48 h late (feed_arrivals; quality: late-partition)",
  negative_units: "units written negative (ingest quarantines as out_of_range)",
  unknown_product: "a product id that is not in products (ingest quarantines as unknown_ref)",
  negative_price: "a regular price written negative (ingest quarantines as out_of_range)",
} as const;
