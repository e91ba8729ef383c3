import type { Day } from "../../core/days.ts";
import { countQuantile, momentSize } from "../count-quantiles.ts";
import { emptyForecast, type FitInput, type Fitted, type Forecaster, historyUpTo } from "../forecaster.ts";

/**
 * Croston's method in the TSB form (Teunter, Syntetos and Babai 2011) for intermittent demand: it smooths the
 * probability of a non-zero day (beta) and the size of non-zero demand (alpha) separately; the mean forecast
 * is their product, flat over the horizon. Unknown days (NaN) are skipped. Quantiles come from a negative
 * binomial with that mean and the series' moment-estimated dispersion (Poisson when not over-dispersed).
 */
export function tsb(options: { alpha?: number; beta?: number; window?: number } = {}): Forecaster {
  const alpha = options.alpha ?? 0.1;
  const beta = options.beta ?? 0.05;
  const window = options.window ?? 364;
  return {
    name: "croston_tsb",
    async fit({ panel, trainEnd, levels }: FitInput): Promise<Fitted> {
      const n = panel.keys.length;
      const mean = new Float32Array(n);
      const size = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        const h = historyUpTo(panel, i, trainEnd);
        let p = Number.NaN;
        let z = Number.NaN;
        for (let t = 0; t < h.length; t++) {
          const y = h[t]!;
          if (Number.isNaN(y)) continue;
          if (Number.isNaN(p)) {
            // Initialise on the first known day.
            p = y > 0 ? 1 : 0;
            z = y > 0 ? y : Number.NaN;
            continue;
          }
          if (y > 0) {
            p += beta * (1 - p);
            z = Number.isNaN(z) ? y : z + alpha * (y - z);
          } else p -= beta * p;
        }
        mean[i] = Number.isNaN(p) || Number.isNaN(z) ? 0 : p * z;
        size[i] = momentSize(h.subarray(Math.max(0, h.length - window)));
      }
      return {
        predict(origin: Day, horizon: number) {
          const f = emptyForecast(origin, horizon, levels, n, true);
          const L = levels.length;
          for (let i = 0; i < n; i++) {
            const qs = levels.map((tau) => countQuantile(mean[i]!, size[i]!, tau));
            for (let s = 0; s < horizon; s++) {
              f.q.set(qs, (i * horizon + s) * L);
              f.mean![i * horizon + s] = mean[i]!;
            }
          }
          return f;
        },
      };
    },
  };
}
