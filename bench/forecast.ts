/**
 * npm run bench:forecast -- [--stores 400 --products 400 --days 150 --dcs 8 --trees 20 --threads 2 --no-docs]:
 * simulates a chain with about 100k (store, product) series (only the history the benchmark needs), loads it into a
 * temp warehouse, trains a small production model (--trees per level, on one DC's stores), then runs the batch
 * forecast job in a child process (so its peak RSS is its own) and prints series-days/s, per-step times and peak
 * RSS; writes the `## Batch forecasts` section of docs/BENCHMARKS.md (a hand-written `### Notes` part is kept).
 * `--sequential` runs the job's steps one after another (exact per-step CPU; slower wall).
 * For iterations: `--keep` leaves the prepared directory in place (its path is printed) and `--reuse DIR` measures
 * again on it without preparing (the previous run's forecasts are deleted first, so every partition is forecast);
 * `--retrain` with `--reuse` fits the model again with the current code before measuring.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, cpus, loadavg, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { loadConfig } from "../src/config/load.ts";
import { runEtl } from "../src/data/etl.ts";
import { loadDailyPanel } from "../src/data/to-panel.ts";
import { Warehouse } from "../src/data/warehouse.ts";
import { forecastJob } from "../src/forecasting/batch.ts";
import { chainFitInput, loadChainContext } from "../src/forecasting/chain-context.ts";
import { forecastPartitions } from "../src/forecasting/partitions.ts";
import { ProductionModel } from "../src/models/production-model.ts";
import { loadSimulation } from "../src/simulate/load.ts";
import { simulate } from "../src/simulate/simulate.ts";
import { writeBenchmarkSection } from "./benchmarks-doc.ts";

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? undefined : process.argv[i + 1];
}

const params = {
  stores: Number(arg("stores") ?? 400),
  products: Number(arg("products") ?? 400),
  days: Number(arg("days") ?? 150),
  dcs: Number(arg("dcs") ?? 8),
};
const trees = Number(arg("trees") ?? 20);
const threads = Number(arg("threads") ?? availableParallelism());

/** What the measuring child reports. */
interface JobFigures {
  series: number;
  rows: number;
  partitions: number;
  wallS: number;
  cpuS: number;
  peakRssMB: number;
  steps: { context: number; load: number; features: number; predict: number; write: number; export: number };
  /** CPU-seconds (all threads of the process) of the partition steps. */
  cpuSteps: { load: number; features: number; predict: number; write: number };
  exportRows: number;
  crossings: number;
}

/** Child: runs the job on the prepared warehouse and model file, prints its figures as JSON. */
async function measure(dir: string): Promise<void> {
  const model = ProductionModel.deserialize(
    readFileSync(join(dir, "model.json"), "utf8"),
    join(dir, "model.json"),
  );
  const wh = await Warehouse.open(join(dir, "w.duckdb"), { threads });
  // A reused directory holds the forecasts of an earlier measurement: start from an empty table.
  await wh.run("DELETE FROM forecasts");
  await wh.run("DELETE FROM forecast_partitions");
  const t0 = performance.now();
  const u0 = process.cpuUsage();
  const r = await forecastJob(wh, {
    model,
    modelVersion: 1,
    runId: "bench",
    threads,
    sequential: process.argv.includes("--sequential"),
    out: join(dir, "forecasts.parquet"),
    progress: ({ step, done, total }) => process.stderr.write(`  ${step} ${done}/${total}\n`),
  });
  const wallS = (performance.now() - t0) / 1000;
  const u = process.cpuUsage(u0);
  wh.close();
  const sum = (k: "load" | "features" | "predict" | "write") =>
    r.partitions.reduce((s, p) => s + p.seconds[k], 0);
  const cpuSum = (k: "load" | "features" | "predict" | "write") =>
    r.partitions.reduce((s, p) => s + p.cpu[k], 0);
  const figures: JobFigures = {
    series: r.partitions.reduce((s, p) => s + p.series, 0),
    rows: r.rowsWritten,
    partitions: r.partitions.length,
    wallS,
    cpuS: (u.user + u.system) / 1e6,
    peakRssMB: process.resourceUsage().maxRSS / 1024,
    steps: {
      context: r.seconds.context,
      load: sum("load"),
      features: sum("features"),
      predict: sum("predict"),
      write: sum("write"),
      export: r.seconds.export,
    },
    cpuSteps: {
      load: cpuSum("load"),
      features: cpuSum("features"),
      predict: cpuSum("predict"),
      write: cpuSum("write"),
    },
    exportRows: r.out?.rows ?? 0,
    crossings: r.partitions.reduce((s, p) => s + p.crossings, 0),
  };
  process.stdout.write(`${JSON.stringify(figures)}\n`);
}

