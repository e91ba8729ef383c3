import { type Day, formatDay } from "../core/days.ts";
import { InputError } from "../core/errors.ts";
import { noProgress, type Progress } from "../core/progress.ts";
import { loadDailyPanel } from "../data/to-panel.ts";
import type { Warehouse } from "../data/warehouse.ts";
import { fixCrossing } from "../models/forecaster.ts";
import type { ProductionModel } from "../models/production-model.ts";
import { activeSeries } from "./active.ts";
import { type ChainContext, loadChainContext } from "./chain-context.ts";
import { exportForecasts } from "./export.ts";
import { choosePartitions, completedPartitions, dcFilter, forecastPartitions } from "./partitions.ts";
import { fillPlannedInputs, type PlannedFill } from "./planned.ts";
import { checkLevels, writePartition } from "./write.ts";

/** What a batch forecast job is asked to do. */
export interface ForecastJobOptions {
  /** Forecast origin (default: the data end + the model's latencyDays, so the cutoff is the last loaded day). */
  origin?: Day;
  model: ProductionModel;
  /** Registry version of the model (0 for a model given as a file). */
  modelVersion: number;
  /** The training run the model came from. */
  runId: string;
  threads?: number;
  progress?: Progress;
  now?: () => Date;
  /** Export file (.parquet or .csv) written from the table at the end, atomically. */
  out?: string;
  /** Only these partitions (DC ids; '-' for stores without a DC). Default: every DC with data. */
  partitions?: string[];
  /** Called after each partition is committed (tests use it to simulate a crash). */
  afterPartition?: (dc: string) => void | Promise<void>;
}

/** Seconds spent in each step of one partition. */
export interface StepTimes {
  /** Reading the partition's panel from the warehouse. */
  load: number;
  /** Building the feature matrix. */
  features: number;
  /** Running the boosters (and the mean), sorting crossed quantiles. */
  predict: number;
  /** Staging and committing the rows. */
  write: number;
}

/** What happened to one partition. */
export interface PartitionResult {
  dc: string;
  status: "written" | "skipped";
  series: number;
  /** Planned inputs filled past the data end (see fillPlannedInputs). */
  planned: PlannedFill;
  rows: number;
  crossings: number;
  seconds: StepTimes;
}

/** The result of a job: what was forecast, where, and how long each step took. */
export interface ForecastJobResult {
  origin: Day;
  cutoff: Day;
  horizon: number;
  modelVersion: number;
  partitions: PartitionResult[];
  /** Rows written by this call (skipped partitions count 0). */
  rowsWritten: number;
  /** Rows of (origin, version) in the table after the job. */
  rowsTotal: number;
  out: { file: string; rows: number } | null;
  seconds: { context: number; export: number; total: number };
}

/** The default origin: data end + latency, i.e. the cutoff is the last day in the warehouse. */
export function defaultOrigin(dataEnd: Day, model: ProductionModel): Day {
  return dataEnd + model.settings.latencyDays;
}

/**
 * The batch forecast job: for each DC partition not yet completed for (origin, model version), load the DC's
 * panel, build features, forecast days 1..horizon for every active series (activeSeries) and commit its rows
 * together with its `forecast_partitions` row in one transaction. A crash loses at most the partition in flight;
 * a rerun skips the committed ones, so the table ends as if the job had run once.
 */
export async function forecastJob(wh: Warehouse, o: ForecastJobOptions): Promise<ForecastJobResult> {
  const t0 = performance.now();
  const model = o.model;
  const progress = o.progress ?? noProgress;
  const now = o.now ?? (() => new Date());
  const lat = model.settings.latencyDays;
  const horizon = model.horizon;
  checkLevels(model.levels);
  const span = await loadChainContext(wh, o.origin === undefined ? undefined : o.origin - lat);
  const origin = o.origin ?? defaultOrigin(span.dataEnd, model);
  const cutoff = origin - lat;
  if (cutoff > span.dataEnd || cutoff < span.dataStart) {
    throw new InputError(
      `origin ${formatDay(origin)} needs data up to its cutoff ${formatDay(cutoff)} (origin - ${lat} days latency), but the data spans ${formatDay(span.dataStart)} to ${formatDay(span.dataEnd)}; give an origin up to ${formatDay(span.dataEnd + lat)}`,
      { column: "--origin" },
    );
  }
  const ctx: ChainContext = span;
  const tContext = (performance.now() - t0) / 1000;
  const todo = choosePartitions(await forecastPartitions(wh), o.partitions);
  const done = await completedPartitions(wh, origin, o.modelVersion);
  const results: PartitionResult[] = [];
  for (const [k, dc] of todo.entries()) {
    progress({ step: `forecast ${dc}`, done: k, total: todo.length });
    if (done.has(dc)) {
      results.push({
        dc,
        status: "skipped",
        series: 0,
        planned: { days: 0, fromPrices: 0, promoDays: 0 },
        rows: 0,
        crossings: 0,
        seconds: { load: 0, features: 0, predict: 0, write: 0 },
      });
      continue;
    }
    results.push(await forecastPartition(wh, o, ctx, dc, origin, horizon, now));
    await o.afterPartition?.(dc);
  }
  progress({ step: "forecast", done: todo.length, total: todo.length });
  const tExport = performance.now();
  const out = o.out ? await exportForecasts(wh, origin, o.modelVersion, o.out) : null;
  const rowsTotal = await wh.scalar(
    "SELECT count(*) FROM forecasts WHERE origin = $1::DATE AND model_version = $2",
    [formatDay(origin), o.modelVersion],
  );
  return {
    origin,
    cutoff,
    horizon,
    modelVersion: o.modelVersion,
    partitions: results,
    rowsWritten: results.reduce((s, r) => s + r.rows, 0),
    rowsTotal,
    out,
    seconds: {
      context: tContext,
      export: out ? (performance.now() - tExport) / 1000 : 0,
      total: (performance.now() - t0) / 1000,
    },
  };
}

/** One partition: load, predict, write (the write is one transaction). */
async function forecastPartition(
  wh: Warehouse,
  o: ForecastJobOptions,
  ctx: ChainContext,
  dc: string,
  origin: Day,
  horizon: number,
  now: () => Date,
): Promise<PartitionResult> {
  const model = o.model;
  const t0 = performance.now();
  // Planned data (prices, promos) may lie past the cutoff; observed data is cut there by the features.
  const daily = await loadDailyPanel(wh, {
    end: origin + model.settings.plannedDays,
    dc: dcFilter(dc),
    keepConstant: true,
  });
  const planned = await fillPlannedInputs(wh, daily, ctx.dataEnd);
  const cutoff = origin - model.settings.latencyDays;
  const series = activeSeries(daily, cutoff);
  const t1 = performance.now();
  const timings: Record<string, number> = {};
  const f = await model.predict(
    { daily, calendar: ctx.calendar, settings: model.settings, weather: ctx.weather },
    origin,
    horizon,
    { series, threads: o.threads, timings },
  );
  const crossings = fixCrossing(f);
  const t2 = performance.now();
  const rows = await writePartition(wh, {
    origin,
    modelVersion: o.modelVersion,
    runId: o.runId,
    dc,
    createdAt: now(),
    storeId: daily.storeId,
    productId: daily.productId,
    series,
    forecast: f,
  });
  const t3 = performance.now();
  return {
    dc,
    status: "written",
    series: series.length,
    planned,
    rows,
    crossings,
    seconds: {
      load: (t1 - t0) / 1000,
      features: timings.features ?? 0,
      predict: (t2 - t1) / 1000 - (timings.features ?? 0),
      write: (t3 - t2) / 1000,
    },
  };
}
