import type { Day } from "../core/days.ts";
import { Rng } from "../core/rng.ts";
import { type FeatureModelOptions, forecastMatrix, trainingMatrix } from "./feature-model-data.ts";
import {
  emptyForecast,
  type FitInput,
  type Fitted,
  type Forecaster,
  type QuantileForecast,
} from "./forecaster.ts";

/** The lag/rolling features the linear baseline regresses on (a subset of the feature matrix). */
export const LINEAR_FEATURES = [
  "demand_lag1",
  "demand_lag7",
  "demand_mean_w7",
  "demand_mean_w28",
  "demand_mean_w91",
  "demand_same_weekday_mean_4w",
  "demand_q50_w28",
  "demand_q90_w28",
  "on_promo",
  "discount_depth",
  "event",
] as const;

/**
 * Linear quantile regression on lag and rolling features, one coefficient vector per level, fitted by
 * iteratively reweighted least squares on the pinball loss (a subsample of at most `maxRows` training rows).
 * Missing feature values are imputed by the training mean.
 */
export function linearQuantile(
  options: FeatureModelOptions & { maxRows?: number; iterations?: number } = {},
): Forecaster {
  return {
    name: "linear_quantile",
    async fit(input: FitInput): Promise<Fitted> {
      // Only the raw matrix: no holdout and no binning (that is for the trees).
      const m = await trainingMatrix(input, options);
      const cols = LINEAR_FEATURES.map((name) => m.names.indexOf(name)).filter((i) => i >= 0);
      const rng = new Rng(input.seed);
      const all = Array.from({ length: m.target.length }, (_, r) => r);
      const rows =
        all.length > (options.maxRows ?? 100_000)
          ? rng.shuffle(all).slice(0, options.maxRows ?? 100_000)
          : all;
      const p = cols.length + 1;
      const means = cols.map((c) => meanOf(m.columns[c]!, rows));
      const design = (get: (c: number) => number, out: Float64Array) => {
        out[0] = 1;
        cols.forEach((c, j) => {
          const v = get(c);
          out[j + 1] = Number.isNaN(v) ? means[j]! : v;
        });
      };
      const X = new Float64Array(rows.length * p);
      const y = new Float64Array(rows.length);
      const x = new Float64Array(p);
      rows.forEach((r, k) => {
        design((c) => m.columns[c]![r]!, x);
        X.set(x, k * p);
        y[k] = m.target[r]!;
      });
      const betas = input.levels.map((tau) => irls(X, y, p, tau, options.iterations ?? 25));
      return {
        predict(origin: Day, horizon: number): QuantileForecast {
          const { rows: fr, matrix } = forecastMatrix(input, origin, horizon);
          const L = input.levels.length;
          const f = emptyForecast(origin, horizon, input.levels, input.panel.keys.length, false);
          for (let r = 0; r < fr.series.length; r++) {
            design((c) => matrix.columns[c]![r]!, x);
            const cell = fr.series[r]! * horizon + fr.horizon[r]! - 1;
            betas.forEach((b, k) => {
              let s = 0;
              for (let j = 0; j < p; j++) s += b[j]! * x[j]!;
              f.q[cell * L + k] = Math.max(0, s);
            });
          }
          return f;
        },
      };
    },
  };
}

function meanOf(col: Float32Array, rows: number[]): number {
  let s = 0;
  let n = 0;
  for (const r of rows) {
    const v = col[r]!;
    if (!Number.isNaN(v)) {
      s += v;
      n++;
    }
  }
  return n > 0 ? s / n : 0;
}

/** Minimises sum of pinball losses by IRLS: weights tau/|r| above, (1-tau)/|r| below, |r| floored. */
export function irls(
  X: Float64Array,
  y: Float64Array,
  p: number,
  tau: number,
  iterations: number,
): Float64Array {
  const n = y.length;
  let beta: Float64Array = new Float64Array(p);
  const w = new Float64Array(n).fill(1);
  for (let it = 0; it < iterations; it++) {
    const A = new Float64Array(p * p);
    const b = new Float64Array(p);
    for (let i = 0; i < n; i++) {
      const wi = w[i]!;
      const o = i * p;
      for (let j = 0; j < p; j++) {
        const xj = X[o + j]! * wi;
        b[j] += xj * y[i]!;
        for (let k = 0; k <= j; k++) A[j * p + k] += xj * X[o + k]!;
      }
    }
    for (let j = 0; j < p; j++) {
      for (let k = 0; k < j; k++) A[k * p + j] = A[j * p + k]!;
      A[j * p + j] += 1e-6 * (A[j * p + j]! + 1); // ridge for rank-deficient designs
    }
    beta = solve(A, b, p);
    for (let i = 0; i < n; i++) {
      let fit = 0;
      for (let j = 0; j < p; j++) fit += X[i * p + j]! * beta[j]!;
      const r = y[i]! - fit;
      w[i] = (r >= 0 ? tau : 1 - tau) / Math.max(Math.abs(r), 1e-3);
    }
  }
  return beta;
}

/** Solves A x = b for symmetric positive definite A (Cholesky). */
function solve(A: Float64Array, b: Float64Array, p: number): Float64Array {
  const L = new Float64Array(p * p);
  for (let i = 0; i < p; i++) {
    for (let j = 0; j <= i; j++) {
      let s = A[i * p + j]!;
      for (let k = 0; k < j; k++) s -= L[i * p + k]! * L[j * p + k]!;
      L[i * p + j] = i === j ? Math.sqrt(Math.max(s, 1e-12)) : s / L[j * p + j]!;
    }
  }
  const z = new Float64Array(p);
  for (let i = 0; i < p; i++) {
    let s = b[i]!;
    for (let k = 0; k < i; k++) s -= L[i * p + k]! * z[k]!;
    z[i] = s / L[i * p + i]!;
  }
  const x = new Float64Array(p);
  for (let i = p - 1; i >= 0; i--) {
    let s = z[i]!;
    for (let k = i + 1; k < p; k++) s -= L[k * p + i]! * x[k]!;
    x[i] = s / L[i * p + i]!;
  }
  return x;
}
