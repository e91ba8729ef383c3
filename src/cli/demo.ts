import { existsSync, mkdirSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Command } from "commander";
import type { Config } from "../config/schema.ts";
import { formatDay } from "../core/days.ts";
import { UsageError } from "../core/errors.ts";
import { runEtl } from "../data/etl.ts";
import { qualityReport } from "../data/quality/report.ts";
import { isIssue } from "../data/quality/types.ts";
import { loadTruth } from "../data/truth.ts";
import { writeAtomic } from "../data/write-atomic.ts";
import { forecastJob } from "../forecasting/batch.ts";
import { loadServingModel } from "../forecasting/serving-model.ts";
import { trainRun } from "../pipeline/train.ts";
import { analysisPage } from "../report/analysis-page.ts";
import { loadSimulation } from "../simulate/load.ts";
import type { SimParamsInput } from "../simulate/params.ts";
import { simulate } from "../simulate/simulate.ts";
import { promote } from "../tracking/index.ts";
import { backtestJob } from "../validation/job.ts";
import { BACKTEST_ROW_SAMPLE, formatHeadline, headline } from "./backtest.ts";
import { backtestPage } from "./backtest-page.ts";
import { type CommonOptions, commandContext, withCommonOptions, withWarehouse } from "./context.ts";
import { progressBar } from "./progress-bar.ts";

const DEMO_DIR = "megaretail-demo";
const DEFAULT_DB = `${DEMO_DIR}/megaretail.duckdb`;
const DEFAULT_OUT = `${DEMO_DIR}/data`;

/** The demo chain: small enough to run end to end in seconds, long enough to show a year of seasonality. */
export const DEMO_CHAIN: SimParamsInput = { dcs: 2, stores: 8, products: 60, days: 450, seed: 1 };

/**
 * The demo's short backtest: the quick baselines on two folds, scored against the oracle. The GBDT model is
 * scored by the training run that follows (on the same two folds, against the baselines and the oracle).
 */
export const DEMO_MODELS = ["seasonal_naive", "moving_quantiles", "croston_tsb"];
const DEMO_BACKTEST = { folds: 2, bootstrap: 200, rowSample: BACKTEST_ROW_SAMPLE };

/**
 * The demo's training run: the full pipeline (two outer folds against the baselines, final fit, importance, error
 * analysis) on a quarter of the training rows, so it stays within a couple of minutes on 2 cores.
 */
export function demoTrainConfig(config: Config, runsDir: string): Config {
  return {
    ...config,
    train: {
      ...config.train,
      runsDir,
      rowSample: 0.25,
      evaluation: { ...config.train.evaluation, folds: 2, bootstrap: 200 },
    },
  };
}

