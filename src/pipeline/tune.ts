import type { LearnerSettings, TrainSettings } from "../config/train.ts";
import type { Progress } from "../core/progress.ts";
import { QUANTILES } from "../core/quantiles.ts";
import type { DailyPanel } from "../data/to-panel.ts";
import type { CalendarFlags } from "../features/calendar.ts";
import type { FeatureSettings } from "../features/names.ts";
import type { WeatherIndex } from "../features/weather.ts";
import { evaluate } from "../metrics/evaluate.ts";
import { meanScaledPinballMetric } from "../metrics/pinball.ts";
import { runBacktest } from "../validation/backtest.ts";
import type { Fold } from "../validation/splits.ts";
import { productionForecaster, tailSettingsOf } from "./production-forecaster.ts";
import { type Dimension, search, type Trial } from "./search.ts";

/** What tuning needs: the data, the inner folds to score on, and the run's settings. */
export interface TuneInput {
  daily: DailyPanel;
  calendar: CalendarFlags;
  weather: WeatherIndex | null;
  features: FeatureSettings;
  folds: Fold[];
  horizon: number;
  train: TrainSettings;
  threads: number;
  progress?: Progress;
}

/** The search's record: every trial with its inner-fold score and the winning learner settings. */
export interface TuneResult {
  method: string;
  folds: number;
  trials: Trial[];
  best: Trial;
  learner: LearnerSettings;
}

const SEARCHED = ["learningRate", "maxLeaves", "minDataInLeaf", "featureFraction", "lambdaL2"] as const;
const INTEGER = new Set(["maxLeaves", "minDataInLeaf"]);

/**
 * Searches the learner settings on the inner folds (SPEC §3: tuning never sees an outer test window): each trial
 * fits the six quantile models on every inner fold and scores the mean scaled pinball over the six levels
 * of their test windows; the best trial's settings are returned merged into the configured ones.
 */
export async function tuneLearner(input: TuneInput): Promise<TuneResult> {
  const t = input.train;
  const dims: Dimension[] = SEARCHED.map((name) => ({
    name,
    min: t.tune[name].min,
    max: t.tune[name].max,
    log: t.tune[name].log,
    integer: INTEGER.has(name),
  }));
  let done = 0;
  const objective = async (p: Record<string, number>) => {
    input.progress?.({ step: "tune", done: done++, total: t.tune.trials });
    const table = await runBacktest({
      daily: input.daily,
      calendar: input.calendar,
      settings: input.features,
      weather: input.weather,
      folds: input.folds,
      forecasters: [
        productionForecaster("trial", {
          params: { ...t.learner, ...p },
          threads: input.threads,
          originStep: t.originStep,
          rowSample: t.rowSample,
          validDays: t.validDays,
          tweedie: false,
          censored: t.censored,
          tails: tailSettingsOf(t.tails),
        }),
      ],
      levels: QUANTILES,
      horizon: input.horizon,
      seed: t.seed,
    });
    // The headline metric of every report (no bootstrap: only the point value ranks trials).
    const [score] = evaluate(
      { actual: table.actual, q: table.q, point: table.q[QUANTILES.indexOf(0.5)]!, series: table.series },
      [meanScaledPinballMetric(QUANTILES)],
      { bootstrap: 0 },
    );
    return score!.value;
  };
  const { trials, best } = await search(dims, objective, {
    method: t.tune.method,
    trials: t.tune.trials,
    seed: t.seed,
  });
  input.progress?.({ step: "tune", done: t.tune.trials, total: t.tune.trials });
  return {
    method: t.tune.method,
    folds: input.folds.length,
    trials,
    best,
    learner: { ...t.learner, ...best.params },
  };
}
