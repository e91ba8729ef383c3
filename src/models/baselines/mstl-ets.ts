import { readFileSync } from "node:fs";
import { ets, initSync } from "@bsull/augurs/mstl";
import type { Day } from "../../core/days.ts";
import { normalQuantile } from "../../core/normal.ts";
import { emptyForecast, type FitInput, type Fitted, type Forecaster, historyUpTo } from "../forecaster.ts";
import { gapFree, gaussianQuantiles, poissonFallback } from "./prepare-series.ts";

let initialised = false;
/** augurs ships WASM that Node must be handed as bytes (its default loader fetches a URL). */
function initAugurs(): void {
  if (initialised) return;
  initSync({ module: readFileSync(new URL("./mstl_bg.wasm", import.meta.resolve("@bsull/augurs/mstl"))) });
  initialised = true;
}

/** Level of the interval asked from augurs; the Gaussian sd is recovered from its half-width. */
const INTERVAL = 0.8;

/**
 * MSTL with an AutoETS trend (augurs): weekly (and, with enough history, yearly) seasonal components removed by
 * STL, exponential smoothing on the rest. Quantiles from the Gaussian predictive distribution implied by augurs'
 * prediction intervals, floored at 0; series with too little history fall back to Poisson quantiles of their mean.
 */
export function mstlEts(options: { window?: number; periods?: number[] } = {}): Forecaster {
  const window = options.window ?? 364;
  const periods = options.periods ?? [7];
  return {
    name: "mstl_ets",
    async fit({ panel, trainEnd, levels }: FitInput): Promise<Fitted> {
      initAugurs();
      const n = panel.keys.length;
      const histories = Array.from({ length: n }, (_, i) => historyUpTo(panel, i, trainEnd));
      const z = normalQuantile(0.5 + INTERVAL / 2);
      return {
        predict(origin: Day, horizon: number) {
          const f = emptyForecast(origin, horizon, levels, n, true);
          const L = levels.length;
          for (let i = 0; i < n; i++) {
            const h = histories[i]!;
            const last = panel.start[i]! + h.length - 1;
            const steps = origin + horizon - last;
            const y = gapFree(h, window, 3 * Math.max(...periods));
            if (!y || steps <= 0) {
              poissonFallback(f, i, h.subarray(Math.max(0, h.length - window)));
              continue;
            }
            const model = ets(periods, {});
            let point: number[];
            let upper: number[];
            try {
              model.fit(y);
              const fc = model.predict(steps, INTERVAL);
              point = fc.point;
              upper = fc.intervals?.upper ?? fc.point;
            } finally {
              model.free();
            }
            for (let s = 0; s < horizon; s++) {
              const t = steps - horizon + s;
              const sd = Math.max(0, (upper[t]! - point[t]!) / z);
              f.mean![i * horizon + s] = Math.max(0, point[t]!);
              gaussianQuantiles(point[t]!, sd, levels, f.q, (i * horizon + s) * L);
            }
          }
          return f;
        },
      };
    },
  };
}
