import type { DailyPanel } from "../data/to-panel.ts";
import { type CalendarFlags, indexCalendar, regionIndex } from "./calendar.ts";
import { CAP, type FeatureJob, type FeatureRows, fillRows } from "./fill-rows.ts";
import { groupVolumes } from "./group-volumes.ts";
import { type FeatureSettings, featureNames } from "./names.ts";
import type { WeatherIndex } from "./weather.ts";

export type { FeatureRows } from "./fill-rows.ts";

/** The feature matrix (column-major), its targets and the metadata the learner and metrics need. */
export interface FeatureMatrix {
  names: string[];
  categorical: string[];
  columns: Float32Array[];
  /** Demand on the target day (NaN where unknown: stockout, not in assortment, no data). */
  target: Float32Array;
  /** Price on the target day (for price-weighted metrics); NaN where unknown. */
  price: Float32Array;
  rows: FeatureRows;
  /** Milliseconds spent per feature group (feature-groups.ts; per-row work timed on a sample and scaled up). */
  timings?: Record<string, number>;
}

/** Build options. `unsafeLagShift` moves lags into the future: only the leakage test uses it, to prove it bites. */
export interface BuildOptions {
  unsafeLagShift?: number;
  /** Weather history and forecasts per region (features are NaN without it). */
  weather?: WeatherIndex | null;
  /**
   * Allocates the output columns (default: fresh Float32Arrays). Serving passes buffers kept from the previous
   * partition: fresh ones cost as much in page faults as writing them. Every element is written.
   */
  alloc?: (length: number) => Float32Array;
  /**
   * Serving's option: where the rows come in long runs of one (series, origin) (forecasts), the features constant
   * in such a run (as of the origin, and the static ones: featureNames' first asofCount and last ones) are written on each
   * run's first row only; the other rows of those columns keep whatever the buffers held. Only for a reader that
   * reads them there (binned prediction in runs, told so); every other reader needs full columns.
   */
  runFirstOnly?: boolean;
}

/**
 * Computes every feature for every row. History features see observed data up to the cutoff
 * c = origin - latencyDays only; planned data (prices, promos) up to origin + plannedDays; the calendar is known.
 * The same function serves training, backtests and forecasts, so they cannot disagree; buildFeaturesParallel
 * (parallel.ts) runs the same row loop (fill-rows.ts) over worker threads with bit-identical results.
 */
export function buildFeatures(
  panel: DailyPanel,
  calendar: CalendarFlags,
  settings: FeatureSettings,
  rows: FeatureRows,
  options: BuildOptions = {},
): FeatureMatrix {
  const prepared = prepareJob(
    panel,
    calendar,
    settings,
    rows,
    options,
    options.alloc ?? ((len) => new Float32Array(len)),
    (a) => a,
  );
  const timings = fillRows(prepared.job, Int32Array.of(0, rows.series.length), new Int32Array(1));
  return finishMatrix(prepared, [timings], rows);
}

/** A job over the panel and rows, its outputs allocated by `alloc`, its large inputs passed through `share`. */
export function prepareJob(
  panel: DailyPanel,
  calendar: CalendarFlags,
  settings: FeatureSettings,
  rows: FeatureRows,
  options: BuildOptions,
  alloc: (length: number) => Float32Array,
  share: <T extends Int32Array | Float32Array | Uint8Array | Float64Array>(a: T) => T,
): { job: FeatureJob; names: string[]; categorical: string[]; groupMs: number } {
  const { names, categorical, asofCount, targetCount } = featureNames(settings, panel);
  const n = rows.series.length;
  const t0 = performance.now();
  const group = groupVolumes(panel, rows.origin, settings.latencyDays);
  const groupMs = performance.now() - t0;
  const weather = options.weather ?? null;
  const job: FeatureJob = {
    settings,
    asofCount,
    targetCount,
    shift: options.unsafeLagShift ?? 0,
    runFirstOnly: options.runFirstOnly ?? false,
    indptr: share(panel.indptr),
    start: share(panel.start),
    demand: share(panel.demand),
    units: share(panel.units),
    price: share(panel.price),
    regularPrice: share(panel.regularPrice),
    onPromo: share(panel.onPromo),
    promoDiscount: share(panel.promoDiscount),
    regionOf: Int32Array.from(panel.region, (r) => regionIndex(calendar, r)),
    weatherRegionOf: Int32Array.from(panel.region, (r) => (weather ? weather.regions.indexOf(r ?? "*") : -1)),
    categoricalCodes: panel.categoricals.map((c) => c.codes),
    numericValues: panel.numerics.map((c) => c.values),
    calendar,
    calIndex: indexCalendar(calendar, CAP),
    weather: weather && {
      ...weather,
      temperature: share(weather.temperature),
      precipitation: share(weather.precipitation),
    },
    group: { ...group, store: share(group.store), cat91: share(group.cat91) },
    rows: { series: share(rows.series), origin: share(rows.origin), horizon: share(rows.horizon) },
    columns: names.map(() => alloc(n)),
    target: alloc(n),
    outPrice: alloc(n),
  };
  return { job, names, categorical, groupMs };
}

/** The matrix of a filled job; the timings of every thread are summed per group (CPU time, not wall time). */
export function finishMatrix(
  prepared: { job: FeatureJob; names: string[]; categorical: string[]; groupMs: number },
  parts: Record<string, number>[],
  rows: FeatureRows,
): FeatureMatrix {
  const { job, names, categorical, groupMs } = prepared;
  const timings: Record<string, number> = {};
  for (const t of parts) for (const [k, v] of Object.entries(t)) timings[k] = (timings[k] ?? 0) + v;
  timings.group_volume = (timings.group_volume ?? 0) + groupMs;
  return {
    names,
    categorical,
    columns: job.columns,
    target: job.target,
    price: job.outPrice,
    rows,
    timings,
  };
}
