import type { Day } from "../core/days.ts";
import type { Booster } from "../gbdt/booster.ts";
import { type FeatureModelOptions, forecastMatrix, selectRows, trainingData } from "./feature-model-data.ts";
import {
  emptyForecast,
  type FitInput,
  type Fitted,
  type Forecaster,
  type QuantileForecast,
} from "./forecaster.ts";
import { fitQuantileBoosters, type GbdtFitOptions, predictQuantilesInto } from "./gbdt-quantile.ts";

/** Default buckets: the first week, the second week, the rest of the 28 days. */
export const DEFAULT_HORIZON_BUCKETS: readonly (readonly [number, number])[] = [
  [1, 7],
  [8, 14],
  [15, 28],
];

/**
 * The other direct multi-horizon strategy (docs/forecasting.md compares the two): one set of six quantile models
 * per horizon bucket, each trained only on its bucket's horizons, instead of one set for all horizons with the
 * horizon as a feature. Same features, learner and training rows otherwise.
 */
export function gbdtHorizonBuckets(
  options: FeatureModelOptions &
    GbdtFitOptions & { buckets?: readonly (readonly [number, number])[]; name?: string } = {},
): Forecaster {
  const buckets = options.buckets ?? DEFAULT_HORIZON_BUCKETS;
  return {
    name: options.name ?? "gbdt_quantile_hbuckets",
    async fit(input: FitInput): Promise<Fitted> {
      const sets: { lo: number; hi: number; boosters: Booster[] }[] = [];
      for (const [lo, hi] of buckets) {
        if (lo > input.horizon) break;
        const top = Math.min(hi, input.horizon);
        const data = await trainingData({ ...input, horizon: top }, { ...options, minHorizon: lo });
        sets.push({
          lo,
          hi: top,
          boosters: await fitQuantileBoosters(data, input.levels, input.seed, options),
        });
      }
      return {
        async predict(origin: Day, horizon: number): Promise<QuantileForecast> {
          const { rows, matrix } = forecastMatrix(input, origin, horizon);
          const f = emptyForecast(origin, horizon, input.levels, input.panel.keys.length, false);
          for (const { lo, hi, boosters } of sets) {
            const idx: number[] = [];
            for (let r = 0; r < rows.horizon.length; r++) {
              if (rows.horizon[r]! >= lo && rows.horizon[r]! <= hi) idx.push(r);
            }
            const sub = selectRows(matrix, idx);
            await predictQuantilesInto(f, boosters, sub.rows, sub.columns);
          }
          return f;
        },
      };
    },
  };
}
