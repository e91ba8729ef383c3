import { type Loss, weightedMean } from "./loss.ts";

/** Poisson negative log-likelihood exp(raw) - y raw, log link. */
export function poissonLoss(): Loss {
  return {
    name: "poisson",
    constantHessian: false,
    renewQuantile: null,
    params: {},
    init: (y, w) => Math.log(Math.max(weightedMean(y, w), 1e-12)),
    gradHess(y, raw, g, h) {
      for (let i = 0; i < g.length; i++) {
        const mu = Math.exp(raw[i]);
        g[i] = mu - y[i];
        h[i] = mu;
      }
    },
    pointLoss: (y, raw) => Math.exp(raw) - y * raw,
    transform: Math.exp,
  };
}
