import { sqlString, type Warehouse } from "../data/warehouse.ts";
import type { SeriesScore } from "./runs.ts";

/**
 * Inserts one (model, metric)'s per-series scores into `run_series_scores`. Ids go in as two small
 * dictionaries (distinct stores, distinct products) and the rows as numbers through the appender: 100k series
 * share a few hundred stores and a few thousand products, so almost no SQL text is built per row.
 */
export async function storeSeriesScores(wh: Warehouse, runId: string, s: SeriesScore): Promise<void> {
  const stores = dictionary(s.storeId);
  const products = dictionary(s.productId);
  await stageStrings(wh, "run_score_stores", stores.values);
  await stageStrings(wh, "run_score_products", products.values);
  await wh.stageNumbers("run_score_values", {
    store_ix: { type: "INTEGER", values: stores.codes },
    product_ix: { type: "INTEGER", values: products.codes },
    value: { type: "DOUBLE", values: s.value },
  });
  await wh.run(
    `INSERT INTO run_series_scores
     SELECT $1, $2, $3, st.id, pr.id, v.value
     FROM temp.run_score_values v
     JOIN temp.run_score_stores st ON st.ix = v.store_ix
     JOIN temp.run_score_products pr ON pr.ix = v.product_ix`,
    [runId, s.model, s.metric],
  );
}

/** Drops the temporary tables `storeSeriesScores` uses. */
export async function dropScoreStaging(wh: Warehouse): Promise<void> {
  for (const t of ["run_score_stores", "run_score_products", "run_score_values"]) {
    await wh.run(`DROP TABLE IF EXISTS temp."${t}"`);
  }
}

function dictionary(ids: readonly string[]): { values: string[]; codes: Int32Array } {
  const index = new Map<string, number>();
  const codes = new Int32Array(ids.length);
  for (let i = 0; i < ids.length; i++) {
    let c = index.get(ids[i]!);
    if (c === undefined) {
      c = index.size;
      index.set(ids[i]!, c);
    }
    codes[i] = c;
  }
  return { values: [...index.keys()], codes };
}

async function stageStrings(wh: Warehouse, name: string, values: string[]): Promise<void> {
  await wh.run(`DROP TABLE IF EXISTS temp."${name}"`);
  await wh.run(`CREATE TEMP TABLE "${name}" (ix INTEGER, id VARCHAR)`);
  for (let k = 0; k < values.length; k += 1000) {
    const rows = values.slice(k, k + 1000).map((v, j) => `(${k + j}, ${sqlString(v)})`);
    await wh.run(`INSERT INTO temp."${name}" VALUES ${rows.join(",")}`);
  }
}
