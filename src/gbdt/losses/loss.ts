/**
 * The loss interface of the learner (ARCHITECTURE.md convention 2): small objects looked up by name that write
 * gradients and hessians into preallocated typed arrays. `raw` is the model's additive score (before the link);
 * `transform` maps it to the prediction scale.
 */
export interface Loss {
  /** Registry name, e.g. "quantile". */
  readonly name: string;
  /** True when the hessian is the same for every row (1), so histograms can treat it as a count. */
  readonly constantHessian: boolean;
  /** When set, leaf values are renewed after the split to this quantile of the residuals y - transform(raw). */
  readonly renewQuantile: number | null;
  /** Parameters that rebuild this loss through `getLoss(name, params)` (saved with a model, sent to workers). */
  readonly params: LossParams;
  /** The best constant raw score for targets y (weights w, or null). */
  init(y: ArrayLike<number>, w: ArrayLike<number> | null): number;
  /** Writes dL/draw into g and d2L/draw2 into h for every row (unweighted; the caller applies weights). */
  gradHess(y: ArrayLike<number>, raw: ArrayLike<number>, g: Float32Array, h: Float32Array): void;
  /** Pointwise loss at one row, consistent with gradHess (used by finite-difference tests and as a metric). */
  pointLoss(y: number, raw: number): number;
  /** Raw score to prediction (identity or exp). */
  transform(raw: number): number;
}

/** The identity link (Loss.transform of the losses whose prediction is the raw score). */
export function identity(raw: number): number {
  return raw;
}

/** Parameters some losses take; unused ones are ignored. */
export interface LossParams {
  /** Quantile level in (0, 1) for the quantile loss. */
  alpha?: number;
  /** Tweedie variance power in [1, 2). */
  tweedieVariancePower?: number;
}

/** Weighted mean of y (weights may be null). */
export function weightedMean(y: ArrayLike<number>, w: ArrayLike<number> | null): number {
  let s = 0;
  let sw = 0;
  for (let i = 0; i < y.length; i++) {
    const wi = w === null ? 1 : w[i];
    s += wi * y[i];
    sw += wi;
  }
  return sw > 0 ? s / sw : 0;
}
