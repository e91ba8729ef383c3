import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { formatDay } from "../core/days.ts";
import { InputError } from "../core/errors.ts";
import { noProgress, type Progress } from "../core/progress.ts";
import { TABLES } from "../data/schema.ts";
import { FileSink, type TableWriter, type WrittenTable } from "../data/table-writer.ts";
import { ID, idOf } from "./chain.ts";
import { effectsJson, writeDimensions } from "./dimensions.ts";
import { Faults, writeFaultRows } from "./faults.ts";
import { type SimParams, type SimParamsInput, simParams } from "./params.ts";
import type { OrderingPolicy } from "./replenishment.ts";
import { shardSpecs } from "./shard.ts";
import { runShards } from "./shards.ts";
import { sourceTable, TRUTH_DEMAND, TRUTH_FAULTS, withIdEnums } from "./tables.ts";
import type { Weather } from "./weather.ts";
import { World } from "./world.ts";

/** A table or truth file set in the manifest (paths relative to the output directory). */
export interface ManifestEntry {
  table: string;
  files: string[];
  rows: number;
}

/** `manifest.json`: what a simulation wrote, in load order, and how (no timestamps: output is reproducible). */
export interface Manifest {
  generator: "megaretail simulate";
  seed: number;
  params: SimParams;
  firstDay: string;
  lastDay: string;
  seriesDays: number;
  /** Source tables in dependency (load) order, for `megaretail ingest TABLE FILE...`. */
  tables: ManifestEntry[];
  truth: ManifestEntry[];
  faults: Record<string, number>;
}

/** What `simulate` returns. */
export interface SimulationResult {
  out: string;
  manifest: Manifest;
}

/**
 * Simulates the chain of `input` into directory `out`: every source table (files per table, in the
 * warehouse's ingest schema), truth/ (demand distribution per series-day, faults, effects) and
 * manifest.json. Writes into a temporary sibling directory renamed into place at the end, so `out` never
 * holds half a run. Refuses to replace a non-empty directory that is not a previous simulation.
 * `threads` worker threads simulate blocks of stores in parallel (default 1: this thread only); `shards`
 * overrides the number of store blocks (by default set by the chain's size). Output depends on neither
 * `threads` nor anything but the parameters and `shards`.
 */
