import { InputError } from "../../core/errors.ts";
import { type Loss, weightedMean } from "./loss.ts";
import { poissonLoss } from "./poisson.ts";

/**
 * Tweedie negative log-likelihood with log link and variance power p in [1, 2) (p = 1 is Poisson):
 * -y exp((1-p) raw) / (1-p) + exp((2-p) raw) / (2-p), as XGBoost's reg:tweedie.
 */
export function tweedieLoss(p: number): Loss {
  if (!(p >= 1 && p < 2)) {
    throw new InputError(
      `tweedieVariancePower must be in [1, 2), got ${p}; use 1.5 for intermittent demand`,
      {
        column: "tweedieVariancePower",
      },
    );
  }
  if (p === 1) return { ...poissonLoss(), name: "tweedie", params: { tweedieVariancePower: 1 } };
  const a = 1 - p;
  const b = 2 - p;
  return {
    name: "tweedie",
    constantHessian: false,
    renewQuantile: null,
    params: { tweedieVariancePower: p },
    init: (y, w) => Math.log(Math.max(weightedMean(y, w), 1e-12)),
    gradHess(y, raw, g, h) {
      if (a === -b) {
        // p = 1.5 (the usual power): exp(a r) = 1 / exp(b r), one Math.exp per row instead of two (19.7 -> 12.2 ns
        // per row; the Float32 gradients and hessians were identical on a 500k-row sample).
        for (let i = 0; i < g.length; i++) {
          const eb = Math.exp(b * raw[i]);
          const ea = 1 / eb;
          g[i] = -y[i] * ea + eb;
          h[i] = -y[i] * a * ea + b * eb;
        }
        return;
      }
      for (let i = 0; i < g.length; i++) {
        const r = raw[i];
        const ea = Math.exp(a * r);
        const eb = Math.exp(b * r);
        g[i] = -y[i] * ea + eb;
        h[i] = -y[i] * a * ea + b * eb;
      }
    },
    pointLoss: (y, raw) => (-y * Math.exp(a * raw)) / a + Math.exp(b * raw) / b,
    transform: Math.exp,
  };
}
