import type { Day } from "../core/days.ts";
import { emptyForecast, type FitInput, type Fitted, type Forecaster } from "./forecaster.ts";

/**
 * The oracle: forecasts the true quantiles the simulator drew demand from (aligned with the daily panel). No
 * model can beat it in expectation, so a model's loss divided by the oracle's is how far it is from the best
 * possible. Only available on simulated data.
 */
export function oracle(truth: Float32Array[]): Forecaster {
  return {
    name: "oracle",
    async fit(input: FitInput): Promise<Fitted> {
      const daily = input.features!.daily;
      return {
        predict(origin: Day, horizon: number) {
          const L = input.levels.length;
          const n = daily.storeId.length;
          const f = emptyForecast(origin, horizon, input.levels, n, false);
          for (let i = 0; i < n; i++) {
            for (let h = 1; h <= horizon; h++) {
              const t = origin + h - daily.start[i]!;
              const inside = t >= 0 && t < daily.indptr[i + 1]! - daily.indptr[i]!;
              for (let k = 0; k < L; k++) {
                const v = inside ? truth[k]![daily.indptr[i]! + t]! : Number.NaN;
                f.q[(i * horizon + h - 1) * L + k] = Number.isNaN(v) ? 0 : v;
              }
            }
          }
          return f;
        },
      };
    },
  };
}
