import { mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Command } from "commander";
import { exportBacktest } from "../data/backtest-store.ts";
import { writeAtomic } from "../data/write-atomic.ts";
import { MODELS } from "../models/registry.ts";
import type { CvReport } from "../validation/evaluate-cv.ts";
import { backtestJob } from "../validation/job.ts";
import { backtestPage } from "./backtest-page.ts";
import { type CommonOptions, commandContext, withCommonOptions, withWarehouse } from "./context.ts";
import { dayFlag, intFlag, listFlag, shareFlag } from "./parse.ts";
import { progressBar } from "./progress-bar.ts";

interface BacktestOptions extends CommonOptions {
  models: string;
  folds?: string;
  dataEnd?: string;
  origins?: string;
  out: string;
  export?: string;
  bootstrap: string;
  seed: string;
  originStep: string;
  rowSample: string;
}

/**
 * Default model list: every baseline and both GBDT models. Opt-in (`optIn` in the registry): the GBDT variants kept
 * for the measured comparisons of docs/forecasting.md (the censored one trains twice).
 */
export const DEFAULT_MODELS = Object.keys(MODELS).filter((m) => !MODELS[m]!.optIn);
const OPT_IN_MODELS = Object.keys(MODELS).filter((m) => MODELS[m]!.optIn);

/**
 * Share of training rows the feature-based models keep in a backtest unless `--row-sample` says otherwise. Every
 * backtest in docs/forecasting.md and docs/BENCHMARKS.md used it: on m5-dev all rows score 0.3% better
 * (gbdt_quantile 0.1089 against 0.1092) for ~4.7x the GBDT's time, and the five folds of every forecaster take
 * ~24 minutes instead of ~6 (session 8).
 */
export const BACKTEST_ROW_SAMPLE = 0.25;

/** Registers `megaretail backtest`. */
export function register(program: Command): void {
  withCommonOptions(
    program
      .command("backtest")
      .description(
        "Fit and forecast every model on rolling-origin folds through the production fit/predict, score them with 95% CIs, store the long CV table in the warehouse (backtest_forecasts), and write report.html and metrics.json.",
      )
      .option(
        "--models <names>",
        `comma-separated models: ${DEFAULT_MODELS.join(", ")}; opt-in variants: ${OPT_IN_MODELS.join(", ")}`,
        DEFAULT_MODELS.join(","),
      )
      .option("--folds <k>", "outer folds (default: config validation.folds, 5)")
      .option("--data-end <date>", "end the last test window at this day (default: the data end)")
      .option("--origins <dates>", "explicit comma-separated forecast origins instead of rolling folds")
      .option("--out <dir>", "where report.html and metrics.json go", "./megaretail-backtest")
      .option(
        "--export <file>",
        "also write the long table to FILE (.parquet or .csv; columns in the README)",
      )
      .option("--bootstrap <n>", "bootstrap draws for the confidence intervals", "500")
      .option("--seed <n>", "seed of every random choice", "1")
      .option("--origin-step <days>", "days between training origins of feature-based models", "7")
      .option(
        "--row-sample <share>",
        "share of (origin, horizon) training rows feature-based models keep (1: all, ~4x the GBDT's time)",
        String(BACKTEST_ROW_SAMPLE),
      ),
  ).action(async (opts: BacktestOptions) => {
    const ctx = commandContext(opts);
    const bar = progressBar();
    const t0 = performance.now();
    const { result, exported } = await withWarehouse(ctx, async (wh) => {
      const result = await backtestJob(wh, ctx.config, {
        models: listFlag(opts.models),
        folds: opts.folds ? intFlag("--folds", opts.folds) : undefined,
        dataEnd: opts.dataEnd ? dayFlag("--data-end", opts.dataEnd) : undefined,
        origins: opts.origins ? listFlag(opts.origins).map((o) => dayFlag("--origins", o)) : undefined,
        bootstrap: intFlag("--bootstrap", opts.bootstrap, 0),
        seed: intFlag("--seed", opts.seed, 0),
        originStep: intFlag("--origin-step", opts.originStep),
        rowSample: shareFlag("--row-sample", opts.rowSample),
        progress: bar.progress,
      });
      const exported = opts.export ? await exportBacktest(wh, result.runId, opts.export) : 0;
      return { result, exported };
    });
    bar.stop();
    const out = resolve(opts.out);
    mkdirSync(out, { recursive: true });
    const metricsFile = join(out, "metrics.json");
    const reportFile = join(out, "report.html");
    writeAtomic(metricsFile, `${JSON.stringify({ runId: result.runId, ...result.report }, null, 2)}\n`);
    writeAtomic(reportFile, await backtestPage(result, new Date().toISOString()));
    const seconds = (performance.now() - t0) / 1000;
    if (ctx.json) {
      process.stdout.write(
        `${JSON.stringify({ runId: result.runId, seconds, report: reportFile, metrics: metricsFile, exported: opts.export ?? null, exportedRows: exported, headline: headline(result.report) }, null, 2)}\n`,
      );
      return;
    }
    process.stdout.write(formatHeadline(result.report));
    process.stdout.write(
      `\nRun ${result.runId} in ${seconds.toFixed(1)} s\n  report  ${reportFile}\n  metrics ${metricsFile}\n`,
    );
    if (opts.export) process.stdout.write(`  export  ${resolve(opts.export)} (${exported} rows)\n`);
  });
}

