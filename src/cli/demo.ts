import { existsSync, rmSync } from "node:fs";
import { resolve } from "node:path";
import type { Command } from "commander";
import { UsageError } from "../core/errors.ts";
import { runEtl } from "../data/etl.ts";
import { qualityReport } from "../data/quality/report.ts";
import { isIssue } from "../data/quality/types.ts";
import { loadSimulation } from "../simulate/load.ts";
import type { SimParamsInput } from "../simulate/params.ts";
import { simulate } from "../simulate/simulate.ts";
import { type CommonOptions, commandContext, withCommonOptions, withWarehouse } from "./context.ts";
import { progressBar } from "./progress-bar.ts";

const DEMO_DIR = "megaretail-demo";
const DEFAULT_DB = `${DEMO_DIR}/megaretail.duckdb`;
const DEFAULT_OUT = `${DEMO_DIR}/data`;

/** The demo chain: small enough to run end to end in seconds, long enough to show a year of seasonality. */
export const DEMO_CHAIN: SimParamsInput = { dcs: 2, stores: 8, products: 60, days: 450, seed: 1 };

/** Registers `megaretail demo`. */
export function register(program: Command): void {
  withCommonOptions(
    program
      .command("demo")
      .description(
        `Show the whole system on a simulated chain: simulate a small chain, ingest every table, run the ETL and the quality report, and print where everything went. Defaults keep it inside ./${DEMO_DIR}/ (re-running replaces the demo's own files, never others).`,
      )
      .option("--out <dir>", `where the simulated files go (default ./${DEFAULT_OUT})`),
  ).action(async (opts: CommonOptions & { out?: string }) => {
    const ctx = commandContext(opts, { db: opts.db ?? DEFAULT_DB });
    const db = resolve(ctx.config.db);
    const out = resolve(opts.out ?? DEFAULT_OUT);
    if (existsSync(db)) {
      // Only the demo's own warehouse is replaced; a user's file is never touched.
      if (opts.db === undefined) {
        rmSync(db, { force: true });
        rmSync(`${db}.wal`, { force: true });
      } else {
        throw new UsageError(`${opts.db} exists; the demo loads a fresh warehouse: give a new --db path`);
      }
    }
    const t0 = performance.now();
    const bar = progressBar(!ctx.json && process.stderr.isTTY === true);
    const steps: Record<string, number> = {};
    const timed = async <T>(name: string, fn: () => Promise<T>): Promise<T> => {
      const t = performance.now();
      const r = await fn();
      steps[name] = Math.round(performance.now() - t) / 1000;
      return r;
    };
    const result = await (async () => {
      const sim = await timed("simulate", () =>
        simulate(DEMO_CHAIN, out, { progress: bar.progress, threads: ctx.config.threads }),
      );
      return withWarehouse(ctx, async (wh) => {
        const ingested = await timed("ingest", () => loadSimulation(wh, out, { progress: bar.progress }));
        const etl = await timed("etl", () => runEtl(wh, { full: true, progress: bar.progress }));
        const quality = await timed("quality", () => qualityReport(wh));
        return { sim, ingested, etl, quality };
      });
    })().finally(bar.stop);
    const seconds = Math.round(performance.now() - t0) / 1000;
    const { sim, ingested, etl, quality } = result;
    if (ctx.json) {
      process.stdout.write(
        `${JSON.stringify({ out, db, seconds, steps, manifest: sim.manifest, ingested, etl, quality }, null, 2)}\n`,
      );
      return;
    }
    const m = sim.manifest;
    const quarantined = ingested.reduce((s, x) => s + x.quarantined, 0);
    const lines = [
      `Megaretail demo: ${m.params.stores} stores in ${m.params.dcs} DCs, ${m.params.products} products, ${m.firstDay} .. ${m.lastDay} (seed ${m.seed})`,
      "",
      `  simulated   ${m.seriesDays} (date, store, product) rows of true demand      ${steps.simulate} s`,
      `  ingested    ${ingested.length} tables, ${ingested.reduce((s, x) => s + x.accepted, 0)} rows, ${quarantined} quarantined   ${steps.ingest} s`,
      `  ETL         ${etl.dailyRows} rows in the daily fact table                 ${steps.etl} s`,
      `  quality     ${quality.clean ? "clean" : `${quality.issues} issues`}${
        quality.clean
          ? ""
          : ` (${quality.results
              .filter(isIssue)
              .map((r) => r.code)
              .join(", ")})`
      }   ${steps.quality} s`,
      "",
      "Where everything went",
      `  simulated files   ${out}  (manifest.json lists them; truth/ holds the true demand quantiles)`,
      `  warehouse         ${db}`,
      "",
      "Next",
      `  npx megaretail quality --db ${db}`,
      `  npx megaretail simulate --out ./sim --stores 30 --products 200   (a bigger chain; see docs/simulator.md)`,
      "",
      `Done in ${seconds} s.`,
    ];
    process.stdout.write(`${lines.join("\n")}\n`);
  });
}
