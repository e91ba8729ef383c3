import { loadConfig } from "../config/load.ts";
import { type DailyPanel, loadDailyPanel } from "../data/to-panel.ts";
import { Warehouse } from "../data/warehouse.ts";
import { type ChainContext, chainFitInput, loadChainContext } from "../forecasting/chain-context.ts";
import { ProductionModel } from "../models/production-model.ts";
import { simulatedWarehouse } from "./sim-warehouse.test-support.ts";

/** Feature settings of the tests (the config defaults). */
export const testSettings = loadConfig({ env: {} }).features;

/**
 * For tests (here in cli/ because only the apps may import the simulator): a small simulated two-DC chain in a fresh warehouse (open; the caller closes it) and a small
 * production model (10 trees per level, with the Tweedie mean) trained on all of it.
 */
export async function testChain(): Promise<{
  dir: string;
  db: string;
  wh: Warehouse;
  model: ProductionModel;
  ctx: ChainContext;
  daily: DailyPanel;
}> {
  const { dir, db } = await simulatedWarehouse({ dcs: 2, stores: 4, products: 12, days: 240, seed: 9 });
  const wh = await Warehouse.open(db);
  const ctx = await loadChainContext(wh);
  const daily = await loadDailyPanel(wh);
  const model = await ProductionModel.fit(chainFitInput(ctx, daily, testSettings), {
    params: { iterations: 10, maxLeaves: 7, minDataInLeaf: 20 },
    threads: 1,
    tweedie: true,
  });
  return { dir, db, wh, model, ctx, daily };
}
