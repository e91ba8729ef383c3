/**
 * Learning curves by iteration: quantile models fitted on the last fold's fit rows, scored after n trees for a
 * grid of n on the fit rows (train), the holdout at the end of the training window (validation, what early
 * stopping watches) and the fold's test window (test, what the forecast is judged on).
 */
import type { Booster } from "../gbdt/booster.ts";
import type { Dataset } from "../gbdt/dataset.ts";
import { type FitOptions, fitLevels, meanPinball } from "./fit-levels.ts";
import { type LastFoldData, sampleKnown, selectRows } from "./last-fold-data.ts";
import type { LearningCurve } from "./types.ts";

/** About this many points per curve. */
const GRID_POINTS = 12;
/** Train loss is read on at most this many fit rows (it only has to show the trend). */
const TRAIN_EVAL_ROWS = 5000;

/** Iteration counts at which the curves are read: roughly even steps, always ending at `iterations`. */
export function iterationGrid(iterations: number, points = GRID_POINTS): number[] {
  const step = Math.max(1, Math.ceil(iterations / points));
  const out: number[] = [];
  for (let n = step; n < iterations; n += step) out.push(n);
  out.push(iterations);
  return out;
}

/** Fits one model per level on data.fit and reads its curves; the boosters are reused as the reference model. */
export async function learningCurves(
  data: LastFoldData,
  levels: readonly number[],
  o: FitOptions,
): Promise<{ curves: LearningCurve[]; boosters: Booster[]; dataset: Dataset }> {
  const { boosters, dataset } = await fitLevels(data.fit, levels, o);
  const trainEval = selectRows(data.fit, sampleKnown(data.fit.target, TRAIN_EVAL_ROWS, o.seed));
  const curves = levels.map((level, k) => {
    const b = boosters[k]!;
    const grid = iterationGrid(b.numTrees);
    const points = grid.map((iteration) => ({
      iteration,
      train: meanPinball(trainEval.target, b.predict(trainEval.columns, { iterations: iteration }), level),
      valid: meanPinball(
        data.holdout.target,
        b.predict(data.holdout.columns, { iterations: iteration }),
        level,
      ),
      test: meanPinball(data.test.target, b.predict(data.test.columns, { iterations: iteration }), level),
    }));
    let best = points[0]!;
    for (const p of points) if (p.valid < best.valid) best = p;
    return { level, points, bestIteration: best.iteration };
  });
  return { curves, boosters, dataset };
}
