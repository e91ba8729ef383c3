import { resolve } from "node:path";
import type { Command } from "commander";
import type { ConfigInput } from "../config/schema.ts";
import { formatDay } from "../core/days.ts";
import { trainRun } from "../pipeline/train.ts";
import { analysisPage } from "../report/analysis-page.ts";
import { formatHeadline, headline } from "./backtest.ts";
import { backtestPage } from "./backtest-page.ts";
import { type CommonOptions, commandContext, withCommonOptions, withWarehouse } from "./context.ts";
import { dayFlag, intFlag } from "./parse.ts";
import { progressBar } from "./progress-bar.ts";

interface TrainOptions extends CommonOptions {
  tune?: boolean;
  trials?: string;
  seed?: string;
  runsDir?: string;
  dataEnd?: string;
  folds?: string;
  register?: boolean;
  analysis?: boolean;
}

/** Registers `megaretail train`. */
export function register(program: Command): void {
  withCommonOptions(
    program
      .command("train")
      .description(
        "The training pipeline: load data, check features, split, (tune on the inner folds), score the six quantile models and the baselines on the outer folds with 95% CIs, fit the final model, compute importance and the error analysis, write everything to <runsDir>/<runId>/, record the run and register the model as a candidate. Settings: the `train` section of --config (docs/configuration.md).",
      )
      .option("--tune", "search learner settings on the inner folds first (config train.tune)")
      .option("--trials <n>", "trial budget of --tune (config train.tune.trials, 12)")
      .option("--seed <n>", "seed of every random choice (config train.seed, 1)")
      .option("--runs-dir <dir>", "where run directories go (config train.runsDir, ./megaretail-runs)")
      .option("--data-end <date>", "last day of data used (default: the data end)")
      .option("--folds <k>", "outer folds scored (default: config validation.folds, 5)")
      .option("--no-analysis", "skip the error analysis (analysis.json / analysis.html)")
      .option("--no-register", "do not register the model in the registry"),
  ).action(async (opts: TrainOptions) => {
    const train: NonNullable<ConfigInput["train"]> = {};
    if (opts.tune) train.tune = { enabled: true };
    if (opts.trials) train.tune = { ...train.tune, trials: intFlag("--trials", opts.trials) };
    if (opts.seed) train.seed = intFlag("--seed", opts.seed, 0);
    if (opts.runsDir) train.runsDir = opts.runsDir;
    if (opts.dataEnd) train.dataEnd = formatDay(dayFlag("--data-end", opts.dataEnd));
    if (opts.folds) train.evaluation = { folds: intFlag("--folds", opts.folds) };
    if (opts.analysis === false) train.analysis = { enabled: false };
    if (opts.register === false) train.register = false;
    const ctx = commandContext(opts, { train });
    const bar = progressBar(!ctx.json && process.stderr.isTTY === true);
    const result = await withWarehouse(ctx, (wh) =>
      trainRun(wh, ctx.config, {
        progress: bar.progress,
        renderers: {
          backtest: (r) => backtestPage(r, new Date().toISOString()),
          analysis: (a) => analysisPage(a, new Date().toISOString()),
        },
      }),
    ).finally(bar.stop);
    const summary = {
      runId: result.runId,
      dir: resolve(result.dir),
      modelVersion: result.modelVersion,
      modelSha256: result.modelSha256,
      featureSchemaHash: result.featureSchemaHash,
      dataEnd: formatDay(result.dataEnd),
      learner: result.learner,
      tuned: result.tune ? { trials: result.tune.trials.length, bestScore: result.tune.best.score } : null,
      featureTests: result.insights.featureTests.ok,
      timings: result.timings,
      files: result.files,
      headline: headline(result.report),
    };
    if (ctx.json) {
      process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
      return;
    }
    const lines = [
      formatHeadline(result.report),
      `Run ${result.runId}: data to ${summary.dataEnd}, model sha256 ${result.modelSha256.slice(0, 16)}…${
        result.modelVersion === null
          ? " (not registered)"
          : `, registered as version ${result.modelVersion} (candidate)`
      }`,
      result.tune
        ? `  tuned       ${result.tune.trials.length} trials (${result.tune.method}), best inner-fold mean scaled pinball ${result.tune.best.score.toFixed(4)}`
        : "",
      `  timings     ${Object.entries(result.timings)
        .map(([k, v]) => `${k} ${v.toFixed(1)} s`)
        .join(", ")}`,
      `  run dir     ${summary.dir}`,
      ...[
        "report.html",
        "analysis.html",
        "model.json",
        "metrics.json",
        "importance.json",
        "feature-tests.json",
      ]
        .filter((f) => result.files[f])
        .map((f) => `  ${f.padEnd(18)} ${resolve(result.files[f]!)}`),
      result.modelVersion === null
        ? ""
        : `Next: megaretail models promote ${result.modelVersion} --stage production, then megaretail forecast`,
    ];
    process.stdout.write(`${lines.filter((l) => l !== "").join("\n")}\n`);
  });
}
