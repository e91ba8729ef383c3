/**
 * Hyperparameter search over a box of numeric dimensions: independent random draws, or the Tree-structured Parzen
 * Estimator (Bergstra et al. 2011, as in hyperopt/Optuna): after a random start, split the trials into the best
 * γ share ("good") and the rest, model each with a Parzen window (Gaussian kernels on the unit cube), draw candidates
 * from the good density and take the one that maximizes good/bad density. Minimizes the objective; seeded.
 */
import { Rng } from "../core/rng.ts";

/** One searched dimension: a range, searched on a log scale when `log`, rounded when `integer`. */
export interface Dimension {
  name: string;
  min: number;
  max: number;
  log: boolean;
  integer: boolean;
}

/** One evaluated point. */
export interface Trial {
  index: number;
  params: Record<string, number>;
  score: number;
}

/** Options of `search`. */
export interface SearchOptions {
  method: "random" | "tpe";
  trials: number;
  seed: number;
  /** Share of trials that count as good in TPE (default 0.25). */
  gamma?: number;
  /** Candidates drawn from the good density per TPE step (default 24). */
  candidates?: number;
  onTrial?: (t: Trial) => void;
}

const unit = (d: Dimension, v: number) => {
  const [lo, hi, x] = d.log ? [Math.log(d.min), Math.log(d.max), Math.log(v)] : [d.min, d.max, v];
  return hi === lo ? 0.5 : (x - lo) / (hi - lo);
};

const fromUnit = (d: Dimension, u: number) => {
  const c = Math.min(1, Math.max(0, u));
  const v = d.log
    ? Math.exp(Math.log(d.min) + c * (Math.log(d.max) - Math.log(d.min)))
    : d.min + c * (d.max - d.min);
  return d.integer ? Math.round(v) : v;
};

/** Log density of a Parzen window (Gaussian kernels of width `bw` around `points`, plus a uniform prior). */
function parzen(points: number[][], x: number[], bw: number): number {
  let sum = 1; // the prior: one uniform "point" on the unit cube keeps every region possible
  for (const p of points) {
    let d2 = 0;
    for (let k = 0; k < x.length; k++) d2 += (x[k]! - p[k]!) ** 2;
    sum += Math.exp(-d2 / (2 * bw * bw)) / (Math.sqrt(2 * Math.PI) * bw) ** x.length;
  }
  return Math.log(sum / (points.length + 1));
}

/** Runs the search; returns every trial in order and the best (lowest score; ties: the earlier). */
export async function search(
  dims: Dimension[],
  objective: (params: Record<string, number>) => Promise<number>,
  o: SearchOptions,
): Promise<{ trials: Trial[]; best: Trial }> {
  for (const d of dims) {
    if (!(d.min <= d.max) || (d.log && d.min <= 0)) {
      throw new RangeError(
        `search range of ${d.name}: need min <= max${d.log ? " and min > 0 on a log scale" : ""}`,
      );
    }
  }
  const rng = new Rng(o.seed);
  const gamma = o.gamma ?? 0.25;
  const startup = o.method === "random" ? o.trials : Math.max(3, Math.ceil(o.trials / 3));
  const trials: Trial[] = [];
  const units: number[][] = [];
  for (let t = 0; t < o.trials; t++) {
    let u: number[];
    if (t < startup) {
      u = dims.map(() => rng.next());
    } else {
      const order = trials.map((_, i) => i).sort((a, b) => trials[a]!.score - trials[b]!.score || a - b);
      const nGood = Math.max(1, Math.ceil(gamma * trials.length));
      const good = order.slice(0, nGood).map((i) => units[i]!);
      const bad = order.slice(nGood).map((i) => units[i]!);
      // Scott-like bandwidth shrinking with the number of good points.
      const bw = Math.max(0.05, 0.5 * good.length ** (-1 / (dims.length + 4)) * 0.5);
      let bestU: number[] = [];
      let bestRatio = Number.NEGATIVE_INFINITY;
      for (let c = 0; c < (o.candidates ?? 24); c++) {
        const centre = good[Math.floor(rng.next() * good.length)]!;
        const cand = centre.map((v) => Math.min(1, Math.max(0, v + bw * rng.normal())));
        const ratio = parzen(good, cand, bw) - parzen(bad, cand, bw);
        if (ratio > bestRatio) {
          bestRatio = ratio;
          bestU = cand;
        }
      }
      u = bestU;
    }
    const params = Object.fromEntries(dims.map((d, k) => [d.name, fromUnit(d, u[k]!)]));
    units.push(dims.map((d) => unit(d, params[d.name]!)));
    const score = await objective(params);
    const trial = { index: t, params, score: Number.isFinite(score) ? score : Number.POSITIVE_INFINITY };
    trials.push(trial);
    o.onTrial?.(trial);
  }
  const best = trials.reduce((a, b) => (b.score < a.score ? b : a));
  return { trials, best };
}
