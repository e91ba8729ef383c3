import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runEtl } from "../data/etl.ts";
import { loadTruth } from "../data/truth.ts";
import { Warehouse } from "../data/warehouse.ts";
import { loadSimulation } from "../simulate/load.ts";
import type { SimParamsInput } from "../simulate/params.ts";
import { simulate } from "../simulate/simulate.ts";

/**
 * For tests (here in cli/ because only the apps may import the simulator): simulates a chain into a fresh temp
 * directory, loads it into a new warehouse `w.duckdb` there and builds the daily table; with `truth`, also loads the
 * simulator's truth (returns how many truth rows). The warehouse is closed again.
 */
export async function simulatedWarehouse(
  params: SimParamsInput,
  o: { truth?: boolean } = {},
): Promise<{ dir: string; db: string; sim: string; truthRows: number }> {
  const dir = mkdtempSync(join(tmpdir(), "mr-sim-"));
  const sim = join(dir, "sim");
  const db = join(dir, "w.duckdb");
  await simulate({ format: "parquet", ...params }, sim, { threads: 1 });
  const wh = await Warehouse.open(db);
  try {
    await loadSimulation(wh, sim);
    await runEtl(wh, { full: true });
    const truthRows = o.truth ? await loadTruth(wh, sim) : 0;
    return { dir, db, sim, truthRows };
  } finally {
    wh.close();
  }
}
