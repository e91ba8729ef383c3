/**
 * Training parameters with their defaults and checks. Names follow LightGBM where one exists; the defaults are
 * LightGBM's except maxLeaves (63 here, the benchmark setting) and minGainToSplit.
 */
import { InputError } from "../core/errors.ts";
import type { Dataset } from "./dataset.ts";
import type { Metric } from "./metrics.ts";
import { defaultThreads } from "./pool.ts";

/** Everything `train` accepts; all optional. */
export interface TrainParams {
  /** Loss name: squared, absolute, quantile, poisson, tweedie (default squared). */
  loss?: string;
  /** Quantile level for loss "quantile" (default 0.5). */
  alpha?: number;
  /** Variance power for loss "tweedie", in [1, 2) (default 1.5). */
  tweedieVariancePower?: number;
  /** Boosting iterations = trees (default 100). */
  iterations?: number;
  /** Shrinkage of every leaf value (default 0.1). */
  learningRate?: number;
  /** Leaves per tree (default 63). */
  maxLeaves?: number;
  /** Largest depth, root = 0; 0 = unlimited (default 0). */
  maxDepth?: number;
  /** Fewest rows in a leaf (default 20). */
  minDataInLeaf?: number;
  /** Smallest hessian sum in a leaf (default 1e-3). */
  minSumHessian?: number;
  /** L2 penalty on leaf values (default 0). */
  lambdaL2?: number;
  /** Smallest gain that makes a split (default 0). */
  minGainToSplit?: number;
  /** Smoothing of categorical grouping: categories sorted by grad / (hess + catSmooth) (default 10). */
  catSmooth?: number;
  /** Fraction of rows in each bag, (0, 1] (default 1 = no bagging). */
  bagFraction?: number;
  /** Redraw the bag every bagFreq iterations (default 1). */
  bagFreq?: number;
  /** Fraction of features each tree may split on, (0, 1] (default 1). */
  featureFraction?: number;
  /** Seed of every random choice (bagging, features, jitter) (default 0). */
  seed?: number;
  /** Per feature (by index, or a name -> direction map): +1 non-decreasing, -1 non-increasing, 0 free. */
  monotone?: readonly number[] | Readonly<Record<string, number>>;
  /** Fit on y + U[0,1) and floor predictions: quantiles of integer counts without ties (default false). */
  countJitter?: boolean;
  /**
   * Histograms from gradients and hessians rounded to small integers (seeded stochastic rounding, LightGBM's
   * use_quantized_grad; see quantize.ts): about 1.6x faster histograms, slightly different trees. Applies to losses
   * with non-constant hessians (default: true for tweedie and poisson; quantile losses are packed exactly anyway).
   */
  quantizedGradients?: boolean;
  /** Validation data for early stopping (binned with the training data as reference). */
  valid?: Dataset;
  /** Metric for early stopping (default: the loss's own). */
  metric?: Metric;
  /** Stop when the validation metric has not improved for this many iterations; 0 = never (default 0). */
  earlyStoppingRounds?: number;
  /** Threads including the calling one (default: available cores). Results do not depend on it. */
  threads?: number;
  /** Called after every iteration (progress, logging). */
  onIteration?: (info: { iteration: number; validScore: number | null }) => void;
}

/** TrainParams with every default filled in and checked. */
export type ResolvedParams = Required<Omit<TrainParams, "valid" | "metric" | "onIteration" | "monotone">> & {
  valid: Dataset | null;
  metric: Metric | null;
  monotone: Int8Array | null;
  onIteration: TrainParams["onIteration"] | null;
};

