import type { Day } from "../../core/days.ts";
import { quantileSorted } from "../../core/stats.ts";
import { emptyForecast, type FitInput, type Fitted, type Forecaster, historyUpTo } from "../forecaster.ts";

/**
 * Seasonal naive: the value of the same weekday in the last known week (t-7k for k weeks ahead). Its quantiles
 * add the empirical quantiles of the series' weekly differences y_t - y_{t-7} over the last `window` days,
 * widened by sqrt(k) as a random walk would be, and floored at 0.
 */
export function seasonalNaive(options: { window?: number } = {}): Forecaster {
  const window = options.window ?? 364;
  return {
    name: "seasonal_naive",
    async fit({ panel, trainEnd, levels }: FitInput): Promise<Fitted> {
      const n = panel.keys.length;
      const offsets = new Float32Array(n * levels.length);
      for (let i = 0; i < n; i++) {
        const h = historyUpTo(panel, i, trainEnd);
        const diffs: number[] = [];
        for (let t = Math.max(7, h.length - window); t < h.length; t++) {
          const d = h[t]! - h[t - 7]!;
          if (!Number.isNaN(d)) diffs.push(d);
        }
        const sorted = Float64Array.from(diffs).sort();
        levels.forEach((tau, k) => {
          offsets[i * levels.length + k] = sorted.length > 0 ? quantileSorted(sorted, tau) : 0;
        });
      }
      return {
        predict(origin: Day, horizon: number) {
          const f = emptyForecast(origin, horizon, levels, n, false);
          for (let i = 0; i < n; i++) {
            const h = historyUpTo(panel, i, trainEnd);
            const last = panel.start[i]! + h.length - 1; // last known day of the series
            for (let s = 0; s < horizon; s++) {
              const day = origin + 1 + s;
              const weeks = Math.max(1, Math.ceil((day - last) / 7));
              let t = day - 7 * weeks - panel.start[i]!;
              while (t >= 0 && Number.isNaN(h[t]!)) t -= 7; // skip unknown weeks (stockouts, gaps)
              const point = t >= 0 ? h[t]! : 0;
              const widen = Math.sqrt(weeks);
              for (let k = 0; k < levels.length; k++) {
                f.q[(i * horizon + s) * levels.length + k] = Math.max(
                  0,
                  point + widen * offsets[i * levels.length + k]!,
                );
              }
            }
          }
          return f;
        },
      };
    },
  };
}
