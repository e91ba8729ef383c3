import { existsSync } from "node:fs";
import { join } from "node:path";
import { InputError } from "../core/errors.ts";
import { QUANTILE_COLUMNS } from "../core/quantiles.ts";
import { stageSeriesKeys } from "./series-keys.ts";
import type { DailyPanel } from "./to-panel.ts";
import { sqlString, type Warehouse } from "./warehouse.ts";

/**
 * Loads a simulation's truth (truth/demand/*.parquet) into `sim_truth`, replacing what was there, in one
 * transaction. Returns the row count.
 */
export async function loadTruth(wh: Warehouse, simDir: string): Promise<number> {
  const dir = join(simDir, "truth", "demand");
  if (!existsSync(dir)) {
    throw new InputError(
      "no truth/demand folder: not a simulator output (run `megaretail simulate --out DIR`)",
      {
        file: simDir,
      },
    );
  }
  const glob = sqlString(join(dir, "*.parquet"));
  return wh.transaction(async () => {
    await wh.run("DELETE FROM sim_truth");
    await wh.run(
      `INSERT INTO sim_truth SELECT date, store_id, product_id, mean, size, ${QUANTILE_COLUMNS.join(", ")}, demand
       FROM read_parquet(${glob})`,
    );
    return wh.scalar("SELECT count(*) FROM sim_truth");
  });
}

/** Simulator truth aligned with a daily panel (same indptr/start); NaN where the simulator has no row. */
export interface TruthPanel {
  /** One array per quantile level (QUANTILE_COLUMNS order). */
  q: Float32Array[];
  /** The uncensored demand drawn: what a stockout hides from the sales. */
  demand: Float32Array;
}

/** The simulator truth aligned with a daily panel, or null when the warehouse holds no truth. */
export async function loadTruthPanel(wh: Warehouse, daily: DailyPanel): Promise<TruthPanel | null> {
  if (!((await wh.scalar("SELECT count(*) FROM sim_truth")) > 0)) return null;
  const total = daily.indptr[daily.storeId.length]!;
  const out = QUANTILE_COLUMNS.map(() => new Float32Array(total).fill(Number.NaN));
  await stageSeriesKeys(wh, "truth_keys", daily.storeId, daily.productId);
  const kinds = Object.fromEntries([
    ["sid", "i32"],
    ["day", "i32"],
    ["demand", "f32"],
    ...QUANTILE_COLUMNS.map((c) => [c, "f32"]),
  ]) as Record<string, "i32" | "f32">;
  const cols = await wh.readTyped(
    `SELECT k.sid, (t.date - DATE '1970-01-01')::INT AS day, t.demand::FLOAT AS demand, ${QUANTILE_COLUMNS.map((c) => `t.${c}::FLOAT AS ${c}`).join(", ")}
     FROM sim_truth t JOIN temp.truth_keys k USING (store_id, product_id)`,
    kinds,
  );
  await wh.run("DROP TABLE IF EXISTS temp.truth_keys");
  const sid = cols.sid!;
  const day = cols.day!;
  const demand = new Float32Array(total).fill(Number.NaN);
  for (let r = 0; r < sid.length; r++) {
    const i = sid[r]!;
    const t = day[r]! - daily.start[i]!;
    if (t < 0 || t >= daily.indptr[i + 1]! - daily.indptr[i]!) continue;
    const j = daily.indptr[i]! + t;
    demand[j] = cols.demand![r]!;
    QUANTILE_COLUMNS.forEach((c, k) => {
      out[k]![j] = cols[c]![r]!;
    });
  }
  return { q: out, demand };
}
