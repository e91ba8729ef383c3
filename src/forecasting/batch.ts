import { type Day, formatDay } from "../core/days.ts";
import { InputError } from "../core/errors.ts";
import { noProgress, type Progress } from "../core/progress.ts";
import type { DailyPanel } from "../data/to-panel.ts";
import type { Warehouse } from "../data/warehouse.ts";
import { fixCrossing, type QuantileForecast } from "../models/forecaster.ts";
import type { PendingForecast, ProductionModel } from "../models/production-model.ts";
import { activeSeries } from "./active.ts";
import { type ChainContext, loadChainContext } from "./chain-context.ts";
import { exportForecasts } from "./export.ts";
import { loadPartitionPanels } from "./partition-panels.ts";
import { choosePartitions, completedPartitions, forecastPartitions } from "./partitions.ts";
import type { PlannedFill } from "./planned.ts";
import { RowStager, removeStaged, type StagedRows } from "./stage-rows.ts";
import { checkLevels, dropJobKeys, type PartitionWrite, stageJobKeys, startPartitionWrite } from "./write.ts";

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
  /**
   * Run the steps one after another instead of writing a partition while the next one is computed (for
   * profiling: per-step CPU figures are then exact; the rows are the same either way).
   */
  sequential?: boolean;
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
  /** Writing the rows: waiting for their staged file (stage-rows.ts), the INSERT and the commit. */
  write: number;
}

/**
 * What happened to one partition. Unless the job ran `sequential`, a partition's features and predictions
 * overlap the previous partition's write and the next one's load, so their seconds and CPU-seconds overlap too
 * (CPU-seconds count the whole process).
 */
