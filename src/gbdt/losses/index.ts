import { InputError } from "../../core/errors.ts";
import type { Loss, LossParams } from "./loss.ts";
import { poissonLoss } from "./poisson.ts";
import { absoluteLoss, quantileLoss } from "./quantile.ts";
import { squaredLoss } from "./squared.ts";
import { tweedieLoss } from "./tweedie.ts";

export type { Loss, LossParams } from "./loss.ts";
export { identity } from "./loss.ts";

const REGISTRY: Record<string, (p: LossParams) => Loss> = {
  squared: () => squaredLoss(),
  absolute: () => absoluteLoss(),
  quantile: (p) => {
    const alpha = p.alpha ?? 0.5;
    if (!(alpha > 0 && alpha < 1)) {
      throw new InputError(`quantile alpha must be in (0, 1), got ${alpha}`, { column: "alpha" });
    }
    return quantileLoss(alpha);
  },
  poisson: () => poissonLoss(),
  tweedie: (p) => tweedieLoss(p.tweedieVariancePower ?? 1.5),
};

/** Names of the registered losses. */
export const LOSS_NAMES: readonly string[] = Object.keys(REGISTRY);

/** The loss registered under `name`, built with `params`. */
export function getLoss(name: string, params: LossParams = {}): Loss {
  const make = REGISTRY[name];
  if (make === undefined) {
    throw new InputError(`unknown loss "${name}"; use one of ${LOSS_NAMES.join(", ")}`, { column: "loss" });
  }
  return make(params);
}