/** Trains the small production model on the first DC's series and writes DIR/model.json. */
async function trainModel(wh: Warehouse, dir: string): Promise<{ trainSeries: number }> {
  const settings = loadConfig({ env: {} }).features;
  const ctx = await loadChainContext(wh);
  const dcs = await forecastPartitions(wh);
  // A small model is enough to time serving: trained on the first DC only, 20 trees per level.
  const daily = await loadDailyPanel(wh, { dc: dcs[0]! });
  const model = await ProductionModel.fit(chainFitInput(ctx, daily, settings), {
    params: { iterations: trees, maxLeaves: 31, earlyStoppingRounds: 0 },
    threads,
    originStep: 14,
    rowSample: 0.2,
    validDays: 0,
    tweedie: true,
  });
  writeFileSync(join(dir, "model.json"), model.serialize());
  return { trainSeries: daily.storeId.length };
}

/** Parent: simulate, load, train; returns the panel size and the preparation times. */
async function prepare(dir: string) {
  const times: Record<string, number> = {};
  let t = performance.now();
  const lap = (name: string) => {
    times[name] = (performance.now() - t) / 1000;
    t = performance.now();
  };
  await simulate({ ...params, format: "parquet", checks: false, seed: 11 }, join(dir, "sim"), { threads });
  lap("simulate");
  const wh = await Warehouse.open(join(dir, "w.duckdb"), { threads });
  try {
    await loadSimulation(wh, join(dir, "sim"));
    await runEtl(wh, { full: true });
    rmSync(join(dir, "sim"), { recursive: true, force: true });
    lap("ingest + etl");
    const { trainSeries } = await trainModel(wh, dir);
    lap("train");
    const seriesInPanel = await wh.scalar(
      "SELECT count(*) FROM (SELECT DISTINCT store_id, product_id FROM daily)",
    );
    const dailyRows = await wh.scalar("SELECT count(*) FROM daily");
    const dcs = (await forecastPartitions(wh)).length;
    return { times, seriesInPanel, dailyRows, dcs, trainSeries };
  } finally {
    wh.close();
  }
}

function section(
  f: JobFigures,
  prep: Awaited<ReturnType<typeof prepare>>,
  load: number[],
  loadEnd: number[],
  date: string,
  command: string,
): string {
  const cpu = cpus();
  const fmtLoad = (l: number[]) => l.map((x) => x.toFixed(2)).join(" / ");
  const k = (x: number) => `${(x / 1e3).toFixed(0)}k`;
  const rate = f.rows / f.wallS;
  const s = f.steps;
  const c = f.cpuSteps;
  const sequential = process.argv.includes("--sequential");
  return `## Batch forecasts

Command: \`${command}\` (bench/forecast.ts). Date: ${date}. Machine: ${cpu.length} × ${cpu[0]?.model ?? "?"}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB RAM, Node ${process.version}; ${threads} threads.
Load average (1/5/15 min) at start: ${fmtLoad(load)}; at end: ${fmtLoad(loadEnd)} — the machine is shared, figures vary with it.

Chain: simulated, ${params.dcs} DCs, ${params.stores} stores, ${params.products} products, ${params.days} days of history (only what the job needs; the 91- to 364-day windows are partly empty), ${k(prep.seriesInPanel)} (store, product) series in \`daily\` (${(prep.dailyRows / 1e6).toFixed(1)}M rows), ${prep.dcs} partitions.
Model: a small production model, ${trees} trees per level (6 quantile levels + the Tweedie mean, 31 leaves), trained on the ${k(prep.trainSeries)} series of one DC — serving cost grows with the trees, so a full model (300 trees, early-stopped) predicts slower; the load, feature and write steps do not depend on it.
Preparation (not measured): simulate ${prep.times.simulate!.toFixed(0)} s, ingest + ETL ${prep.times["ingest + etl"]!.toFixed(0)} s, train ${prep.times.train!.toFixed(0)} s.

The job (\`forecastJob\`, in a child process): ${k(f.series)} active series × 28 days = ${(f.rows / 1e6).toFixed(2)}M series-days written to \`forecasts\` and exported to Parquet (${(f.exportRows / 1e6).toFixed(2)}M rows).

| figure | value |
|---|---:|
| wall time | ${f.wallS.toFixed(1)} s |
| **series-days per second (wall)** | **${k(rate)}** (target >= 200k: ${rate >= 2e5 ? "met" : "not met"}) |
| CPU time (main thread + DuckDB + workers) | ${f.cpuS.toFixed(1)} s |
| series-days per CPU-second | ${k(f.rows / f.cpuS)} |
| **peak RSS** | **${f.peakRssMB.toFixed(0)} MB** |

| step (summed over partitions) | seconds | share | CPU-s |
|---|---:|---:|---:|
| chain context (calendar, weather) | ${s.context.toFixed(1)} | ${((100 * s.context) / f.wallS).toFixed(0)}% | |
| load panel (DuckDB -> typed arrays) | ${s.load.toFixed(1)} | ${((100 * s.load) / f.wallS).toFixed(0)}% | ${c.load.toFixed(1)} |
| features | ${s.features.toFixed(1)} | ${((100 * s.features) / f.wallS).toFixed(0)}% | ${c.features.toFixed(1)} |
| predict (7 boosters, mean, sort crossings) | ${s.predict.toFixed(1)} | ${((100 * s.predict) / f.wallS).toFixed(0)}% | ${c.predict.toFixed(1)} |
| write (wait for the staged rows, one transaction per partition) | ${s.write.toFixed(1)} | ${((100 * s.write) / f.wallS).toFixed(0)}% | ${c.write.toFixed(1)} |
| export (Parquet, temp file + rename) | ${s.export.toFixed(1)} | ${((100 * s.export) / f.wallS).toFixed(0)}% | |

${sequential ? "Steps run one after another (`--sequential`): per-step seconds and CPU-seconds are each step's own." : "Every partition's panel is read first, in two queries of `daily` (DuckDB computes the second while the first's rows are placed; the load row: the read's figures shared out by series); then partition k's features are built while the background predict thread runs k-1's boosters, the stage worker writes k-2's rows to a Parquet file and DuckDB inserts k-3's, so a step's CPU-seconds (the whole process's) include the work running beside it, and the predict row is only the main thread's share of the boosters (joining the rest) and its wait; run with `--sequential` for each step's own figures."}

Crossed quantile rows sorted: ${f.crossings}.
`;
}

