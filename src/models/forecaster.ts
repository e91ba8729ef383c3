import type { Day } from "../core/days.ts";
import type { Panel } from "../core/panel.ts";
import type { DailyPanel } from "../data/to-panel.ts";
import type { CalendarFlags } from "../features/calendar.ts";
import type { FeatureSettings } from "../features/names.ts";
import type { WeatherIndex } from "../features/weather.ts";

/** What feature-based models need besides the demand panel: the full daily panel, calendar and settings. */
export interface FeatureData {
  daily: DailyPanel;
  calendar: CalendarFlags;
  settings: FeatureSettings;
  weather?: WeatherIndex | null;
}

/**
 * What every forecaster is fitted on: daily series in a Panel (NaN where the value is not demand — a
 * stockout, not in assortment, or unknown) and the last day whose data may be used (`trainEnd`).
 */
export interface FitInput {
  panel: Panel;
  /** First day of the training window (models with their own window may look less far back). */
  trainStart: Day;
  trainEnd: Day;
  /** Longest horizon that will be asked of predict. */
  horizon: number;
  /** Quantile levels to produce, increasing. */
  levels: readonly number[];
  seed: number;
  /** Needed by feature-based models (GBDT, linear quantile regression); baselines ignore it. */
  features?: FeatureData;
}

/**
 * Quantile forecasts for every series of the panel, days origin+1 .. origin+horizon. `q` is laid out
 * [series][horizon step][level]; `mean` [series][horizon step] where the model defines a mean.
 */
export interface QuantileForecast {
  origin: Day;
  horizon: number;
  levels: readonly number[];
  nSeries: number;
  q: Float32Array;
  mean?: Float32Array;
}

/** A fitted model: forecasts from `origin` (data known up to the fit's trainEnd). */
export interface Fitted {
  predict(origin: Day, horizon: number): QuantileForecast | Promise<QuantileForecast>;
}

/** The one interface every model implements (statsforecast models.py). */
export interface Forecaster {
  readonly name: string;
  fit(input: FitInput): Promise<Fitted>;
}

/** Allocates an empty forecast block. */
export function emptyForecast(
  origin: Day,
  horizon: number,
  levels: readonly number[],
  nSeries: number,
  withMean: boolean,
): QuantileForecast {
  return {
    origin,
    horizon,
    levels,
    nSeries,
    q: new Float32Array(nSeries * horizon * levels.length),
    mean: withMean ? new Float32Array(nSeries * horizon) : undefined,
  };
}

/**
 * Makes quantiles non-crossing in place (sorts each row of levels) and returns how many rows needed it, so
 * callers can report how often a model crossed.
 */
export function fixCrossing(f: QuantileForecast): number {
  const L = f.levels.length;
  let fixed = 0;
  for (let base = 0; base < f.q.length; base += L) {
    let crossed = false;
    for (let k = 1; k < L; k++) if (f.q[base + k]! < f.q[base + k - 1]!) crossed = true;
    if (crossed) {
      f.q.subarray(base, base + L).sort();
      fixed++;
    }
  }
  return fixed;
}

/** The demand panel (core Panel view) of a daily panel: what baselines fit on. */
export function demandPanel(daily: DailyPanel): Panel {
  return {
    keys: daily.storeId.map((s, i) => `${s}|${daily.productId[i]}`),
    indptr: daily.indptr,
    start: daily.start,
    values: daily.demand,
  };
}

/** The known values of series i up to and including `end` (NaN kept), as a view. */
export function historyUpTo(panel: Panel, i: number, end: Day): Float32Array {
  const start = panel.start[i]!;
  const len = panel.indptr[i + 1]! - panel.indptr[i]!;
  const n = Math.max(0, Math.min(len, end - start + 1));
  return panel.values.subarray(panel.indptr[i], panel.indptr[i]! + n);
}