/** Registers `megaretail demo`. */
export function register(program: Command): void {
  withCommonOptions(
    program
      .command("demo")
      .description(
        `Show the whole system on a simulated chain: simulate a small chain, ingest every table, run the ETL and the quality report, backtest the quick baselines, train the production model (outer folds, final fit, importance, error analysis; registered and promoted), forecast 28 days for every active series, and print where everything went. Defaults keep it inside ./${DEMO_DIR}/ (re-running replaces the demo's own files, never others).`,
      )
      .option("--out <dir>", `where the simulated files go (default ./${DEFAULT_OUT})`)
      .option(
        "--no-train",
        "stop after the short backtest (no training run, no forecasts): seconds instead of minutes",
      ),
  ).action(async (opts: CommonOptions & { out?: string; train: boolean }) => {
    const ctx = commandContext(opts, { db: opts.db ?? DEFAULT_DB });
    const db = resolve(ctx.config.db);
    const out = resolve(opts.out ?? DEFAULT_OUT);
    if (existsSync(db)) {
      // Only the demo's own warehouse is replaced; a user's file is never touched.
      if (opts.db === undefined) {
        rmSync(resolve(DEMO_DIR, "runs"), { recursive: true, force: true });
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
        if (!opts.train) return { sim, ingested, etl, quality, backtest, trained: null, forecast: null };
        const trained = await timed("train", () =>
          trainRun(wh, demoTrainConfig(ctx.config, resolve(DEMO_DIR, "runs")), {
            progress: bar.progress,
            renderers: {
              backtest: (r) => backtestPage(r, new Date().toISOString()),
              analysis: (a) => analysisPage(a, new Date().toISOString()),
            },
          }),
        );
        const forecast = await timed("forecast", async () => {
          await promote(wh, trained.modelVersion!, "production");
          const served = await loadServingModel(wh, ctx.config.features, { ref: "production" });
          return forecastJob(wh, {
            model: served.model,
            modelVersion: served.version,
            runId: served.runId,
            threads: ctx.config.threads,
            out: resolve(DEMO_DIR, "forecasts.csv"),
            progress: bar.progress,
          });
        });
        return { sim, ingested, etl, quality, backtest, trained, forecast };
      });
    })().finally(bar.stop);
    const seconds = Math.round(performance.now() - t0) / 1000;
    const { sim, ingested, etl, quality, backtest, trained, forecast } = result;
    const btDir = resolve(DEMO_DIR, "backtest");
    mkdirSync(btDir, { recursive: true });
    const reportFile = join(btDir, "report.html");
    const metricsFile = join(btDir, "metrics.json");
    writeAtomic(metricsFile, `${JSON.stringify({ runId: backtest.runId, ...backtest.report }, null, 2)}\n`);
    writeAtomic(reportFile, await backtestPage(backtest, new Date().toISOString()));
    if (ctx.json) {
      process.stdout.write(
        `${JSON.stringify(
          {
            out,
            db,
            seconds,
            steps,
            manifest: sim.manifest,
            ingested,
            etl,
            quality,
            backtest: {
              runId: backtest.runId,
              report: reportFile,
              metrics: metricsFile,
              headline: headline(backtest.report),
            },
            train: trained && {
              runId: trained.runId,
              dir: trained.dir,
              modelVersion: trained.modelVersion,
              modelSha256: trained.modelSha256,
              report: trained.files["report.html"],
              analysis: trained.files["analysis.html"],
              headline: headline(trained.report),
            },
            forecast: forecast && {
              origin: formatDay(forecast.origin),
              rows: forecast.rowsTotal,
              file: forecast.out?.file ?? null,
            },
          },
          null,
          2,
        )}\n`,
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
      ...(trained && forecast
        ? [
            `  train       ${trained.report.folds} outer folds + final fit of 6 quantile models + Tweedie mean, model version ${trained.modelVersion} promoted to production   ${steps.train} s`,
            `  forecast    ${forecast.rowsTotal} rows: ${forecast.partitions.reduce((a, p) => a + p.series, 0)} series x ${forecast.horizon} days from ${formatDay(forecast.origin)}, ${forecast.partitions.length} DC partitions   ${steps.forecast} s`,
          ]
        : ["  train       skipped (--no-train)"]),
      "",
      formatHeadline(backtest.report),
      ...(trained
        ? [
            `Training run ${trained.runId} (the production model against the baselines on the same folds):`,
            formatHeadline(trained.report),
          ]
        : []),
      "Where everything went",
      `  simulated files   ${out}  (manifest.json lists them; truth/ holds the true demand quantiles)`,
      `  warehouse         ${db}`,
      `  backtest report   ${reportFile}`,
      `  backtest metrics  ${metricsFile}`,
      ...(trained && forecast
        ? [
            `  training run      ${trained.dir}  (model.json, metrics.json, importance.json, cases/)`,
            `  report.html       ${trained.files["report.html"]}`,
            `  analysis.html     ${trained.files["analysis.html"]}`,
            `  forecasts         ${forecast.out?.file}  (and the forecasts table of the warehouse)`,
          ]
        : []),
      "",
      "Next",
      `  npx megaretail quality --db ${db}`,
      `  npx megaretail backtest --db ${db}   (all models, 5 folds; see docs/forecasting.md)`,
      `  npx megaretail runs list --db ${db}; npx megaretail models list --db ${db}`,
      `  npx megaretail train --db ${db} --tune   (the full pipeline with a hyperparameter search)`,
      `  npx megaretail simulate --out ./sim --stores 30 --products 200   (a bigger chain; see docs/simulator.md)`,
      "",
      `Done in ${seconds} s.`,
    ];
    process.stdout.write(`${lines.join("\n")}\n`);
  });
}
