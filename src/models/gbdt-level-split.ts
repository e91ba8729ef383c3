import type { Day } from "../core/days.ts";
import { emptyForecast, type FitInput, type Fitted, type Forecaster } from "./forecaster.ts";

/**
 * One forecaster for the lower quantile levels and another for the upper ones (levels >= `from`), each fitted
 * on the levels it serves, their quantiles put side by side (crossings are sorted by the backtest like any
 * model's). On M5 the training data that suits the upper quantiles (likely-stockout zero runs left out, which
 * lifts them) hurts the lower ones, so each half gets its own data.
 */
export function levelSplit(name: string, lower: Forecaster, upper: Forecaster, from: number): Forecaster {
  return {
    name,
    async fit(input: FitInput): Promise<Fitted> {
      const lowLevels = input.levels.filter((l) => l < from);
      const highLevels = input.levels.filter((l) => l >= from);
      const parts: { levels: readonly number[]; fitted: Fitted }[] = [];
      if (lowLevels.length > 0)
        parts.push({ levels: lowLevels, fitted: await lower.fit({ ...input, levels: lowLevels }) });
      if (highLevels.length > 0)
        parts.push({ levels: highLevels, fitted: await upper.fit({ ...input, levels: highLevels }) });
      return {
        async predict(origin: Day, horizon: number) {
          const out = emptyForecast(origin, horizon, input.levels, input.panel.keys.length, false);
          const L = input.levels.length;
          for (const part of parts) {
            const f = await part.fitted.predict(origin, horizon);
            const at = part.levels.map((l) => input.levels.indexOf(l));
            const P = part.levels.length;
            for (let cell = 0; cell < out.q.length / L; cell++) {
              for (let k = 0; k < P; k++) out.q[cell * L + at[k]!] = f.q[cell * P + k]!;
            }
          }
          return out;
        },
      };
    },
  };
}
