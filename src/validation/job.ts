import type { Config } from "../config/schema.ts";
import { type Day, formatDay } from "../core/days.ts";
import { InputError } from "../core/errors.ts";
import type { Progress } from "../core/progress.ts";
import { QUANTILES } from "../core/quantiles.ts";
import { saveBacktest } from "../data/backtest-store.ts";
import { type DailyPanel, loadDailyPanel, panelStart } from "../data/to-panel.ts";
import { loadTruthPanel } from "../data/truth.ts";
import type { Warehouse } from "../data/warehouse.ts";
import { type CalendarFlags, loadCalendar } from "../features/calendar.ts";
import { loadWeather, type WeatherIndex } from "../features/weather.ts";
import { oracle } from "../models/oracle.ts";
import { makeForecasters } from "../models/registry.ts";
import { type CvTable, runBacktest } from "./backtest.ts";
import { type CvReport, evaluateCv } from "./evaluate-cv.ts";
import { describeFold, type Fold, foldsAtOrigins, rollingFolds } from "./splits.ts";

/** What `megaretail backtest` asks for. */
export interface BacktestJobOptions {
  models: string[];
  folds?: number;
  dataEnd?: Day;
  origins?: Day[];
  bootstrap?: number;
  seed?: number;
  originStep?: number;
  /** Share of training rows kept by feature-based models (default 1). */
  rowSample?: number;
  /** Add the oracle (true quantiles) when the warehouse holds simulator truth (default true). */
  oracle?: boolean;
  progress?: Progress;
  /** Run id to store under (default: derived from the clock). */
  runId?: string;
  now?: () => Date;
}

/** A finished backtest: the stored run id, the data it ran on, the long table and the evaluation. */
export interface BacktestJobResult {
  runId: string;
  daily: DailyPanel;
  calendar: CalendarFlags;
  folds: Fold[];
  table: CvTable;
  report: CvReport;
}

/** Loads the panel and calendar a model stage needs, ending at `end` (default: the data end). */
export async function loadModelData(
  wh: Warehouse,
  end?: Day,
): Promise<{ daily: DailyPanel; calendar: CalendarFlags; weather: WeatherIndex | null }> {
  const daily = await loadDailyPanel(wh, { end });
  if (daily.storeId.length === 0) {
    throw new InputError(
      "the daily table is empty: load data first (megaretail ingest ... && megaretail etl, or megaretail import m5 DIR)",
      {
        file: wh.path,
      },
    );
  }
  const start = panelStart(daily);
  const regions = [...new Set(daily.region.map((r) => r ?? "*")), "*"];
  const calendar = await loadCalendar(wh, start, daily.end + 366, regions);
  // Weather issued up to the data end (forecasts beyond it are what the last cutoff knows).
  const weather = await loadWeather(wh, regions, start, daily.end);
  return { daily, calendar, weather };
}

/** The folds of a run: explicit origins, or K rolling folds ending at the data end. */
export function jobFolds(
  config: Config,
  daily: DailyPanel,
  options: Pick<BacktestJobOptions, "folds" | "origins">,
): Fold[] {
  const start = panelStart(daily);
  const settings = { ...config.validation, folds: options.folds ?? config.validation.folds };
  if (options.origins && options.origins.length > 0) {
    const late = options.origins.find((o) => o + settings.testDays > daily.end);
    if (late !== undefined) {
      throw new InputError(
        `origin ${formatDay(late)} needs actuals up to ${formatDay(late + settings.testDays)} but the data ends ${formatDay(daily.end)}`,
        { column: "--origins" },
      );
    }
    return foldsAtOrigins(start, options.origins, settings);
  }
  return rollingFolds(start, daily.end, settings.folds, settings);
}

/**
 * The backtest stage: load, split, fit and predict every model on every fold, evaluate, and store the run and
 * its long table in the warehouse.
 */
export async function backtestJob(
  wh: Warehouse,
  config: Config,
  options: BacktestJobOptions,
): Promise<BacktestJobResult> {
  const { daily, calendar, weather } = await loadModelData(wh, options.dataEnd);
  const folds = jobFolds(config, daily, options);
  const forecasters = makeForecasters(options.models, {
    threads: config.threads,
    originStep: options.originStep ?? 7,
    rowSample: options.rowSample,
  });
  const truth = options.oracle === false ? null : await loadTruthPanel(wh, daily);
  if (truth) forecasters.push(oracle(truth.q));
  const seed = options.seed ?? 1;
  const table = await runBacktest({
    daily,
    calendar,
    settings: config.features,
    weather,
    folds,
    forecasters,
    levels: QUANTILES,
    horizon: config.validation.testDays,
    seed,
    truthDemand: truth?.demand,
    progress: options.progress,
  });
  const report = evaluateCv(table, daily, calendar, { bootstrap: options.bootstrap ?? 500, seed });
  const now = (options.now ?? (() => new Date()))();
  const runId = options.runId ?? `bt-${now.toISOString().replace(/[-:]/g, "").slice(0, 15)}-${seed}`;
  await saveBacktest(
    wh,
    {
      runId,
      createdAt: now,
      dataEnd: daily.end,
      models: table.models,
      folds: folds.map(describeFold),
      settings: { validation: config.validation, features: config.features, seed },
      metrics: report.overall,
    },
    { ...table, storeId: daily.storeId, productId: daily.productId },
  );
  return { runId, daily, calendar, folds, table, report };
}
