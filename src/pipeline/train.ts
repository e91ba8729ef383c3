/**
 * `megaretail train`: prepare data -> features -> split -> (tune) -> evaluate on the outer folds -> final fit ->
 * importance and feature tests -> error analysis -> artifacts -> tracked run -> registered candidate model.
 */
import { createHash } from "node:crypto";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { type AnalysisResult, runAnalysis } from "../analysis/run-analysis.ts";
import type { Config } from "../config/schema.ts";
import type { LearnerSettings } from "../config/train.ts";
import { type Day, parseDay } from "../core/days.ts";
import { InputError } from "../core/errors.ts";
import type { Progress } from "../core/progress.ts";
import { QUANTILES } from "../core/quantiles.ts";
import { panelStart } from "../data/to-panel.ts";
import { loadTruthPanel } from "../data/truth.ts";
import type { Warehouse } from "../data/warehouse.ts";
import { writeAtomic } from "../data/write-atomic.ts";
import { checkFeatures, type FeatureTestReport, formatFeatureIssues } from "../features/feature-tests.ts";
import { demandPanel, type FeatureData, type FitInput } from "../models/forecaster.ts";
import { DEFAULT_GBDT_PARAMS } from "../models/gbdt-quantile.ts";
import { oracle } from "../models/oracle.ts";
import { FEATURE_SET_VERSION, ProductionModel } from "../models/production-model.ts";
import { makeForecasters } from "../models/registry.ts";
import { finishRun, type RunHandle, registerModel, startRun } from "../tracking/index.ts";
import { runBacktest } from "../validation/backtest.ts";
import { type CvReport, evaluateCv } from "../validation/evaluate-cv.ts";
import { type BacktestJobResult, jobFolds, loadModelData } from "../validation/job.ts";
import { type Fold, innerFolds } from "../validation/splits.ts";
import { featureSample, type ModelInsights, modelInsights } from "./insights.ts";
import { productionForecaster, tailSettingsOf } from "./production-forecaster.ts";
import { runMetrics } from "./run-metrics.ts";
import { seriesScores } from "./series-scores.ts";
import { type TuneResult, tuneLearner } from "./tune.ts";

/** The name the production model has in the run's CV table and reports. */
export const MAIN_MODEL = "gbdt_quantile";

/** Renders the run's pages; injected by the app (pages are presentation, built in src/report via the CLI). */
export interface TrainRenderers {
  backtest(r: BacktestJobResult): Promise<string>;
  analysis(data: AnalysisResult): Promise<string>;
}

/** Options of a training run. */
export interface TrainRunOptions {
  progress?: Progress;
  now?: () => Date;
  renderers?: TrainRenderers;
}

/** What a run produced and where. */
export interface TrainRunResult {
  runId: string;
  dir: string;
  modelVersion: number | null;
  modelFile: string;
  modelSha256: string;
  featureSchemaHash: string;
  dataEnd: Day;
  folds: Fold[];
  report: CvReport;
  learner: LearnerSettings;
  tune: TuneResult | null;
  insights: ModelInsights;
  timings: Record<string, number>;
  files: Record<string, string>;
}

