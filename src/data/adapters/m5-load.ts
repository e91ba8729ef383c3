import { noProgress, type Progress } from "../../core/progress.ts";
import type { Warehouse } from "../warehouse.ts";
import { locateM5Files } from "./m5-files.ts";
import { dropStaging, fileNames, stageM5 } from "./m5-stage.ts";
import { replaceByKey } from "./replace-by-key.ts";

/** What loading an M5 folder into the source tables did. */
export interface M5LoadSummary {
  dir: string;
  files: string[];
  stores: number;
  products: number;
  series: number;
  days: number;
  firstDate: string | null;
  lastDate: string | null;
  /** Rows this load wrote (replaced or added) per table. */
  written: Record<string, number>;
}

/** Source tables an M5 import fills, in dependency order, with their staging table. */
export const M5_TARGETS: readonly (readonly [table: string, staging: string])[] = [
  ["stores", "_m5_stores"],
  ["products", "_m5_products"],
  ["calendar_events", "_m5_events"],
  ["prices", "_m5_prices"],
  ["sales", "_m5_sales"],
];

/**
 * Loads an M5 folder into the source tables (no ETL): checks and stages every file, then replaces rows by
 * key. Runs in one transaction (joining the caller's, if any), so a failure writes nothing.
 */
export async function loadM5(
  wh: Warehouse,
  dir: string,
  options: { progress?: Progress; steps?: number } = {},
): Promise<M5LoadSummary> {
  const progress = options.progress ?? noProgress;
  const files = locateM5Files(dir);
  const total = options.steps ?? 6;
  let done = 0;
  const step = (name: string) => progress({ step: `m5: ${name}`, done: done++, total });
  const written: Record<string, number> = {};
  try {
    return await wh.transaction(async () => {
      await stageM5(wh, files, step);
      const span = await wh.one<{ series: number; days: number; first: string | null; last: string | null }>(
        `SELECT count(DISTINCT (store_id, product_id)) AS series, count(DISTINCT date) AS days,
           min(date)::VARCHAR AS first, max(date)::VARCHAR AS last FROM _m5_units`,
      );
      step("write");
      for (const [table, staging] of M5_TARGETS) written[table] = await replaceByKey(wh, table, staging);
      return {
        dir: files.dir,
        files: fileNames(files),
        stores: written.stores ?? 0,
        products: written.products ?? 0,
        series: span?.series ?? 0,
        days: span?.days ?? 0,
        firstDate: span?.first ?? null,
        lastDate: span?.last ?? null,
        written,
      };
    });
  } finally {
    await dropStaging(wh);
  }
}
