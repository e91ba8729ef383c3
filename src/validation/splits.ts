import type { Day } from "../core/days.ts";
import { formatDay } from "../core/days.ts";
import { InputError } from "../core/errors.ts";

/** Settings of a rolling-origin scheme (the `validation` section of the config). */
export interface SplitSettings {
  folds: number;
  testDays: number;
  gapDays: number;
  stepDays: number;
  trainDays: number;
  innerFolds: number;
}

/**
 * One fold. Training data covers [trainStart, trainEnd]; the forecast is made at `origin` = trainEnd + gapDays
 * (data arrives gapDays late, so nothing after trainEnd is known then); the test window is
 * [testStart, testEnd] = [origin + 1, origin + testDays], horizons 1..testDays from the origin.
 */
export interface Fold {
  fold: number;
  trainStart: Day;
  trainEnd: Day;
  origin: Day;
  testStart: Day;
  testEnd: Day;
}

/** An outer fold with its inner folds (which lie wholly inside the outer training window). */
export interface OuterFold extends Fold {
  inner: Fold[];
}

/** The fold whose forecast is made at `origin`. */
export function foldAt(fold: number, origin: Day, s: SplitSettings, dataStart: Day): Fold {
  const trainEnd = origin - s.gapDays;
  return {
    fold,
    trainStart: Math.max(dataStart, trainEnd - s.trainDays + 1),
    trainEnd,
    origin,
    testStart: origin + 1,
    testEnd: origin + s.testDays,
  };
}

/**
 * K folds whose last test window ends at `dataEnd`, origins `stepDays` apart, oldest first. Throws an
 * InputError when the data is too short for the scheme (says how many days are needed).
 */
export function rollingFolds(dataStart: Day, dataEnd: Day, k: number, s: SplitSettings): Fold[] {
  const lastOrigin = dataEnd - s.testDays;
  const firstOrigin = lastOrigin - (k - 1) * s.stepDays;
  const minTrain = Math.min(s.trainDays, 28);
  if (firstOrigin - s.gapDays - dataStart + 1 < minTrain) {
    const need = (k - 1) * s.stepDays + s.testDays + s.gapDays + minTrain;
    throw new InputError(
      `${k} folds of ${s.testDays} test days, step ${s.stepDays}, gap ${s.gapDays} need at least ${need} days of data; ` +
        `have ${dataEnd - dataStart + 1} (${formatDay(dataStart)}..${formatDay(dataEnd)}): use fewer folds or more data`,
    );
  }
  return Array.from({ length: k }, (_, i) => foldAt(i, firstOrigin + i * s.stepDays, s, dataStart));
}

/** The `innerFolds` rolling folds inside a fold's training window (tuning, feature selection). */
export function innerFolds(fold: Fold, s: SplitSettings): Fold[] {
  return rollingFolds(fold.trainStart, fold.trainEnd, s.innerFolds, s);
}

/** Outer folds (SPEC §3) with their inner folds. */
export function outerInnerFolds(dataStart: Day, dataEnd: Day, s: SplitSettings): OuterFold[] {
  return rollingFolds(dataStart, dataEnd, s.folds, s).map((f) => ({ ...f, inner: innerFolds(f, s) }));
}

/** Folds at explicit origins (e.g. `--origins`), in the given order. */
export function foldsAtOrigins(dataStart: Day, origins: Day[], s: SplitSettings): Fold[] {
  return origins.map((o, i) => foldAt(i, o, s, dataStart));
}

/** A fold with its days as YYYY-MM-DD, for printing and JSON. */
export function describeFold(f: Fold): Record<string, string | number> {
  return {
    fold: f.fold,
    train: `${formatDay(f.trainStart)}..${formatDay(f.trainEnd)}`,
    trainDays: f.trainEnd - f.trainStart + 1,
    origin: formatDay(f.origin),
    test: `${formatDay(f.testStart)}..${formatDay(f.testEnd)}`,
  };
}
