import type { Day } from "../core/days.ts";
import type { Booster } from "../gbdt/booster.ts";
import type { TrainParams } from "../gbdt/params.ts";
import { train } from "../gbdt/train.ts";
import { type FeatureModelOptions, forecastMatrix, trainingData } from "./feature-model-data.ts";
import {
  emptyForecast,
  type FitInput,
  type Fitted,
  type Forecaster,
  type QuantileForecast,
} from "./forecaster.ts";

/** Learner settings used unless overridden: quick enough for 5-fold backtests on a laptop-sized machine. */
export const DEFAULT_GBDT_PARAMS: TrainParams = {
  iterations: 300,
  learningRate: 0.08,
  maxLeaves: 63,
  minDataInLeaf: 40,
  lambdaL2: 1,
  featureFraction: 0.8,
  bagFraction: 0.7,
  earlyStoppingRounds: 30,
  // Counts: fit the quantile of y + U[0,1) and floor it, which is exactly the quantile of y (an integer), so
  // P(y < q) <= tau <= P(y <= q) holds instead of a continuous value falling between two counts.
  countJitter: true,
  // Demand must not rise with its own price.
  monotone: { price: -1, price_rel_mean_w28: -1, price_rel_mean_w91: -1 },
};

/**
 * The main model: one global gradient-boosted tree model per quantile level, trained with pinball loss on
 * features as of each origin (direct multi-horizon: the horizon is a feature), early stopping on the most
 * recent part of the training window.
 */
export function gbdtQuantile(
  options: FeatureModelOptions & { params?: TrainParams; threads?: number } = {},
): Forecaster {
  return {
    name: "gbdt_quantile",
    async fit(input: FitInput): Promise<Fitted & { boosters: Booster[] }> {
      const data = trainingData(input, options);
      const boosters: Booster[] = [];
      for (const [k, tau] of input.levels.entries()) {
        boosters.push(
          await train(data.train, {
            ...DEFAULT_GBDT_PARAMS,
            ...options.params,
            loss: "quantile",
            alpha: tau,
            valid: data.valid ?? undefined,
            earlyStoppingRounds: data.valid ? (options.params?.earlyStoppingRounds ?? 30) : 0,
            seed: input.seed + k,
            threads: options.threads,
          }),
        );
      }
      return {
        boosters,
        predict(origin: Day, horizon: number): QuantileForecast {
          const { rows, matrix } = forecastMatrix(input, origin, horizon);
          const L = input.levels.length;
          const f = emptyForecast(origin, horizon, input.levels, input.panel.keys.length, false);
          boosters.forEach((b, k) => {
            const pred = b.predict(matrix.columns);
            for (let r = 0; r < pred.length; r++) {
              const at = (rows.series[r]! * horizon + rows.horizon[r]! - 1) * L + k;
              f.q[at] = Math.max(0, pred[r]!);
            }
          });
          return f;
        },
      };
    },
  };
}