export async function simulate(
  input: SimParamsInput,
  out: string,
  options: { progress?: Progress; policy?: OrderingPolicy; threads?: number; shards?: number } = {},
): Promise<SimulationResult> {
  const p = simParams(input);
  const target = resolve(out);
  if (existsSync(target) && readdirSync(target).length > 0 && !existsSync(join(target, "manifest.json"))) {
    throw new InputError(
      "directory exists, is not empty and holds no simulator manifest.json; choose another --out or empty it",
      { file: out },
    );
  }
  const tmp = `${target}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(join(tmp, "truth"), { recursive: true });
  const sink = await FileSink.open();
  try {
    const manifest = await run(p, tmp, sink, {
      progress: options.progress ?? noProgress,
      policy: options.policy,
      threads: options.threads ?? 1,
      shards: options.shards,
    });
    sink.close();
    writeFileSync(join(tmp, "manifest.json"), `${JSON.stringify(manifest, null, 1)}\n`);
    rmSync(target, { recursive: true, force: true });
    mkdirSync(dirname(target), { recursive: true });
    renameSync(tmp, target);
    return { out: target, manifest };
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
}

async function run(
  p: SimParams,
  dir: string,
  sink: FileSink,
  options: { progress: Progress; policy?: OrderingPolicy; threads: number; shards?: number },
): Promise<Manifest> {
  const world = new World(p);
  const { chain, prices, weather } = world;
  const fmt = p.format;
  const dims = await writeDimensions(sink, dir, fmt, chain, world.promos, world.events);
  const part = (name: string) =>
    sink.writer(withIdEnums(sourceTable(name), chain.stores.length, chain.products.length), {
      dir,
      format: fmt,
    });
  const factTable = p.checks ? "transactions" : "sales";
  const comp = await part("competitor_prices");
  const weatherW = await part("weather");
  const arrivals = await sink.writer(sourceTable("feed_arrivals"), { dir, format: fmt, single: true });
  const faultLog = await sink.writer(TRUTH_FAULTS, { dir: join(dir, "truth"), format: fmt, single: true });
  const faults = new Faults(p.faults, p);
  const regionsN = chain.regions.length;
  const feeds = [factTable, "stock", "prices"];

  // The chain-wide tables, day by day; the per-series tables are written by the shards below.
  for (let day = chain.first; day < chain.end; day++) {
    world.advance(day, faults, comp);
    const f = world.f;
    if (f.lost)
      faults.record(
        "missing_day",
        factTable,
        day,
        null,
        null,
        null,
        `${factTable} of ${formatDay(day)} lost`,
      );
    if (f.out) {
      writeWeather(weatherW, weather, day, regionsN);
      feeds.forEach((table, k) => {
        if (k === 0 && f.lost) return;
        const a = faults.arrival(table, k, day);
        arrivals.text(0, table);
        arrivals.num(1, day);
        arrivals.num(2, a.expected);
        arrivals.num(3, a.arrived);
        arrivals.end();
      });
    }
    await comp.flushIfFull(p.competitors.count * prices.covered.length + 16);
    await weatherW.flushIfFull(regionsN * (1 + p.weather.forecastDays) + 16);
  }
  const written: WrittenTable[] = [...dims];
  for (const x of [comp, weatherW, arrivals]) written.push(await x.finish());

  const shards = await runShards(p, dir, shardSpecs(p, options.shards), sink, options);
  const counts: Record<string, number> = { ...faults.counts };
  const rows = [...faults.rows];
  let seriesDays = 0;
  const byTable = new Map<string, WrittenTable>();
  for (const r of shards) {
    seriesDays += r.seriesDays;
    for (const [k, n] of Object.entries(r.faultCounts)) counts[k] = (counts[k] ?? 0) + n;
    for (const row of r.faultRows) rows.push(row);
    for (const t of r.tables) {
      const seen = byTable.get(t.table);
      if (seen) {
        seen.files.push(...t.files);
        seen.rows += t.rows;
      } else byTable.set(t.table, { ...t, files: [...t.files] });
    }
  }
  writeFaultRows(faultLog, rows);
  const truthDemand = byTable.get(TRUTH_DEMAND.name)!;
  byTable.delete(TRUTH_DEMAND.name);
  written.push(...byTable.values());
  const truth = [truthDemand, await faultLog.finish()];
  writeFileSync(
    join(dir, "truth", "effects.json"),
    effectsJson(chain, {
      promo_type_lift: p.promos.typeLift,
      post_promo_dip: p.promos.postPromoDip,
      post_promo_days: p.promos.postPromoDays,
      competitor_products: prices.covered.map((i) => idOf(ID.product, i)),
    }),
  );
  const rel = (x: WrittenTable): ManifestEntry => ({
    table: x.table,
    files: x.files.map((file) => relative(dir, file)),
    rows: x.rows,
  });
  const order = TABLES.map((t) => t.name);
  return {
    generator: "megaretail simulate",
    seed: p.seed,
    params: p,
    firstDay: formatDay(chain.start),
    lastDay: formatDay(chain.end - 1),
    seriesDays,
    tables: written.map(rel).sort((a, b) => order.indexOf(a.table) - order.indexOf(b.table)),
    truth: [...truth.map(rel), { table: "effects", files: [join("truth", "effects.json")], rows: 1 }],
    faults: Object.fromEntries(Object.entries(counts).sort(([a], [b]) => a.localeCompare(b))),
  };
}

function writeWeather(w: TableWriter, weather: Weather, day: number, regions: number): void {
  for (let r = 0; r < regions; r++) {
    const region = idOf(ID.region, r);
    const obs = weather.observed(day, r);
    const rows = [{ date: day, ...obs }, ...weather.forecasts(day, r)];
    for (const x of rows) {
      w.num(0, x.date);
      w.text(1, region);
      w.num(2, day);
      w.num(3, x.temperature);
      w.num(4, x.precipitation);
      w.end();
    }
  }
}