/** Fills defaults and checks ranges; errors name the parameter and the allowed range. */
export function resolveParams(p: TrainParams, ds: Dataset): ResolvedParams {
  const r: ResolvedParams = {
    loss: p.loss ?? "squared",
    alpha: p.alpha ?? 0.5,
    tweedieVariancePower: p.tweedieVariancePower ?? 1.5,
    iterations: p.iterations ?? 100,
    learningRate: p.learningRate ?? 0.1,
    maxLeaves: p.maxLeaves ?? 63,
    maxDepth: p.maxDepth ?? 0,
    minDataInLeaf: p.minDataInLeaf ?? 20,
    minSumHessian: p.minSumHessian ?? 1e-3,
    lambdaL2: p.lambdaL2 ?? 0,
    minGainToSplit: p.minGainToSplit ?? 0,
    catSmooth: p.catSmooth ?? 10,
    bagFraction: p.bagFraction ?? 1,
    bagFreq: p.bagFreq ?? 1,
    featureFraction: p.featureFraction ?? 1,
    seed: p.seed ?? 0,
    countJitter: p.countJitter ?? false,
    quantizedGradients: p.quantizedGradients ?? (p.loss === "tweedie" || p.loss === "poisson"),
    earlyStoppingRounds: p.earlyStoppingRounds ?? 0,
    threads: p.threads ?? defaultThreads(),
    valid: p.valid ?? null,
    metric: p.metric ?? null,
    monotone: resolveMonotone(p.monotone, ds),
    onIteration: p.onIteration ?? null,
  };
  const check = (name: keyof TrainParams, ok: boolean, range: string) => {
    if (!ok) throw new InputError(`${name} must be ${range}, got ${String(p[name])}`, { column: name });
  };
  const int = Number.isInteger;
  check("iterations", int(r.iterations) && r.iterations >= 0, "an integer >= 0");
  check("learningRate", r.learningRate > 0, "> 0");
  check("maxLeaves", int(r.maxLeaves) && r.maxLeaves >= 2 && r.maxLeaves <= 4096, "an integer in [2, 4096]");
  check("maxDepth", int(r.maxDepth), "an integer (0 = unlimited)");
  check("minDataInLeaf", int(r.minDataInLeaf) && r.minDataInLeaf >= 1, "an integer >= 1");
  check("minSumHessian", r.minSumHessian >= 0, ">= 0");
  check("lambdaL2", r.lambdaL2 >= 0, ">= 0");
  check("minGainToSplit", r.minGainToSplit >= 0, ">= 0");
  check("catSmooth", r.catSmooth >= 0, ">= 0");
  check("bagFraction", r.bagFraction > 0 && r.bagFraction <= 1, "in (0, 1]");
  check("bagFreq", int(r.bagFreq) && r.bagFreq >= 1, "an integer >= 1");
  check("featureFraction", r.featureFraction > 0 && r.featureFraction <= 1, "in (0, 1]");
  check("earlyStoppingRounds", int(r.earlyStoppingRounds) && r.earlyStoppingRounds >= 0, "an integer >= 0");
  check("threads", int(r.threads) && r.threads >= 1 && r.threads <= 256, "an integer in [1, 256]");
  if (r.earlyStoppingRounds > 0 && r.valid === null) {
    throw new InputError("earlyStoppingRounds needs validation data: pass params.valid", { column: "valid" });
  }
  if (r.valid !== null && r.valid.label === null) {
    throw new InputError("validation data has no label; build it with { label, reference }", {
      column: "valid",
    });
  }
  return r;
}

function resolveMonotone(m: TrainParams["monotone"], ds: Dataset): Int8Array | null {
  if (m === undefined) return null;
  const out = new Int8Array(ds.nFeatures);
  const set = (f: number, d: number, name: string) => {
    if (!(d === -1 || d === 0 || d === 1)) {
      throw new InputError(`monotone direction must be -1, 0 or 1, got ${d}`, { column: name });
    }
    if (d !== 0 && ds.mappers[f].kind === "categorical") {
      throw new InputError("a categorical feature cannot have a monotone constraint", { column: name });
    }
    out[f] = d;
  };
  if (Array.isArray(m)) {
    if (m.length !== ds.nFeatures) {
      throw new InputError(`monotone has ${m.length} entries for ${ds.nFeatures} features`, {
        column: "monotone",
      });
    }
    m.forEach((d, f) => {
      set(f, d, ds.featureNames[f]);
    });
  } else {
    for (const [name, d] of Object.entries(m as Record<string, number>)) {
      const f = ds.featureNames.indexOf(name);
      if (f < 0) throw new InputError(`monotone names unknown feature "${name}"`, { column: "monotone" });
      set(f, d, name);
    }
  }
  return out.some((d) => d !== 0) ? out : null;
}
