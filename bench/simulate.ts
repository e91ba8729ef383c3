/**
 * npm run bench:simulate -- [--stores 650 --products 300 --days 1100 --dcs 10 --format parquet --no-checks
 * --threads N --dir DIR --no-docs]: simulates a chain of about 100M (date, store, product) series-days into a temp
 * directory (deleted afterwards), in a child process so its peak RSS is its own; prints rows/s, CPU and peak
 * RSS and writes the `## Simulator` section of docs/BENCHMARKS.md (keeping its hand-written `### Notes`).
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { availableParallelism, cpus, loadavg, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { simulate } from "../src/simulate/simulate.ts";
import { writeBenchmarkSection } from "./benchmarks-doc.ts";

interface Figures {
  seriesDays: number;
  wallS: number;
  cpuS: number;
  peakRssMB: number;
  outputMB: number;
  files: number;
  rows: Record<string, number>;
}

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? undefined : process.argv[i + 1];
}

const params = {
  stores: Number(arg("stores") ?? 650),
  products: Number(arg("products") ?? 300),
  days: Number(arg("days") ?? 1100),
  dcs: Number(arg("dcs") ?? 10),
  format: (arg("format") ?? "parquet") as "parquet" | "csv",
  checks: !process.argv.includes("--no-checks"),
};
/** Worker threads simulating store blocks (default: every core). */
const threads = Number(arg("threads") ?? availableParallelism());

function sizeOf(dir: string): { bytes: number; files: number } {
  let bytes = 0;
  let files = 0;
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      const st = statSync(p);
      if (st.isDirectory()) walk(p);
      else {
        bytes += st.size;
        files++;
      }
    }
  };
  walk(dir);
  return { bytes, files };
}

async function measure(out: string): Promise<void> {
  const t0 = performance.now();
  const u0 = process.cpuUsage();
  let last = 0;
  const { manifest } = await simulate(params, out, {
    threads,
    progress: ({ done, total }) => {
      const pct = Math.floor((100 * done) / total);
      if (pct >= last + 10) {
        last = pct;
        process.stderr.write(`  ${pct}% (${((performance.now() - t0) / 1000).toFixed(0)} s)\n`);
      }
    },
  });
  const wallS = (performance.now() - t0) / 1000;
  const u = process.cpuUsage(u0);
  const size = sizeOf(out);
  const figures: Figures = {
    seriesDays: manifest.seriesDays,
    wallS,
    cpuS: (u.user + u.system) / 1e6,
    peakRssMB: process.resourceUsage().maxRSS / 1024,
    outputMB: size.bytes / 2 ** 20,
    files: size.files,
    rows: Object.fromEntries([...manifest.tables, ...manifest.truth].map((t) => [t.table, t.rows])),
  };
  process.stdout.write(`${JSON.stringify(figures)}\n`);
}

function section(f: Figures, load: number[], loadEnd: number[], date: string, command: string): string {
  const cpu = cpus();
  const m = (x: number) => `${(x / 1e6).toFixed(2)}M`;
  const fmtLoad = (l: number[]) => l.map((x) => x.toFixed(2)).join(" / ");
  const facts = params.checks ? "transactions" : "sales";
  return `## Simulator

Command: \`${command}\` (bench/simulate.ts). Date: ${date}. Machine: ${cpu.length} × ${cpu[0]?.model ?? "?"}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB RAM, Node ${process.version}.
Load average (1/5/15 min) at start: ${fmtLoad(load)}; at end: ${fmtLoad(loadEnd)} — the machine is shared, figures vary with it.

Chain: ${params.dcs} DCs, ${params.stores} stores, ${params.products} products, ${params.days} days, ${params.format}, ${facts}, faults off; ${threads} worker threads.
Output: ${m(f.seriesDays)} (date, store, product) series-days; ${(f.outputMB / 1024).toFixed(2)} GiB in ${f.files} files (truth ${m(f.rows.demand ?? 0)} rows, stock ${m(f.rows.stock ?? 0)}, prices ${m(f.rows.prices ?? 0)}, ${facts} ${m(f.rows[facts] ?? 0)}), written to the OS temp dir and deleted afterwards.

| figure | value |
|---|---:|
| wall time | ${f.wallS.toFixed(1)} s |
| **series-days per second (wall)** | **${m(f.seriesDays / f.wallS)}** |
| CPU time (all threads) | ${f.cpuS.toFixed(1)} s (${((f.cpuS / f.seriesDays) * 1e6).toFixed(2)} µs per series-day) |
| series-days per CPU-second | ${m(f.seriesDays / f.cpuS)} |
| **peak RSS** | **${f.peakRssMB.toFixed(0)} MB** |

Targets: >= 1M series-days/s, peak RSS < 1 GB. Memory does not grow with the number of days (state is per
(store, product); each worker thread's tables buffer at most two parts of about 16 MB each).
`;
}

async function main(): Promise<void> {
  const target = arg("measure");
  if (target) return measure(target);
  const base = arg("dir") ?? tmpdir();
  const dir = mkdtempSync(join(base, "mr-bench-sim-"));
  const out = join(dir, "out");
  const load = loadavg();
  const date = new Date().toISOString().slice(0, 10);
  try {
    console.log(`simulating ${JSON.stringify(params)} into ${out}`);
    const child = spawnSync(
      process.execPath,
      ["--import", "tsx", new URL(import.meta.url).pathname, ...process.argv.slice(2), "--measure", out],
      { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"], maxBuffer: 1 << 24 },
    );
    if (child.status !== 0) throw new Error(`measuring process failed (exit ${child.status})`);
    const figures = JSON.parse(child.stdout.trim().split("\n").pop()!) as Figures;
    const extra = process.argv.slice(2).filter((a) => a !== "--no-docs");
    const command = `npm run bench:simulate${extra.length ? ` -- ${extra.join(" ")}` : ""}`;
    const text = section(figures, load, loadavg(), date, command);
    console.log(text);
    if (!process.argv.includes("--no-docs")) writeBenchmarkSection("## Simulator", text);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
