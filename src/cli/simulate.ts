import { type Command, InvalidArgumentError, Option } from "commander";
import { UsageError } from "../core/errors.ts";
import type { SimParamsInput } from "../simulate/params.ts";
import { type Manifest, simulate } from "../simulate/simulate.ts";
import { type CommonOptions, commandContext, withCommonOptions } from "./context.ts";
import { progressBar } from "./progress-bar.ts";

/** Flags of `megaretail simulate`. */
interface SimulateFlags extends CommonOptions {
  out: string;
  dcs?: number;
  stores?: number;
  products?: number;
  days?: number;
  start?: string;
  seed?: number;
  format?: "parquet" | "csv";
  faults?: "on" | "off";
  checks?: boolean;
  params?: string;
}

/** Registers `megaretail simulate`. */
export function register(program: Command): void {
  withCommonOptions(
    program
      .command("simulate")
      .description(
        "Simulate the Supermegaretail chain: writes every source table (in the ingest schema, one folder of parts per big table), truth/ (the true demand distribution of every (date, store, product), injected faults, effect sizes) and manifest.json (tables in load order). The same seed gives byte-identical files. See docs/simulator.md.",
      )
      .requiredOption("--out <dir>", "output directory (replaced only if it holds a previous simulation)")
      .option("--dcs <n>", "distribution centres (default 3)", int)
      .option("--stores <n>", "stores (default 30)", int)
      .option("--products <n>", "products (default 200)", int)
      .option("--days <n>", "simulated days (default 1100)", int)
      .option("--start <date>", "first day, YYYY-MM-DD (default 2022-01-01)")
      .option("--seed <n>", "random seed (default 1)", int)
      .addOption(new Option("--format <format>", "file format (default parquet)").choices(["parquet", "csv"]))
      .addOption(
        new Option("--faults <onoff>", "inject data-quality faults (default off)").choices(["on", "off"]),
      )
      .option("--no-checks", "write daily sales aggregates instead of transactions (checks)")
      .option("--params <json>", 'further parameters as JSON, e.g. \'{"promos":{"perProductYear":8}}\''),
  ).action(async (opts: SimulateFlags) => {
    const ctx = commandContext(opts);
    const input = simInput(opts);
    const bar = progressBar(!ctx.json && process.stderr.isTTY === true);
    const t0 = performance.now();
    const { out, manifest } = await simulate(input, opts.out, {
      progress: bar.progress,
      threads: ctx.config.threads,
    }).finally(bar.stop);
    const seconds = (performance.now() - t0) / 1000;
    if (ctx.json) process.stdout.write(`${JSON.stringify({ out, seconds, manifest }, null, 2)}\n`);
    else process.stdout.write(formatManifest(out, manifest, seconds));
  });
}

/** Parameters from the flags (flags win over --params). */
export function simInput(opts: SimulateFlags): SimParamsInput {
  let extra: SimParamsInput = {};
  if (opts.params) {
    try {
      extra = JSON.parse(opts.params) as SimParamsInput;
    } catch (e) {
      throw new UsageError(`--params is not valid JSON: ${(e as Error).message}`);
    }
  }
  const input: SimParamsInput = { ...extra };
  for (const k of ["dcs", "stores", "products", "days", "start", "seed", "format"] as const) {
    if (opts[k] !== undefined) (input as Record<string, unknown>)[k] = opts[k];
  }
  if (opts.faults) input.faults = opts.faults === "on";
  if (opts.checks === false) input.checks = false;
  return input;
}

/** A short account of a simulation for a person. */
export function formatManifest(out: string, m: Manifest, seconds: number): string {
  const lines = [
    `Simulated ${m.params.stores} stores x ${m.params.products} products, ${m.firstDay} .. ${m.lastDay} (seed ${m.seed}): ${m.seriesDays} series-days in ${seconds.toFixed(1)} s -> ${out}`,
    "",
    "Tables (load order)",
  ];
  for (const t of m.tables) {
    lines.push(`  ${t.table.padEnd(18)} ${String(t.rows).padStart(11)} rows  ${t.files.length} file(s)`);
  }
  lines.push("", "Truth");
  for (const t of m.truth)
    lines.push(`  ${t.table.padEnd(18)} ${String(t.rows).padStart(11)} rows  ${t.files[0]}`);
  const faults = Object.entries(m.faults);
  if (faults.length > 0) lines.push("", `Faults injected: ${faults.map(([k, n]) => `${k} ${n}`).join(", ")}`);
  return `${lines.join("\n")}\n`;
}

function int(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n)) throw new InvalidArgumentError("expected a whole number");
  return n;
}