export interface PartitionResult {
  dc: string;
  status: "written" | "skipped";
  series: number;
  /** Planned inputs filled past the data end (see fillPlannedInputs). */
  planned: PlannedFill;
  rows: number;
  crossings: number;
  seconds: StepTimes;
  /** CPU-seconds of the whole process (every thread: DuckDB's and the workers' too) in each step. */
  cpu: StepTimes;
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
  const work: number[] = [];
  for (const [k, dc] of todo.entries()) {
    if (!done.has(dc)) {
      work.push(k);
      continue;
    }
    results[k] = {
      dc,
      status: "skipped",
      series: 0,
      planned: { days: 0, fromPrices: 0, promoDays: 0 },
      rows: 0,
      crossings: 0,
      seconds: { load: 0, features: 0, predict: 0, write: 0 },
      cpu: { load: 0, features: 0, predict: 0, write: 0 },
    };
  }
  const background = (o.threads ?? 1) > 1;
  let stagerStarting: Promise<RowStager> | null = null;
  try {
    // Every partition's panel in one read of `daily` (the DuckDB step; see loadPartitionPanels), before any
    // computation: the pipeline below overlaps each partition's computation with the previous one's write.
    const read = await timed(() =>
      loadPartitionPanels(wh, {
        end: origin + model.settings.plannedDays,
        dataEnd: ctx.dataEnd,
        partitions: work.map((k) => todo[k]!),
      }),
    );
    const panels = read.value;
    const allSeries = panels.reduce((s, p) => s + p.daily.storeId.length, 0);
    const load = async (w: number): Promise<Loaded> => {
      const p = panels[w]!;
      // The one read's seconds shared out by series, so the per-partition figures add up to it.
      const share = allSeries > 0 ? p.daily.storeId.length / allSeries : 1 / panels.length;
      return {
        dc: p.dc,
        index: work[w]!,
        work: w,
        daily: p.daily,
        planned: p.planned,
        series: activeSeries(p.daily, cutoff),
        seconds: share * read.seconds,
        cpu: share * read.cpu,
      };
    };
    // The stage worker starts (it loads its code and a DuckDB sink) while the first partitions are computed (not
    // during the read, whose DuckDB threads use every core).
    const stager = background && !o.sequential ? RowStager.start() : RowStager.inProcess();
    stagerStarting = stager;
    stager.catch(() => undefined);
    // The job's series keys, staged once: partition w's series are keys offset[w] + panel index.
    const offset = new Int32Array(panels.length + 1);
    for (const [w, p] of panels.entries()) offset[w + 1] = offset[w]! + p.daily.storeId.length;
    await stageJobKeys(
      wh,
      panels.flatMap((p) => p.daily.storeId),
      panels.flatMap((p) => p.daily.productId),
    );
    // Pipelined, four partitions in flight: after partition k's features are built (main thread) while the
    // background predict thread ran k-1's boosters, the stage worker wrote k-2's rows to a Parquet file and DuckDB
    // (its own threads) ran the INSERT of k-3's rows, the main thread commits k-3, starts k-2's INSERT, joins
    // k-1's remaining blocks and sends k-1's rows to the stage worker. DuckDB work stays serial on the one
    // connection, each partition is one transaction, committed in order, and afterPartition runs after its
    // commit: a crash loses at most the partitions in flight. With one thread, a partition's boosters run on the
    // calling thread before the next one starts and rows are staged there too; with `sequential`, every step of a
    // partition runs before the next partition starts.
    let running: Started | null = null;
    let staging: { c: Computed; staged: Promise<StagedRows> } | null = null;
    let inserting: { c: Computed; write: PartitionWrite; t: number; cpu: number } | null = null;
    // The INSERT started last time committed.
    const commit = async () => {
      const ins = inserting;
      if (!ins) return;
      inserting = null;
      const done = await timed(() => ins.write.finish());
      results[ins.c.index] = written(ins.c, done.value, ins.t + done.seconds, ins.cpu + done.cpu);
      await o.afterPartition?.(ins.c.dc);
    };
    // The rows staged last time: their transaction opened and INSERT started.
    const startInsert = async () => {
      const st = staging;
      if (!st) return;
      staging = null;
      const started = await timed(async () =>
        startPartitionWrite(wh, {
          origin,
          modelVersion: o.modelVersion,
          runId: o.runId,
          dc: st.c.dc,
          createdAt: now(),
          staged: await st.staged,
        }),
      );
      inserting = { c: st.c, write: started.value, t: started.seconds, cpu: started.cpu };
    };
    // The running partition completed (its boosters joined) and its rows sent to the stager.
    const stageRunning = async () => {
      const s = running;
      if (!s) return;
      running = null;
      const c = await finishCompute(s);
      const f = c.forecast;
      const staged = (await stager).stage(
        {
          series: c.seriesIdx,
          sidOffset: offset[c.work]!,
          horizon: f.horizon,
          q: f.q,
          mean: f.mean ?? null,
        },
        // The forecast's arrays are not read again: they move to the stage worker instead of being copied.
        true,
      );
      // Awaited by startInsert; handled here so a failure before then is not an unhandled rejection.
      staged.catch(() => undefined);
      staging = { c, staged };
    };
    const advance = async () => {
      await commit();
      await startInsert();
      await stageRunning();
    };
    const drain = async () => {
      while (running || staging || inserting) await advance();
    };
    try {
      for (let w = 0; w < work.length; w++) {
        progress({ step: `forecast ${todo[work[w]!]}`, done: work[w]!, total: todo.length });
        let next: Started;
        try {
          next = await startCompute(o, ctx, await load(w), origin, horizon, background);
        } catch (e) {
          // Never leave work in flight: the partitions computed in full are written and committed first.
          await drain();
          throw e;
        }
        await advance();
        running = next;
        if (o.sequential) await drain();
      }
      await drain();
    } catch (e) {
      // A failure after a partition was started (a write, afterPartition) leaves nothing running or staged; an
      // INSERT already running is committed when it completes (its partition is whole) or rolled back.
      const s = running as Started | null;
      if (s) await s.pending.finish().catch(() => undefined);
      const st = staging as { staged: Promise<StagedRows> } | null;
      if (st) await st.staged.then(removeStaged, () => undefined);
      const ins = inserting as { write: PartitionWrite } | null;
      if (ins) await ins.write.finish().catch(() => undefined);
      throw e;
    }
  } finally {
    await stagerStarting?.then(
      (s) => s.close(),
      () => undefined,
    );
    await dropJobKeys(wh);
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

/** A partition's panel (read with the others by loadPartitionPanels) and its active series. */
interface Loaded {
  dc: string;
  /** Position in the job's partition list. */
  index: number;
  /** Position among the partitions this call computes. */
  work: number;
  daily: DailyPanel;
  planned: PlannedFill;
  series: Int32Array;
  seconds: number;
  cpu: number;
}

/** A partition's forecasts, not yet written. */
interface Computed extends Omit<PartitionResult, "status" | "rows"> {
  index: number;
  work: number;
  daily: DailyPanel;
  seriesIdx: Int32Array;
  forecast: QuantileForecast;
}

/** A partition whose features are built and whose boosters may still be running. */
interface Started {
  l: Loaded;
  pending: PendingForecast;
  seconds: { features: number; predict: number };
  cpu: { features: number; predict: number };
}

/** Step 2a (JS, main thread): features, then the boosters started (on the background thread with `background`). */
async function startCompute(
  o: ForecastJobOptions,
  ctx: ChainContext,
  l: Loaded,
  origin: Day,
  horizon: number,
  background: boolean,
): Promise<Started> {
  const model = o.model;
  const timings: Record<string, number> = {};
  const started = await timed(() =>
    model.startPredict(
      { daily: l.daily, calendar: ctx.calendar, settings: model.settings, weather: ctx.weather },
      origin,
      horizon,
      { series: l.series, threads: o.threads, timings, background },
    ),
  );
  const features = timings.features ?? 0;
  const featuresCpu = timings.featuresCpu ?? 0;
  return {
    l,
    pending: started.value,
    seconds: { features, predict: started.seconds - features },
    cpu: { features: featuresCpu, predict: started.cpu - featuresCpu },
  };
}

/** Step 2b (JS, main thread and workers): the boosters finished (joined), crossed quantiles sorted. */
async function finishCompute(s: Started): Promise<Computed> {
  const joined = await timed(async () => {
    const f = await s.pending.finish();
    return { f, crossings: fixCrossing(f) };
  });
  const { f, crossings } = joined.value;
  const l = s.l;
  return {
    dc: l.dc,
    index: l.index,
    work: l.work,
    daily: l.daily,
    seriesIdx: l.series,
    forecast: f,
    series: l.series.length,
    planned: l.planned,
    crossings,
    seconds: {
      load: l.seconds,
      features: s.seconds.features,
      predict: s.seconds.predict + joined.seconds,
      write: 0,
    },
    cpu: {
      load: l.cpu,
      features: s.cpu.features,
      predict: s.cpu.predict + joined.cpu,
      write: 0,
    },
  };
}

/** Step 3 (DuckDB; startPartitionWrite): the result of a committed partition, with its write's times. */
function written(c: Computed, rows: number, seconds: number, cpu: number): PartitionResult {
  return {
    dc: c.dc,
    status: "written",
    series: c.series,
    planned: c.planned,
    rows,
    crossings: c.crossings,
    seconds: { ...c.seconds, write: seconds },
    cpu: { ...c.cpu, write: cpu },
  };
}

/** fn's result with the wall seconds and the CPU-seconds (the whole process's, all threads) it took. */
async function timed<T>(fn: () => Promise<T>): Promise<{ value: T; seconds: number; cpu: number }> {
  const t0 = performance.now();
  const u0 = process.cpuUsage();
  const value = await fn();
  const u = process.cpuUsage(u0);
  return { value, seconds: (performance.now() - t0) / 1000, cpu: (u.user + u.system) / 1e6 };
}
