import { join } from "node:path";
import type { FileSink, TableWriter, WriterTable, WrittenTable } from "../data/table-writer.ts";
import { Assortment } from "./assortment.ts";
import { CheckSplitter } from "./checks.ts";
import { type FaultRow, Faults } from "./faults.ts";
import type { SimParams } from "./params.ts";
import { legacyPolicy, type OrderingPolicy, ShelfStock } from "./replenishment.ts";
import { StoreDayRunner } from "./store-day.ts";
import { sourceTable, TRUTH_DEMAND, withIdEnums } from "./tables.ts";
import { World } from "./world.ts";

/** A block of stores simulated together, writing its own part files of the per-series tables. */
export interface ShardSpec {
  index: number;
  /** Stores [lo, hi). */
  lo: number;
  hi: number;
}

/** What a shard wrote (structured-clonable: it comes back from a worker thread). */
export interface ShardResult {
  tables: WrittenTable[];
  seriesDays: number;
  faultCounts: Record<string, number>;
  faultRows: FaultRow[];
}

/** Series-days per shard the split aims at: blocks big enough that per-shard overhead stays small. */
const SERIES_DAYS_PER_SHARD = 4_000_000;
const MAX_SHARDS = 16;

/**
 * The store blocks of a run. Depends on the parameters only (never on the thread count), so the files
 * written, and every byte in them, are the same whatever number of threads runs the blocks.
 */
export function shardSpecs(p: SimParams, shards?: number): ShardSpec[] {
  const size = p.stores * p.products * (p.days + p.burnInDays);
  const n = Math.max(
    1,
    Math.min(p.stores, shards ?? Math.min(MAX_SHARDS, Math.ceil(size / SERIES_DAYS_PER_SHARD))),
  );
  return Array.from({ length: n }, (_, k) => ({
    index: k,
    lo: Math.floor((k * p.stores) / n),
    hi: Math.floor(((k + 1) * p.stores) / n),
  }));
}

/**
 * Simulates the stores of `spec` over every day into part files `part-<shard>-NNNNN` of truth/demand,
 * stock, prices, sales or transactions and store_traffic. The chain-wide state is rebuilt here from the
 * parameters (see World), so shards share nothing and may run on any thread.
 */
export async function runShard(
  p: SimParams,
  dir: string,
  spec: ShardSpec,
  sink: FileSink,
  options: { policy?: OrderingPolicy; onDay?: () => void } = {},
): Promise<ShardResult> {
  const world = new World(p);
  const { chain, f } = world;
  const fmt = p.format;
  const partPrefix = `${String(spec.index).padStart(3, "0")}-`;
  const open = (t: WriterTable, d: string) =>
    sink.writer(withIdEnums(t, chain.stores.length, chain.products.length), {
      dir: d,
      format: fmt,
      partPrefix,
    });
  const part = (name: string) => open(sourceTable(name), dir);
  const w = {
    truth: await open(TRUTH_DEMAND, join(dir, "truth")),
    stock: await part("stock"),
    prices: await part("prices"),
    sales: p.checks ? null : await part("sales"),
    transactions: p.checks ? await part("transactions") : null,
    traffic: await part("store_traffic"),
  };
  const faults = new Faults(p.faults, p);
  const np = chain.products.length;
  const assortment = new Assortment(chain, p);
  const runner = new StoreDayRunner(
    chain,
    p,
    assortment,
    new ShelfStock(chain.stores.length * np),
    world.prices,
    world.tracker,
    options.policy ?? legacyPolicy(p.replenishment.safetyMargin, p.replenishment.minStock),
    new CheckSplitter(p.basket.unitsPerCheck, p.basket.openHour, p.basket.closeHour),
    faults,
    w,
  );
  const big = [w.truth, w.stock, w.prices, w.sales, w.transactions, w.traffic].filter(
    (x): x is TableWriter => x !== null,
  );
  let sinceYield = 0;
  for (let day = chain.first; day < chain.end; day++) {
    world.advance(day, faults, null);
    const monthStart = world.monthStart(day);
    for (let s = spec.lo; s < spec.hi; s++) {
      // Room for one store-day in every per-series table (check lines can outnumber products: margin).
      // Tested before awaiting: an await per table and store-day costs more than the test.
      for (const x of big) {
        const headroom = x === w.transactions ? 8 * np + 4096 : 2 * np + 16;
        if (x.isFull(headroom)) await x.flushIfFull(headroom);
      }
      runner.run(s, f, monthStart);
      // Let DuckDB pull chunks of the parts it is encoding (see TableWriter) every few thousand rows.
      sinceYield += chain.stores[s]!.open <= day ? assortment.lists[s]!.length : 0;
      if (sinceYield >= 4096) {
        sinceYield = 0;
        await new Promise<void>((done) => setImmediate(done));
      }
    }
    options.onDay?.();
  }
  const tables: WrittenTable[] = [];
  for (const x of big) tables.push(await x.finish());
  return {
    tables,
    seriesDays: runner.seriesDays,
    faultCounts: faults.counts,
    faultRows: faults.rows,
  };
}
