import { stageSeriesKeys } from "../data/series-keys.ts";
import type { Warehouse } from "../data/warehouse.ts";

/**
 * Writes the same temporary table as stageSeriesKeys, `name (sid INTEGER, store_id VARCHAR, product_id VARCHAR)`,
 * for a job's 10^4-10^5 series at a fraction of the cost: the ids go in as SQL text once per distinct store and
 * product (a few hundred), the series as integer codes through the appender, and one join builds the table.
 * (stageSeriesKeys parses every series' ids from SQL text: ~0.15 CPU-s per 11k series.)
 */
export async function stageKeys(
  wh: Warehouse,
  name: string,
  storeId: readonly string[],
  productId: readonly string[],
): Promise<void> {
  const stores = codes(storeId);
  const products = codes(productId);
  // (code, id) tables of the distinct ids, through stageSeriesKeys: both of its id columns hold the id.
  await stageSeriesKeys(wh, `${name}_s`, stores.labels, stores.labels);
  await stageSeriesKeys(wh, `${name}_p`, products.labels, products.labels);
  await wh.stageNumbers(`${name}_n`, {
    sid: { type: "INTEGER", values: Int32Array.from(storeId, (_, i) => i) },
    s: { type: "INTEGER", values: stores.codes },
    p: { type: "INTEGER", values: products.codes },
  });
  await wh.run(`DROP TABLE IF EXISTS temp.${sqlIdent(name)}`);
  await wh.run(
    `CREATE TEMP TABLE ${sqlIdent(name)} AS
     SELECT n.sid, s.store_id, p.product_id
     FROM temp.${sqlIdent(`${name}_n`)} n
       JOIN temp.${sqlIdent(`${name}_s`)} s ON n.s = s.sid
       JOIN temp.${sqlIdent(`${name}_p`)} p ON n.p = p.sid
     ORDER BY n.sid`,
  );
  for (const t of ["_s", "_p", "_n"]) await wh.run(`DROP TABLE IF EXISTS temp.${sqlIdent(name + t)}`);
}

/** Each id's code (its position among the distinct ids, in first-seen order) and the distinct ids. */
function codes(ids: readonly string[]): { codes: Int32Array; labels: string[] } {
  const index = new Map<string, number>();
  const labels: string[] = [];
  const out = new Int32Array(ids.length);
  for (let i = 0; i < ids.length; i++) {
    let c = index.get(ids[i]!);
    if (c === undefined) {
      c = labels.length;
      labels.push(ids[i]!);
      index.set(ids[i]!, c);
    }
    out[i] = c;
  }
  return { codes: out, labels };
}

/** A quoted SQL identifier. */
function sqlIdent(s: string): string {
  return `"${s.replaceAll('"', '""')}"`;
}
