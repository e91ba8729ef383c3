/**
 * Ingest + ETL throughput on a generated daily sales CSV (default 10M rows: 200 stores x 50 products x 1000
 * days, one row in 10007 with negative units so the quarantine path runs too). The data is generated first;
 * the measured part (ingest with validation, full ETL, incremental ETL, idempotent re-ingest) runs in a fresh
 * child process so its peak RSS is its own. Prints the figures and writes the `## Ingest and ETL` section of
 * docs/BENCHMARKS.md.
 *   npm run bench:ingest [-- --rows 10000000] [--no-docs]
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { cpus, loadavg, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { runEtl } from "../src/data/etl.ts";
import { ingestFiles } from "../src/data/ingest/index.ts";
import { sqlString, Warehouse } from "../src/data/warehouse.ts";
import { writeBenchmarkSection } from "./benchmarks-doc.ts";

const STORES = 200;
const PRODUCTS = 50;
const SEED = 42;

interface Figures {
  rows: number;
  fileMB: number;
  ingestS: number;
  ingestCpuS: number;
  accepted: number;
  quarantined: number;
  etlS: number;
  etlCpuS: number;
  dailyRows: number;
  etlIncrementalS: number;
  reingestS: number;
  peakRssMB: number;
  /** Wall s of a fixed single-threaded DuckDB query just before measuring: how busy the machine was. */
  probeS: number;
}

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function generate(dir: string, rows: number): Promise<void> {
  const wh = await Warehouse.open(":memory:");
  const pairs = STORES * PRODUCTS;
  await wh.run(`COPY (SELECT 'D' || lpad((i % 10)::VARCHAR, 2, '0') AS dc_id FROM range(10) t(i))
    TO ${sqlString(join(dir, "dcs.csv"))} (HEADER)`);
  await wh.run(`COPY (SELECT 'S' || lpad(i::VARCHAR, 4, '0') AS store_id, 'D' || lpad((i % 10)::VARCHAR, 2, '0') AS dc_id
    FROM range(${STORES}) t(i)) TO ${sqlString(join(dir, "stores.csv"))} (HEADER)`);
  await wh.run(`COPY (SELECT 'P' || lpad(i::VARCHAR, 5, '0') AS product_id, 'CAT' || (i % 5) AS category_l1
    FROM range(${PRODUCTS}) t(i)) TO ${sqlString(join(dir, "products.csv"))} (HEADER)`);
  // Units from a seeded hash of the row number: deterministic whatever the thread count.
  await wh.run(`COPY (
      SELECT DATE '2021-01-01' + (i // ${pairs})::INT AS date,
        'S' || lpad(((i % ${pairs}) // ${PRODUCTS})::VARCHAR, 4, '0') AS store_id,
        'P' || lpad((i % ${PRODUCTS})::VARCHAR, 5, '0') AS product_id,
        CASE WHEN i % 10007 = 5 THEN -1 ELSE (hash(i, ${SEED}) % 8)::INT END AS units,
        round((hash(i, ${SEED}) % 8) * 2.49, 2) AS revenue,
        0.0 AS discount
      FROM range(${rows}) t(i)
    ) TO ${sqlString(join(dir, "sales.csv"))} (HEADER)`);
  wh.close();
}

