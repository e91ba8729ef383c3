/**
 * Fits the analysis's quantile models (one per level, the main model's learner settings, a fixed number of
 * iterations and no early stopping, so variants compare at equal effort) and scores them by pinball.
 */

import type { Booster } from "../gbdt/booster.ts";
import { Dataset } from "../gbdt/dataset.ts";
import type { TrainParams } from "../gbdt/params.ts";
import { train } from "../gbdt/train.ts";
import { pinball } from "../metrics/pinball.ts";
import type { RowSet } from "./last-fold-data.ts";

/** Options of fitLevels. */
export interface FitOptions {
  names: string[];
  categorical: string[];
  params: TrainParams;
  iterations: number;
  seed: number;
  threads: number;
  /** Bin like this dataset (same columns): skips fitting the bins again. */
  reference?: Dataset;
}

/** One booster per level, fitted on `data`; also returns the dataset (a reference for row subsets). */
export async function fitLevels(
  data: RowSet,
  levels: readonly number[],
  o: FitOptions,
): Promise<{ boosters: Booster[]; dataset: Dataset }> {
  const dataset = Dataset.fromColumns(data.columns, {
    label: data.target,
    featureNames: o.names,
    ...(o.reference ? { reference: o.reference } : { categorical: o.categorical }),
    seed: o.seed,
  });
  const boosters: Booster[] = [];
  for (const [k, tau] of levels.entries()) {
    boosters.push(
      await train(dataset, {
        ...o.params,
        loss: "quantile",
        alpha: tau,
        iterations: o.iterations,
        earlyStoppingRounds: 0,
        valid: undefined,
        seed: o.seed + k,
        threads: o.threads,
      }),
    );
  }
  return { boosters, dataset };
}

/** Mean pinball of predictions `pred` for targets `y` at `tau` (rows with NaN target skipped). */
export function meanPinball(y: ArrayLike<number>, pred: ArrayLike<number>, tau: number): number {
  let s = 0;
  let n = 0;
  for (let r = 0; r < y.length; r++) {
    if (Number.isNaN(y[r]!)) continue;
    s += pinball(y[r]!, pred[r]!, tau);
    n++;
  }
  return n > 0 ? s / n : Number.NaN;
}

/** Pinball per level of fitted boosters on `data`, and their mean. */
export function scoreLevels(
  boosters: Booster[],
  levels: readonly number[],
  data: RowSet,
): { pinball: number; perLevel: { level: number; pinball: number }[] } {
  const perLevel = levels.map((level, k) => ({
    level,
    pinball: meanPinball(data.target, boosters[k]!.predict(data.columns), level),
  }));
  return { pinball: perLevel.reduce((s, p) => s + p.pinball, 0) / Math.max(1, perLevel.length), perLevel };
}
