import { existsSync, mkdirSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Command } from "commander";
import { UsageError } from "../core/errors.ts";
import { runEtl } from "../data/etl.ts";
import { qualityReport } from "../data/quality/report.ts";
import { isIssue } from "../data/quality/types.ts";
import { loadTruth } from "../data/truth.ts";
import { loadSimulation } from "../simulate/load.ts";
import type { SimParamsInput } from "../simulate/params.ts";
import { simulate } from "../simulate/simulate.ts";
import { backtestJob } from "../validation/job.ts";
import { formatHeadline, headline } from "./backtest.ts";
import { backtestPage } from "./backtest-page.ts";
import { type CommonOptions, commandContext, withCommonOptions, withWarehouse } from "./context.ts";
import { progressBar } from "./progress-bar.ts";
import { writeAtomic } from "../data/write-atomic.ts";

const DEMO_DIR = "megaretail-demo";
const DEFAULT_DB = `${DEMO_DIR}/megaretail.duckdb`;
const DEFAULT_OUT = `${DEMO_DIR}/data`;

/** The demo chain: small enough to run end to end in seconds, long enough to show a year of seasonality. */
export const DEMO_CHAIN: SimParamsInput = { dcs: 2, stores: 8, products: 60, days: 450, seed: 1 };

/**
 * The demo's short backtest: the quick baselines on two folds, scored against the oracle. The GBDT models are
 * left to `megaretail backtest`: on this 2-core machine they take minutes, and the demo must stay under a minute.
 */
export const DEMO_MODELS = ["seasonal_naive", "moving_quantiles", "croston_tsb"];
const DEMO_BACKTEST = { folds: 2, bootstrap: 200, rowSample: 0.25 };

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
        const backtest = await timed("backtest", async () => {
          await loadTruth(wh, out);
          return backtestJob(wh, ctx.config, {
            models: DEMO_MODELS,
            ...DEMO_BACKTEST,
            progress: bar.progress,
          });
        });
        return { sim, ingested, etl, quality, backtest };
      });
    })().finally(bar.stop);
    const seconds = Math.round(performance.now() - t0) / 1000;
    const { sim, ingested, etl, quality, backtest } = result;
    const btDir = resolve(DEMO_DIR, "backtest");
    mkdirSync(btDir, { recursive: true });
    const reportFile = join(btDir, "report.html");
    const metricsFile = join(btDir, "metrics.json");
    writeAtomic(metricsFile, `${JSON.stringify({ runId: backtest.runId, ...backtest.report }, null, 2)}\n`);
    writeAtomic(reportFile, await backtestPage(backtest, new Date().toISOString()));
    if (ctx.json) {
      process.stdout.write(
        `${JSON.stringify({ out, db, seconds, steps, manifest: sim.manifest, ingested, etl, quality, backtest: { runId: backtest.runId, report: reportFile, metrics: metricsFile, headline: headline(backtest.report) } }, null, 2)}\n`,
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
      `  backtest    ${backtest.report.models.length} models x ${backtest.folds.length} folds, scored on true demand   ${steps.backtest} s`,
      "",
      formatHeadline(backtest.report),
      "Where everything went",
      `  simulated files   ${out}  (manifest.json lists them; truth/ holds the true demand quantiles)`,
      `  warehouse         ${db}`,
      `  backtest report   ${reportFile}`,
      `  backtest metrics  ${metricsFile}`,
      "",
      "Next",
      `  npx megaretail quality --db ${db}`,
      `  npx megaretail backtest --db ${db}   (all models, 5 folds; see docs/forecasting.md)`,
      `  npx megaretail simulate --out ./sim --stores 30 --products 200   (a bigger chain; see docs/simulator.md)`,
      "",
      `Done in ${seconds} s.`,
    ];
    process.stdout.write(`${lines.join("\n")}\n`);
  });
}
