import { createRequire } from "node:module";
import type { Day } from "../../core/days.ts";
import { emptyForecast, type FitInput, type Fitted, type Forecaster, historyUpTo } from "../forecaster.ts";
import { gapFree, gaussianQuantiles, poissonFallback } from "./prepare-series.ts";

interface ArimaModel {
  train(ts: number[] | Float64Array): ArimaModel;
  predict(length: number): [number[], number[]];
  destroy(): void;
}
type ArimaCtor = new (options: Record<string, number | boolean>) => ArimaModel;

/** Seasonal ARIMA order (p,d,q)(P,D,Q)s; method 1 is the ctsa estimator that stays stable on counts. */
export interface SarimaOrder {
  p: number;
  d: number;
  q: number;
  P: number;
  D: number;
  Q: number;
  s: number;
  method: number;
}

/**
 * SARIMA per series (the `arima` package: ctsa compiled to WASM), fitted on the last `window` days with gaps
 * filled. Quantiles come from the Gaussian predictive distribution (its variance per step) floored at 0. A series
 * with too little history, or whose fit diverges (non-finite or far beyond its history), falls back to Poisson
 * quantiles of its mean; `fallbacks` on the fitted model counts them.
 */
export function sarima(options: { order?: Partial<SarimaOrder>; window?: number } = {}): Forecaster {
  const order: SarimaOrder = { p: 1, d: 0, q: 1, P: 0, D: 1, Q: 1, s: 7, method: 1, ...options.order };
  const window = options.window ?? 364;
  return {
    name: "sarima",
    async fit({ panel, trainEnd, levels }: FitInput): Promise<Fitted & { fallbacks: number }> {
      const ARIMA = createRequire(import.meta.url)("arima") as ArimaCtor;
      const n = panel.keys.length;
      const histories = Array.from({ length: n }, (_, i) => historyUpTo(panel, i, trainEnd));
      let fallbacks = 0;
      return {
        get fallbacks() {
          return fallbacks;
        },
        predict(origin: Day, horizon: number) {
          const f = emptyForecast(origin, horizon, levels, n, true);
          const L = levels.length;
          fallbacks = 0;
          for (let i = 0; i < n; i++) {
            const h = histories[i]!;
            const last = panel.start[i]! + h.length - 1;
            const steps = origin + horizon - last; // the model forecasts from its last known day
            const y = gapFree(h, window, 4 * order.s);
            let pred: number[] | undefined;
            let variance: number[] | undefined;
            if (y && steps > 0) {
              const model = new ARIMA({ ...order, verbose: false });
              try {
                [pred, variance] = model.train(y).predict(steps);
              } finally {
                model.destroy();
              }
              let max = 0;
              for (const v of y) max = Math.max(max, v);
              const sane = pred.every(
                (v, t) => Number.isFinite(v) && Math.abs(v) <= 10 * max + 10 && variance![t]! >= 0,
              );
              if (!sane) pred = undefined;
            }
            if (!pred || !variance) {
              fallbacks++;
              poissonFallback(f, i, h.subarray(Math.max(0, h.length - window)));
              continue;
            }
            for (let s = 0; s < horizon; s++) {
              const t = steps - horizon + s; // index of day origin+1+s in the model's forecast
              const point = pred[t]!;
              f.mean![i * horizon + s] = Math.max(0, point);
              gaussianQuantiles(point, Math.sqrt(variance[t]!), levels, f.q, (i * horizon + s) * L);
            }
          }
          return f;
        },
      };
    },
  };
}