/** CPU seconds of this process, DuckDB's threads included (they run in-process). */
function cpuS(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

async function measure(dir: string): Promise<void> {
  const wh = await Warehouse.open(join(dir, "bench.duckdb"));
  for (const t of ["dcs", "stores", "products"]) await ingestFiles(wh, t, [join(dir, `${t}.csv`)]);
  const sales = join(dir, "sales.csv");
  let t = performance.now();
  await wh.run("SET threads = 1");
  await wh.run("SELECT sum(i) FROM range(500000000) r(i)");
  const probeS = (performance.now() - t) / 1000;
  await wh.run("RESET threads");
  t = performance.now();
  let c = cpuS();
  const s = await ingestFiles(wh, "sales", [sales]);
  const ingestS = (performance.now() - t) / 1000;
  const ingestCpuS = cpuS() - c;
  t = performance.now();
  c = cpuS();
  const e = await runEtl(wh, { full: true });
  const etlS = (performance.now() - t) / 1000;
  const etlCpuS = cpuS() - c;
  t = performance.now();
  await runEtl(wh, { rewriteDays: 3 });
  const etlIncrementalS = (performance.now() - t) / 1000;
  t = performance.now();
  const again = await ingestFiles(wh, "sales", [sales]);
  if (!again.files[0]?.alreadyIngested) throw new Error("re-ingest of the same file was not recognised");
  const reingestS = (performance.now() - t) / 1000;
  wh.close();
  const figures: Figures = {
    rows: s.rowsRead,
    fileMB: statSync(sales).size / 1e6,
    ingestS,
    ingestCpuS,
    accepted: s.accepted,
    quarantined: s.quarantined,
    etlS,
    etlCpuS,
    dailyRows: e.dailyRows,
    etlIncrementalS,
    reingestS,
    peakRssMB: process.resourceUsage().maxRSS / 1024,
    probeS,
  };
  process.stdout.write(`${JSON.stringify(figures)}\n`);
}

function section(f: Figures, load: number[], loadEnd: number[], date: string): string {
  const total = f.ingestS + f.etlS;
  const rate = (rows: number, s: number) => `${(rows / s / 1e6).toFixed(2)}M rows/s`;
  const cpu = cpus();
  return `## Ingest and ETL

Command: \`npm run bench:ingest\` (bench/ingest.ts). Date: ${date}. Machine: ${cpu.length} × ${cpu[0]?.model ?? "?"}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB RAM, Node ${process.version}, DuckDB file warehouse in the OS temp dir.
Load average (1/5/15 min) at start: ${fmtLoad(load)}, at end: ${fmtLoad(loadEnd)} — the machine is shared, figures vary with it.
Busy probe (a fixed one-thread DuckDB sum over 500M integers, just before measuring): ${f.probeS.toFixed(2)} s wall.

Data: a generated daily sales CSV, ${f.rows.toLocaleString("en-US")} rows (${f.fileMB.toFixed(0)} MB; ${STORES} stores × ${PRODUCTS} products × ${Math.round(f.rows / (STORES * PRODUCTS))} days; one row in 10007 has negative units). Stores/products/DCs loaded first (not timed).

| step | wall s | CPU s | throughput (wall) |
|---|---:|---:|---:|
| ingest (sha256, parse, validate, quarantine ${f.quarantined.toLocaleString("en-US")} rows, insert ${f.accepted.toLocaleString("en-US")}) | ${f.ingestS.toFixed(2)} | ${f.ingestCpuS.toFixed(2)} | ${rate(f.rows, f.ingestS)} |
| ETL, full build of \`daily\` (${f.dailyRows.toLocaleString("en-US")} rows) | ${f.etlS.toFixed(2)} | ${f.etlCpuS.toFixed(2)} | ${rate(f.dailyRows, f.etlS)} |
| **end to end (ingest + ETL)** | **${total.toFixed(2)}** | **${(f.ingestCpuS + f.etlCpuS).toFixed(2)}** | **${rate(f.rows, total)}** |
| ETL, incremental (last 3 days re-written) | ${f.etlIncrementalS.toFixed(2)} | | |
| re-ingest of the same file (recognised by sha256, nothing written) | ${f.reingestS.toFixed(2)} | | |

CPU s counts every thread of the measuring process (DuckDB runs in-process on ${cpu.length} threads): on an idle
machine the wall time is at best CPU s / ${cpu.length}, i.e. at best ${rate(f.rows, (f.ingestCpuS + f.etlCpuS) / cpu.length)} end to end. A re-ingest of a file of
64 MB or more parses it while hashing, so it costs about one parse.

Peak RSS of the measuring process: ${f.peakRssMB.toFixed(0)} MB. Target: >= 1M rows/s end to end on this 2-core machine: ${f.rows / total >= 1e6 ? "met" : "not met"} on this run.
`;
}

function fmtLoad(load: number[]): string {
  return load.map((x) => x.toFixed(2)).join(" / ");
}

async function main(): Promise<void> {
  const measureDir = arg("measure");
  if (measureDir) return measure(measureDir);
  const rows = Number(arg("rows") ?? 10_000_000);
  const dir = mkdtempSync(join(tmpdir(), "mr-bench-ingest-"));
  try {
    let t = performance.now();
    await generate(dir, rows);
    console.log(`generated ${rows} rows in ${((performance.now() - t) / 1000).toFixed(1)} s (${dir})`);
    const load = loadavg();
    const date = new Date().toISOString().slice(0, 10);
    t = performance.now();
    const child = spawnSync(
      process.execPath,
      ["--import", "tsx", new URL(import.meta.url).pathname, "--measure", dir],
      {
        encoding: "utf8",
        stdio: ["ignore", "pipe", "inherit"],
      },
    );
    if (child.status !== 0) throw new Error(`measuring process failed (exit ${child.status})`);
    const figures = JSON.parse(child.stdout.trim().split("\n").pop()!) as Figures;
    const text = section(figures, load, loadavg(), date);
    console.log(text);
    if (!process.argv.includes("--no-docs")) writeBenchmarkSection("## Ingest and ETL", text);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
