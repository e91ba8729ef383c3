import { identity, type Loss, weightedMean } from "./loss.ts";

/** Squared error 0.5 (raw - y)^2, identity link. */
export function squaredLoss(): Loss {
  return {
    name: "squared",
    constantHessian: true,
    renewQuantile: null,
    params: {},
    init: weightedMean,
    gradHess(y, raw, g, h) {
      for (let i = 0; i < g.length; i++) {
        g[i] = raw[i] - y[i];
        h[i] = 1;
      }
    },
    pointLoss: (y, raw) => 0.5 * (raw - y) * (raw - y),
    transform: identity,
  };
}
