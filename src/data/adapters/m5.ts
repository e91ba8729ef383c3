import { noProgress, type Progress } from "../../core/progress.ts";
import { runEtl } from "../etl.ts";
import type { Warehouse } from "../warehouse.ts";
import { loadM5, M5_TARGETS, type M5LoadSummary } from "./m5-load.ts";

/** What an M5 import did. */
export interface M5ImportSummary extends M5LoadSummary {
  /** Row counts of the touched tables (and `daily`) after the import. */
  rows: Record<string, number>;
  seconds: number;
}

/**
 * Imports an M5 (Walmart) competition folder into the warehouse: stores (region = state), products
 * (category_l1 = cat_id, category_l2 = dept_id, introduced = first priced week), daily sales (wide d_N
 * columns unpivoted and dated by calendar.csv), daily prices expanded from the weekly sell_price, events and
 * SNAP days; then runs the full ETL so `daily` is filled. Days before an item's first price get no price row,
 * so the ETL marks them not-in-assortment rather than zero demand. One transaction: all or nothing;
 * re-importing the same folder replaces rows by key and leaves every row count unchanged.
 */
export async function importM5(
  wh: Warehouse,
  dir: string,
  options: { progress?: Progress } = {},
): Promise<M5ImportSummary> {
  const started = performance.now();
  const progress = options.progress ?? noProgress;
  const steps = 7;
  const summary = await wh.transaction(async () => {
    const loaded = await loadM5(wh, dir, { progress, steps });
    progress({ step: "m5: etl", done: steps - 1, total: steps });
    await runEtl(wh, { full: true });
    return loaded;
  });
  progress({ step: "m5: etl", done: steps, total: steps });
  const rows: Record<string, number> = {};
  for (const t of [...M5_TARGETS.map(([table]) => table), "daily"]) {
    rows[t] = await wh.scalar(`SELECT count(*) FROM "${t}"`);
  }
  return { ...summary, rows, seconds: (performance.now() - started) / 1000 };
}
