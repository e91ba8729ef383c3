import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { formatDay } from "../core/days.ts";
import { InputError } from "../core/errors.ts";
import { noProgress, type Progress } from "../core/progress.ts";
import { TABLES } from "../data/schema.ts";
import { FileSink, type TableWriter, type WriterTable, type WrittenTable } from "../data/table-writer.ts";
import { Assortment } from "./assortment.ts";
import { calendarEvents, EventFactors } from "./calendar.ts";
import { CATEGORIES } from "./categories.ts";
import { buildChain, ID, idOf, monthStarts } from "./chain.ts";
import { CheckSplitter } from "./checks.ts";
import { productLevel, seasonFactors } from "./demand.ts";
import { effectsJson, writeDimensions } from "./dimensions.ts";
import { Faults } from "./faults.ts";
import { type SimParams, type SimParamsInput, simParams } from "./params.ts";
import { PriceBook } from "./prices.ts";
import { PromoTracker, promoCalendar } from "./promos.ts";
import { legacyPolicy, type OrderingPolicy, ShelfStock } from "./replenishment.ts";
import { type DayFactors, StoreDayRunner } from "./store-day.ts";
import { sourceTable, TRUTH_DEMAND, TRUTH_FAULTS, withIdEnums } from "./tables.ts";
import { Weather } from "./weather.ts";

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
 */
export async function simulate(
  input: SimParamsInput,
  out: string,
  options: { progress?: Progress; policy?: OrderingPolicy; threads?: number } = {},
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
  const sink = await FileSink.open({ threads: options.threads });
  try {
    const manifest = await run(p, tmp, sink, options.progress ?? noProgress, options.policy);
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
  progress: Progress,
  policyIn?: OrderingPolicy,
): Promise<Manifest> {
  const chain = buildChain(p);
  const fmt = p.format;
  const promos = promoCalendar(chain, p);
  const events = calendarEvents(chain.first, chain.end + 366, chain.regions.length);
  const dims = await writeDimensions(sink, dir, fmt, chain, promos, events);
  const ids = (t: WriterTable) => withIdEnums(t, chain.stores.length, chain.products.length);
  const part = async (name: string) => sink.writer(ids(sourceTable(name)), { dir, format: fmt });
  const factTable = p.checks ? "transactions" : "sales";
  const w = {
    truth: await sink.writer(ids(TRUTH_DEMAND), { dir: join(dir, "truth"), format: fmt }),
    stock: await part("stock"),
    prices: await part("prices"),
    sales: p.checks ? null : await part("sales"),
    transactions: p.checks ? await part("transactions") : null,
    traffic: await part("store_traffic"),
  };
  const comp = await part("competitor_prices");
  const weatherW = await part("weather");
  const arrivals = await sink.writer(sourceTable("feed_arrivals"), { dir, format: fmt, single: true });
  const faultLog = await sink.writer(TRUTH_FAULTS, { dir: join(dir, "truth"), format: fmt, single: true });
  const faults = new Faults(p.faults, p, faultLog);

  const np = chain.products.length;
  const series = chain.stores.length * np;
  const prices = new PriceBook(chain, p);
  const tracker = new PromoTracker(promos, np);
  const weather = new Weather(chain, p);
  const eventFactors = new EventFactors(events, chain.regions.length);
  const assortment = new Assortment(chain, p);
  const shelf = new ShelfStock(series);
  const policy = policyIn ?? legacyPolicy(p.replenishment.safetyMargin, p.replenishment.minStock);
  const splitter = new CheckSplitter(p.basket.unitsPerCheck, p.basket.openHour, p.basket.closeHour);
  const runner = new StoreDayRunner(
    chain,
    p,
    assortment,
    shelf,
    prices,
    tracker,
    policy,
    splitter,
    faults,
    w,
  );
  const months = new Set(monthStarts(chain.first + 1, chain.end));
  const regionsN = chain.regions.length;
  const f: DayFactors = {
    day: 0,
    out: false,
    lost: false,
    season: new Float64Array(CATEGORIES.length),
    event: new Float64Array(regionsN * CATEGORIES.length),
    weather: new Float64Array(regionsN * CATEGORIES.length),
    productLevel: new Float64Array(np),
  };
  const feeds = [factTable, "stock", "prices"];
  const big = [w.truth, w.stock, w.prices, w.sales, w.transactions, w.traffic].filter(
    (x): x is TableWriter => x !== null,
  );
  let sinceYield = 0;
  for (let day = chain.first; day < chain.end; day++) {
    prices.advance(day);
    tracker.advance(day);
    seasonFactors(day, f.season);
    eventFactors.fill(day, f.event);
    weather.fill(day, f.weather);
    for (let i = 0; i < np; i++) {
      f.productLevel[i] = productLevel(chain.products[i]!, day, chain.start, p.demand.introRampDays);
    }
    f.day = day;
    f.out = day >= chain.start;
    f.lost = f.out && faults.missingDay(day);
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
      writeCompetitors(comp, prices, day, p.competitors.count);
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
    for (let s = 0; s < chain.stores.length; s++) {
      // Room for one store-day in every per-series table (check lines can outnumber products: margin).
      for (const x of big) await x.flushIfFull(x === w.transactions ? 8 * np + 4096 : 2 * np + 16);
      runner.run(s, f, months.has(day));
      // Let DuckDB pull chunks of the parts it is encoding (see TableWriter) every few thousand rows.
      sinceYield += chain.stores[s]!.open <= day ? assortment.lists[s]!.length : 0;
      if (sinceYield >= 4096) {
        sinceYield = 0;
        await new Promise<void>((done) => setImmediate(done));
      }
    }
    await comp.flushIfFull(p.competitors.count * prices.covered.length + 16);
    await weatherW.flushIfFull(regionsN * (1 + p.weather.forecastDays) + 16);
    progress({ step: "simulate", done: day - chain.first + 1, total: chain.end - chain.first });
  }

  const written: WrittenTable[] = [...dims];
  for (const x of [...big, comp, weatherW, arrivals]) {
    if (x === w.truth) continue;
    written.push(await x.finish());
  }
  const truth = [await w.truth.finish(), await faultLog.finish()];
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
    seriesDays: runner.seriesDays,
    tables: written.map(rel).sort((a, b) => order.indexOf(a.table) - order.indexOf(b.table)),
    truth: [...truth.map(rel), { table: "effects", files: [join("truth", "effects.json")], rows: 1 }],
    faults: faults.counts,
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

function writeCompetitors(w: TableWriter, prices: PriceBook, day: number, competitors: number): void {
  for (let j = 0; j < prices.covered.length; j++) {
    for (let c = 0; c < competitors; c++) {
      if (!prices.observed()) continue;
      w.num(0, day);
      w.text(1, `COMP-${c + 1}`);
      w.num(2, prices.covered[j]!);
      w.text(3, null);
      w.num(4, prices.compPrice[j * competitors + c]!);
      w.end();
    }
  }
}
