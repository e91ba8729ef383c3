import type { Progress } from "../core/progress.ts";
import type { DailyPanel } from "../data/to-panel.ts";
import type { CalendarFlags } from "../features/calendar.ts";
import type { FeatureSettings } from "../features/names.ts";
import type { WeatherIndex } from "../features/weather.ts";
import { demandPanel, type Forecaster, fixCrossing } from "../models/forecaster.ts";
import type { Fold } from "./splits.ts";

/**
 * The long cross-validation table: one row per (fold, model, series, target day) where the actual is known
 * demand. Quantiles are one column per level; `mean` is NaN where the model has none.
 */
export interface CvTable {
  models: string[];
  levels: readonly number[];
  folds: Fold[];
  fold: Int32Array;
  model: Int32Array;
  series: Int32Array;
  origin: Int32Array;
  horizon: Int32Array;
  actual: Float32Array;
  /** Price on the target day (weights of price-weighted metrics); NaN where unknown. */
  price: Float32Array;
  q: Float32Array[];
  mean: Float32Array;
  /** Per model: forecast rows whose quantiles crossed and were sorted. */
  crossings: number[];
  /** Per model: seconds spent fitting and predicting, summed over folds. */
  seconds: number[];
  /** What `actual` is: observed demand (stockout days unscored) or the simulator's true demand (all days). */
  actualSource: "observed" | "truth";
}

/** Inputs of a backtest. */
export interface BacktestInput {
  daily: DailyPanel;
  calendar: CalendarFlags;
  settings: FeatureSettings;
  weather?: WeatherIndex | null;
  folds: Fold[];
  forecasters: Forecaster[];
  levels: readonly number[];
  horizon: number;
  seed: number;
  /**
   * The demand to score against, aligned with the daily panel. Default: observed demand (NaN on stockout
   * and not-in-assortment days, which are then not scored). On simulated data pass the true demand: a
   * stockout hides high demand, so scoring only uncensored days favours models biased low.
   */
  truthDemand?: Float32Array;
  progress?: Progress;
}

/**
 * Fits every model on every fold's training window and forecasts its test window, through the same
 * fit/predict that production uses (mlforecast's cross_validation), and collects the long CV table.
 */
export async function runBacktest(input: BacktestInput): Promise<CvTable> {
  const { daily, folds, forecasters, levels, horizon } = input;
  const panel = demandPanel(daily);
  const nSeries = daily.storeId.length;
  const target = input.truthDemand ?? daily.demand;
  // Scored: in assortment and a known target (true demand is known on stockout days too).
  const scored = (j: number) => daily.inAssortment[j] === 1 && !Number.isNaN(target[j]!);
  // Rows with a known actual, per fold (the same for every model).
  const cells = folds.map((f) => {
    const out: number[] = [];
    for (let i = 0; i < nSeries; i++) {
      for (let h = 1; h <= horizon; h++) {
        const t = f.origin + h - daily.start[i]!;
        if (t >= 0 && t < daily.indptr[i + 1]! - daily.indptr[i]! && scored(daily.indptr[i]! + t)) {
          out.push(i * horizon + h - 1);
        }
      }
    }
    return out;
  });
  const perModel = cells.reduce((s, c) => s + c.length, 0);
  const n = perModel * forecasters.length;
  const table: CvTable = {
    models: forecasters.map((f) => f.name),
    levels,
    folds,
    fold: new Int32Array(n),
    model: new Int32Array(n),
    series: new Int32Array(n),
    origin: new Int32Array(n),
    horizon: new Int32Array(n),
    actual: new Float32Array(n),
    price: new Float32Array(n),
    q: levels.map(() => new Float32Array(n)),
    mean: new Float32Array(n),
    crossings: forecasters.map(() => 0),
    seconds: forecasters.map(() => 0),
    actualSource: input.truthDemand ? "truth" : "observed",
  };
  const L = levels.length;
  let r = 0;
  const steps = folds.length * forecasters.length;
  let done = 0;
  for (const [k, fold] of folds.entries()) {
    for (const [m, forecaster] of forecasters.entries()) {
      input.progress?.({ step: `backtest ${forecaster.name}`, done, total: steps });
      const t0 = performance.now();
      const fitted = await forecaster.fit({
        panel,
        trainStart: fold.trainStart,
        trainEnd: fold.trainEnd,
        horizon,
        levels,
        seed: input.seed,
        features: { daily, calendar: input.calendar, settings: input.settings, weather: input.weather },
      });
      const f = await fitted.predict(fold.origin, horizon);
      table.crossings[m]! += fixCrossing(f);
      table.seconds[m]! += (performance.now() - t0) / 1000;
      for (const cell of cells[k]!) {
        const i = Math.floor(cell / horizon);
        const h = (cell % horizon) + 1;
        const j = daily.indptr[i]! + fold.origin + h - daily.start[i]!;
        table.fold[r] = k;
        table.model[r] = m;
        table.series[r] = i;
        table.origin[r] = fold.origin;
        table.horizon[r] = h;
        table.actual[r] = target[j]!;
        table.price[r] = daily.price[j]!;
        for (let l = 0; l < L; l++) table.q[l]![r] = f.q[cell * L + l]!;
        table.mean[r] = f.mean ? f.mean[cell]! : Number.NaN;
        r++;
      }
      done++;
    }
  }
  input.progress?.({ step: "backtest", done, total: steps });
  return table;
}
