import type { Day } from "../../core/days.ts";
import { emptyForecast, type FitInput, type Fitted, type Forecaster, historyUpTo } from "../forecaster.ts";

/**
 * Advanced constant: per series, the empirical quantiles of its known daily values over the last `window` days
 * (a year by default), the same for every horizon. Uses the inverted-CDF quantile, so forecasts are values
 * that occurred (integers for counts), which is what minimises pinball loss on the window.
 */
export function movingQuantiles(options: { window?: number } = {}): Forecaster {
  const window = options.window ?? 364;
  return {
    name: "moving_quantiles",
    async fit({ panel, trainEnd, levels }: FitInput): Promise<Fitted> {
      const n = panel.keys.length;
      const L = levels.length;
      const perSeries = new Float32Array(n * L);
      const means = new Float32Array(n);
      for (let i = 0; i < n; i++) {
        const h = historyUpTo(panel, i, trainEnd);
        const known = Float64Array.from(
          h.subarray(Math.max(0, h.length - window)).filter((v) => !Number.isNaN(v)),
        ).sort();
        let sum = 0;
        for (const v of known) sum += v;
        means[i] = known.length > 0 ? sum / known.length : 0;
        levels.forEach((tau, k) => {
          perSeries[i * L + k] =
            known.length > 0 ? known[Math.max(0, Math.ceil(tau * known.length) - 1)]! : 0;
        });
      }
      return {
        predict(origin: Day, horizon: number) {
          const f = emptyForecast(origin, horizon, levels, n, true);
          for (let i = 0; i < n; i++) {
            for (let s = 0; s < horizon; s++) {
              f.q.set(perSeries.subarray(i * L, (i + 1) * L), (i * horizon + s) * L);
              f.mean![i * horizon + s] = means[i]!;
            }
          }
          return f;
        },
      };
    },
  };
}