/** Runs the whole training pipeline on the warehouse's data and records it as a tracked run. */
export async function trainRun(
  wh: Warehouse,
  config: Config,
  options: TrainRunOptions = {},
): Promise<TrainRunResult> {
  const t = config.train;
  const timings: Record<string, number> = {};
  const timed = async <T>(name: string, fn: () => Promise<T> | T): Promise<T> => {
    const t0 = performance.now();
    try {
      return await fn();
    } finally {
      timings[name] = Math.round(performance.now() - t0) / 1000;
    }
  };
  const { daily, calendar, weather } = await timed("load", () =>
    loadModelData(wh, t.dataEnd ? parseDay(t.dataEnd) : undefined),
  );
  const settings = config.features;
  const run: RunHandle = await startRun(wh, {
    kind: "train",
    runsDir: t.runsDir,
    config,
    seed: t.seed,
    featureVersion: FEATURE_SET_VERSION,
    now: options.now,
  });
  const files: Record<string, string> = {};
  const write = (name: string, text: string) => {
    const file = join(run.dir, name);
    mkdirSync(join(file, ".."), { recursive: true });
    writeAtomic(file, text);
    files[name] = file;
  };
  try {
    const horizon = config.validation.testDays;
    const folds = jobFolds(config, daily, { folds: t.evaluation.folds });
    const fd: FeatureData = { daily, calendar, settings, weather };

    const fitInput: FitInput = {
      panel: demandPanel(daily),
      trainStart: Math.max(panelStart(daily), daily.end - config.validation.trainDays + 1),
      trainEnd: daily.end,
      horizon,
      levels: QUANTILES,
      seed: t.seed,
      features: fd,
    };
    // Feature tests first: a broken feature fails the run before any model is fitted (tuning included).
    const sample = await timed("feature tests", () => featureSample(fitInput, t, t.analysis.importanceRows));
    const before = checkFeatures(sample.matrix, config.featureTests);
    if (!before.ok) {
      write("feature-tests.json", `${JSON.stringify({ ok: false, before }, null, 2)}\n`);
      throw new FeatureTestsFailed(files["feature-tests.json"]!, before);
    }

    let learner = t.learner;
    let tune: TuneResult | null = null;
    if (t.tune.enabled) {
      const last = folds[folds.length - 1]!;
      tune = await timed("tune", () =>
        tuneLearner({
          daily,
          calendar,
          weather,
          features: settings,
          folds: innerFolds(last, config.validation),
          horizon,
          train: t,
          threads: config.threads,
          progress: options.progress,
        }),
      );
      learner = tune.learner;
      write("tune.json", `${JSON.stringify(tune, null, 2)}\n`);
    }
    const modelOptions = {
      params: learner,
      threads: config.threads,
      originStep: t.originStep,
      rowSample: t.rowSample,
      validDays: t.validDays,
      tweedie: t.tweedie,
      censored: t.censored,
      tails: tailSettingsOf(t.tails),
    };

    const truth = await loadTruthPanel(wh, daily);
    const forecasters = [
      productionForecaster(MAIN_MODEL, modelOptions),
      ...makeForecasters(t.evaluation.baselines, {
        threads: config.threads,
        originStep: t.originStep,
        rowSample: t.rowSample,
      }),
    ];
    if (truth) forecasters.push(oracle(truth.q));
    const cv = await timed("evaluate", () =>
      runBacktest({
        daily,
        calendar,
        settings,
        weather,
        folds,
        forecasters,
        levels: QUANTILES,
        horizon,
        seed: t.seed,
        truthDemand: truth?.demand,
        progress: options.progress,
      }),
    );
    const report = evaluateCv(cv, daily, calendar, { bootstrap: t.evaluation.bootstrap, seed: t.seed });

    options.progress?.({ step: "final fit", done: 0, total: 1 });
    const model = await timed("fit", () => ProductionModel.fit(fitInput, modelOptions));
    const modelJson = model.serialize();
    write("model.json", modelJson);
    const modelSha256 = createHash("sha256").update(modelJson).digest("hex");

    const insights = await timed("insights", () =>
      modelInsights({
        model,
        sample,
        before,
        train: t,
        limits: config.featureTests,
        progress: options.progress,
      }),
    );
    write("importance.json", `${JSON.stringify(insights.importance, null, 2)}\n`);
    write("feature-tests.json", `${JSON.stringify(insights.featureTests, null, 2)}\n`);

    let analysis: AnalysisResult | null = null;
    if (t.analysis.enabled) {
      analysis = await timed("analysis", () =>
        runAnalysis({
          daily,
          calendar,
          weather,
          settings,
          folds,
          cv,
          mainModel: MAIN_MODEL,
          params: { ...DEFAULT_GBDT_PARAMS, ...learner },
          originStep: t.originStep,
          rowSample: t.rowSample,
          seed: t.seed,
          threads: config.threads,
          budget: { curves: t.analysis.curves },
          progress: options.progress,
        }),
      );
      for (const c of analysis.cases) write(`cases/${c.name}.csv`, c.csv);
      // The case rows live in cases/*.csv; analysis.json names the file instead of holding the rows twice.
      const cases = analysis.cases.map(({ csv: _, ...c }) => ({ ...c, file: `cases/${c.name}.csv` }));
      write("analysis.json", `${JSON.stringify({ ...analysis, cases }, null, 2)}\n`);
    }
    write(
      "metrics.json",
      `${JSON.stringify({ runId: run.runId, featureSchemaHash: model.schema.hash, modelSha256, ...report }, null, 2)}\n`,
    );
    // config.json (written by startRun) is the config as given; this one has the learner settings tuning chose.
    write("config.resolved.json", `${JSON.stringify({ ...config, train: { ...t, learner } }, null, 2)}\n`);
    if (options.renderers) {
      write(
        "report.html",
        await options.renderers.backtest({ runId: run.runId, daily, calendar, folds, table: cv, report }),
      );
      if (analysis) write("analysis.html", await options.renderers.analysis(analysis));
    }
    if (!insights.featureTests.ok) {
      throw new FeatureTestsFailed(files["feature-tests.json"]!, insights.featureTests.after);
    }
    const modelVersion = t.register
      ? (
          await registerModel(wh, {
            runId: run.runId,
            name: MAIN_MODEL,
            file: files["model.json"]!,
            sha256: modelSha256,
            featureSchemaHash: model.schema.hash,
            metrics: Object.fromEntries(
              report.overall
                .find((o) => o.model === MAIN_MODEL)!
                .estimates.map((e) => [e.metric, e.value] as [string, number]),
            ),
          })
        ).version
      : null;
    const nSeries = daily.storeId.length;
    await finishRun(wh, run, {
      status: "succeeded",
      metrics: runMetrics(report),
      timings,
      artifacts: Object.keys(files),
      seriesScores: seriesScores(cv, nSeries).map((s) => ({
        model: s.model,
        metric: "mean_pinball",
        storeId: Array.from(s.series, (i) => daily.storeId[i]!),
        productId: Array.from(s.series, (i) => daily.productId[i]!),
        value: s.value,
      })),
    });
    return {
      runId: run.runId,
      dir: run.dir,
      modelVersion,
      modelFile: files["model.json"]!,
      modelSha256,
      featureSchemaHash: model.schema.hash,
      dataEnd: daily.end,
      folds,
      report,
      learner,
      tune,
      insights,
      timings,
      files,
    };
  } catch (e) {
    await finishRun(wh, run, {
      status: "failed",
      metrics: [],
      timings,
      artifacts: Object.keys(files),
      error: (e as Error).message,
    });
    throw e;
  }
}

/** The feature tests failed: the run stops, feature-tests.json says which feature broke which limit. */
export class FeatureTestsFailed extends InputError {
  constructor(file: string, report: FeatureTestReport) {
    const failed = report.issues.filter((i) => i.severity === "error").length;
    const lines = formatFeatureIssues(report).split("\n");
    super(
      `${failed} feature test(s) failed (${report.stage} training); the report lists every issue:\n  ${lines
        .slice(0, 12)
        .join("\n  ")}${lines.length > 12 ? `\n  ... ${lines.length - 12} more` : ""}\n` +
        "Fix the data or the feature settings, or change config featureTests (docs/configuration.md).",
      { file },
    );
  }
}