/** The model others are compared with: the oracle on simulated data, else seasonal naive when present. */
export function referenceModel(report: CvReport): string | undefined {
  return ["oracle", "seasonal_naive"].find((m) => report.models.includes(m));
}

/** Per model: mean scaled pinball with CI, ratio to the reference (paired CI), calibration of 0.5 and 0.95, seconds. */
export function headline(report: CvReport) {
  const reference = referenceModel(report);
  return report.overall.map((o) => {
    const vs = report.paired.find((p) => p.model === o.model && p.reference === reference);
    const e = o.estimates.find((x) => x.metric === "mean_spinball")!;
    const cal = (level: number) => report.calibration.find((c) => c.model === o.model && c.level === level);
    return {
      model: o.model,
      meanScaledPinball: e.value,
      lo: e.lo,
      hi: e.hi,
      reference: reference ?? null,
      ratio: vs?.ratio ?? (o.model === reference ? 1 : Number.NaN),
      ratioLo: vs?.lo ?? Number.NaN,
      ratioHi: vs?.hi ?? Number.NaN,
      coverage50: cal(0.5)?.coverageLe ?? Number.NaN,
      coverage95: cal(0.95)?.coverageLe ?? Number.NaN,
      seconds: report.seconds[o.model]!,
    };
  });
}

/** The headline table as text, best model first. */
export function formatHeadline(report: CvReport): string {
  const rows = headline(report).sort((a, b) => a.meanScaledPinball - b.meanScaledPinball);
  const reference = referenceModel(report);
  const lines = [
    `Backtest: ${report.folds} folds, ${report.rows} scored forecasts per model (mean scaled pinball over 6 quantiles, 95% CI)`,
    "",
    `  ${"model".padEnd(18)} ${"scaled pinball".padEnd(26)} ${`x ${reference ?? "-"} (paired CI)`.padEnd(24)} ${"P(y<=q.5)".padEnd(10)} ${"P(y<=q.95)".padEnd(11)} seconds`,
  ];
  for (const r of rows) {
    lines.push(
      `  ${r.model.padEnd(18)} ${`${r.meanScaledPinball.toFixed(4)} [${r.lo.toFixed(4)}, ${r.hi.toFixed(4)}]`.padEnd(26)} ${(r.model === reference ? "1" : `${r.ratio.toFixed(3)} [${r.ratioLo.toFixed(3)}, ${r.ratioHi.toFixed(3)}]`).padEnd(24)} ${r.coverage50.toFixed(3).padEnd(10)} ${r.coverage95.toFixed(3).padEnd(11)} ${r.seconds.toFixed(1)}`,
    );
  }
  return `${lines.join("\n")}\n`;
}