async function main(): Promise<void> {
  const target = arg("measure");
  if (target) return measure(target);
  const reuse = arg("reuse");
  const dir = reuse ?? mkdtempSync(join(arg("dir") ?? tmpdir(), "mr-bench-forecast-"));
  const date = new Date().toISOString().slice(0, 10);
  try {
    let prep: Awaited<ReturnType<typeof prepare>>;
    if (reuse) {
      prep = JSON.parse(readFileSync(join(dir, "prep.json"), "utf8"));
      if (process.argv.includes("--retrain")) {
        // The model of the current code on the prepared chain (a reused model.json is the code of its day).
        const wh = await Warehouse.open(join(dir, "w.duckdb"), { threads });
        try {
          await trainModel(wh, dir);
        } finally {
          wh.close();
        }
      }
    } else {
      console.log(`preparing ${JSON.stringify(params)} in ${dir}`);
      prep = await prepare(dir);
      writeFileSync(join(dir, "prep.json"), JSON.stringify(prep));
    }
    console.log(`prepared: ${JSON.stringify(prep)}`);
    const load = loadavg();
    const child = spawnSync(
      process.execPath,
      ["--import", "tsx", new URL(import.meta.url).pathname, ...process.argv.slice(2), "--measure", dir],
      {
        encoding: "utf8",
        stdio: ["ignore", "pipe", "inherit"],
        maxBuffer: 1 << 24,
        env: { ...process.env, TZ: "UTC" },
      },
    );
    if (child.status !== 0) throw new Error(`measuring process failed (exit ${child.status})`);
    const figures = JSON.parse(child.stdout.trim().split("\n").pop()!) as JobFigures;
    const args = process.argv.slice(2);
    const extra = args.filter(
      (a, i) => !["--no-docs", "--keep", "--reuse", "--retrain"].includes(a) && args[i - 1] !== "--reuse",
    );
    const command = `npm run bench:forecast${extra.length ? ` -- ${extra.join(" ")}` : ""}`;
    const text = section(figures, prep, load, loadavg(), date, command);
    console.log(text);
    if (!process.argv.includes("--no-docs")) writeBenchmarkSection("## Batch forecasts", text);
  } finally {
    if (reuse || process.argv.includes("--keep"))
      console.log(`kept ${dir} (measure again with --reuse ${dir})`);
    else rmSync(dir, { recursive: true, force: true });
  }
}

await main();
