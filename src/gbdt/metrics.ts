/**
 * Evaluation metrics for early stopping. Each states its direction (ARCHITECTURE.md convention 3) so early
 * stopping reads "better" from the metric, never from its name. Any object of this shape works, including the
 * metric objects of src/metrics (gbdt may not import them, so the interface is structural).
 */
import type { Loss } from "./losses/index.ts";

/** A metric over predictions on the prediction scale (after the link). */
export interface Metric {
  readonly name: string;
  readonly higherIsBetter: boolean;
  evaluate(y: ArrayLike<number>, pred: ArrayLike<number>, w: ArrayLike<number> | null): number;
}

function mean(
  y: ArrayLike<number>,
  pred: ArrayLike<number>,
  w: ArrayLike<number> | null,
  f: (y: number, p: number) => number,
): number {
  let s = 0;
  let sw = 0;
  for (let i = 0; i < y.length; i++) {
    const wi = w === null ? 1 : w[i];
    s += wi * f(y[i], pred[i]);
    sw += wi;
  }
  return sw > 0 ? s / sw : 0;
}

/** Mean pinball loss at level alpha. */
export function pinballMetric(alpha: number): Metric {
  return {
    name: `pinball@${alpha}`,
    higherIsBetter: false,
    evaluate: (y, p, w) => mean(y, p, w, (a, b) => (a >= b ? alpha * (a - b) : (1 - alpha) * (b - a))),
  };
}

/** Mean Poisson deviance (predictions floored at 1e-9). */
export const poissonDeviance: Metric = {
  name: "poisson-deviance",
  higherIsBetter: false,
  evaluate: (y, p, w) =>
    mean(y, p, w, (a, b) => {
      const m = Math.max(b, 1e-9);
      return 2 * ((a > 0 ? a * Math.log(a / m) : 0) - (a - m));
    }),
};

/** Root mean squared error. */
export const rmse: Metric = {
  name: "rmse",
  higherIsBetter: false,
  evaluate: (y, p, w) => Math.sqrt(mean(y, p, w, (a, b) => (a - b) * (a - b))),
};

/** Mean absolute error. */
export const mae: Metric = {
  name: "mae",
  higherIsBetter: false,
  evaluate: (y, p, w) => mean(y, p, w, (a, b) => Math.abs(a - b)),
};

/** Mean Tweedie deviance with variance power p in (1, 2). */
export function tweedieDeviance(p: number): Metric {
  return {
    name: `tweedie-deviance@${p}`,
    higherIsBetter: false,
    evaluate: (y, pr, w) =>
      mean(y, pr, w, (a, b) => {
        const m = Math.max(b, 1e-9);
        const t1 = a > 0 ? a ** (2 - p) / ((1 - p) * (2 - p)) : 0;
        return 2 * (t1 - (a * m ** (1 - p)) / (1 - p) + m ** (2 - p) / (2 - p));
      }),
  };
}

/** The metric that matches a loss (used for early stopping when none is given). */
export function defaultMetric(loss: Loss): Metric {
  switch (loss.name) {
    case "quantile":
      return pinballMetric(loss.params.alpha ?? 0.5);
    case "absolute":
      return mae;
    case "poisson":
      return poissonDeviance;
    case "tweedie": {
      const p = loss.params.tweedieVariancePower ?? 1.5;
      return p === 1 ? poissonDeviance : tweedieDeviance(p);
    }
    default:
      return rmse;
  }
}
