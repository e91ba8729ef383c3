import type { Day } from "../core/days.ts";
import type { DailyPanel } from "../data/to-panel.ts";
import type { FeatureRows } from "../features/build.ts";
import type { Booster } from "../gbdt/booster.ts";
import type { FeatureInput } from "../gbdt/dataset.ts";
import { train } from "../gbdt/train.ts";
import { countQuantile } from "./count-quantiles.ts";
import {
  type FeatureModelOptions,
  forecastMatrix,
  type TrainingData,
  trainingData,
} from "./feature-model-data.ts";
import {
  emptyForecast,
  type FitInput,
  type Fitted,
  type Forecaster,
  type QuantileForecast,
} from "./forecaster.ts";
import { DEFAULT_GBDT_PARAMS, type GbdtFitOptions } from "./gbdt-quantile.ts";

/** A fitted Tweedie mean model: the booster, the attribute whose codes are the segments, and each segment's size. */
export interface TweedieFit {
  booster: Booster;
  /** Categorical attribute defining the dispersion segments (null: one segment). */
  segmentAttribute: string | null;
  /** NB size per segment code (Infinity: Poisson, no over-dispersion seen). */
  sizes: Float64Array;
}

/**
 * Fits the Tweedie booster on prepared training data and the NB dispersion per segment (method of moments on the
 * holdout rows, or all rows without a holdout). The one fitting path of `gbdtTweedie` and the production model.
 */
export async function fitTweedie(
  input: FitInput,
  data: TrainingData,
  options: GbdtFitOptions & { variancePower?: number },
): Promise<TweedieFit> {
  const booster = await train(data.train, {
    ...DEFAULT_GBDT_PARAMS,
    ...options.params,
    loss: "tweedie",
    countJitter: false, // a mean, not a quantile: never floored
    tweedieVariancePower: options.variancePower ?? 1.5,
    valid: data.valid ?? undefined,
    earlyStoppingRounds: data.valid ? (options.params?.earlyStoppingRounds ?? 30) : 0,
    seed: input.seed,
    threads: options.threads,
  });
  const daily = input.features!.daily;
  const segmentAttribute = segmentAttributeOf(daily);
  const segment = segmentCodes(daily, segmentAttribute);
  const nSegments = Math.max(1, ...segment) + 1;
  const m = data.trainMatrix;
  const mu = booster.predict(m.columns);
  const useAll = !data.validMask.includes(1);
  const sumMu2 = new Float64Array(nSegments);
  const sumExcess = new Float64Array(nSegments);
  for (let r = 0; r < mu.length; r++) {
    if (!useAll && !data.validMask[r]) continue;
    const s = segment[m.rows.series[r]!]!;
    const y = m.target[r]!;
    sumMu2[s] += mu[r]! * mu[r]!;
    sumExcess[s] += (y - mu[r]!) ** 2 - mu[r]!;
  }
  const sizes = Float64Array.from(sumMu2, (v, s) =>
    sumExcess[s]! > 0 ? v / sumExcess[s]! : Number.POSITIVE_INFINITY,
  );
  return { booster, segmentAttribute, sizes };
}

/**
 * Writes the Tweedie mean and (unless `meanOnly`) its NB quantiles on forecast rows into a forecast block (which
 * must have `mean`). Series of a segment the fit never saw get the Poisson quantiles.
 */
export async function predictTweedieInto(
  f: QuantileForecast,
  fit: TweedieFit,
  daily: DailyPanel,
  rows: FeatureRows,
  x: FeatureInput,
  threads = 1,
  meanOnly = false,
): Promise<void> {
  const L = meanOnly ? 0 : f.levels.length;
  const segment = segmentCodes(daily, fit.segmentAttribute);
  const pred = threads > 1 ? await fit.booster.predictParallel(x, { threads }) : fit.booster.predict(x);
  for (let r = 0; r < pred.length; r++) {
    const cell = rows.series[r]! * f.horizon + rows.horizon[r]! - 1;
    const mean = Math.max(0, pred[r]!);
    f.mean![cell] = mean;
    const size = fit.sizes[segment[rows.series[r]!]!] ?? Number.POSITIVE_INFINITY;
    for (let k = 0; k < L; k++) f.q[cell * L + k] = countQuantile(mean, size, f.levels[k]!);
  }
}

/**
 * The second line of experiment: one GBDT with Tweedie loss (log link) forecasting the mean, and quantiles from a
 * negative binomial around it whose size (dispersion) is estimated per segment (the finest category level the
 * data has) by the method of moments on the holdout: Var(y) = mu + mu^2 / r.
 */
export function gbdtTweedie(
  options: FeatureModelOptions & GbdtFitOptions & { variancePower?: number } = {},
): Forecaster {
  return {
    name: "gbdt_tweedie",
    async fit(input: FitInput): Promise<Fitted & { booster: Booster; sizes: Float64Array }> {
      const fit = await fitTweedie(input, await trainingData(input, options), options);
      const daily = input.features!.daily;
      return {
        booster: fit.booster,
        sizes: fit.sizes,
        async predict(origin: Day, horizon: number): Promise<QuantileForecast> {
          const { rows, matrix } = forecastMatrix(input, origin, horizon);
          const f = emptyForecast(origin, horizon, input.levels, daily.storeId.length, true);
          await predictTweedieInto(f, fit, daily, rows, matrix.columns);
          return f;
        },
      };
    },
  };
}

/** The finest category level the panel has (the dispersion segments), or null when it has none. */
function segmentAttributeOf(daily: DailyPanel): string | null {
  return (
    ["category_l3", "category_l2", "category_l1"].find((name) =>
      daily.categoricals.some((c) => c.name === name),
    ) ?? null
  );
}

/** Segment of each series for the dispersion: its code of the segment attribute (0 when unknown or none). */
function segmentCodes(daily: DailyPanel, attribute: string | null): Int32Array {
  const level = attribute === null ? undefined : daily.categoricals.find((c) => c.name === attribute);
  return level ? Int32Array.from(level.codes, (c) => Math.max(0, c)) : new Int32Array(daily.storeId.length);
}
