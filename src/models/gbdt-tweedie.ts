import type { Day } from "../core/days.ts";
import type { Booster } from "../gbdt/booster.ts";
import type { TrainParams } from "../gbdt/params.ts";
import { train } from "../gbdt/train.ts";
import { countQuantile } from "./count-quantiles.ts";
import { type FeatureModelOptions, forecastMatrix, trainingData } from "./feature-model-data.ts";
import {
  emptyForecast,
  type FitInput,
  type Fitted,
  type Forecaster,
  type QuantileForecast,
} from "./forecaster.ts";
import { DEFAULT_GBDT_PARAMS } from "./gbdt-quantile.ts";

/**
 * The second line of experiment: one GBDT with Tweedie loss (log link) forecasting the mean, and quantiles from a
 * negative binomial around it whose size (dispersion) is estimated per segment (the finest category level the
 * data has) by the method of moments on the holdout: Var(y) = mu + mu^2 / r.
 */
export function gbdtTweedie(
  options: FeatureModelOptions & { params?: TrainParams; variancePower?: number; threads?: number } = {},
): Forecaster {
  return {
    name: "gbdt_tweedie",
    async fit(input: FitInput): Promise<Fitted & { booster: Booster; sizes: Float64Array }> {
      const data = trainingData(input, options);
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
      const segment = segmentOf(input);
      const nSegments = Math.max(1, ...segment) + 1;
      // Moments on the holdout rows (or all rows when there is no holdout).
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
      return {
        booster,
        sizes,
        predict(origin: Day, horizon: number): QuantileForecast {
          const { rows, matrix } = forecastMatrix(input, origin, horizon);
          const L = input.levels.length;
          const f = emptyForecast(origin, horizon, input.levels, daily.storeId.length, true);
          const pred = booster.predict(matrix.columns);
          for (let r = 0; r < pred.length; r++) {
            const cell = rows.series[r]! * horizon + rows.horizon[r]! - 1;
            const mean = Math.max(0, pred[r]!);
            f.mean![cell] = mean;
            const size = sizes[segment[rows.series[r]!]!]!;
            for (let k = 0; k < L; k++) f.q[cell * L + k] = countQuantile(mean, size, input.levels[k]!);
          }
          return f;
        },
      };
    },
  };
}

/** Segment of each series for the dispersion: its finest category level present (all 0 when none). */
function segmentOf(input: FitInput): Int32Array {
  const daily = input.features!.daily;
  const level = ["category_l3", "category_l2", "category_l1"]
    .map((name) => daily.categoricals.find((c) => c.name === name))
    .find((c) => c !== undefined);
  return level ? Int32Array.from(level.codes, (c) => Math.max(0, c)) : new Int32Array(daily.storeId.length);
}
