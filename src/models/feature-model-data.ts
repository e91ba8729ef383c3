import type { Day } from "../core/days.ts";
import { buildFeatures, type FeatureMatrix, type FeatureRows } from "../features/build.ts";
import { forecastRows, trainingRows } from "../features/rows.ts";
import { Dataset } from "../gbdt/dataset.ts";
import type { FeatureData, FitInput } from "./forecaster.ts";

/** Training data of a feature-based model: the fit set, an optional early-stopping holdout, and the names. */
export interface TrainingData {
  train: Dataset;
  valid: Dataset | null;
  trainMatrix: FeatureMatrix;
  validMask: Uint8Array;
}

/** Options shared by the feature-based models. */
export interface FeatureModelOptions {
  /** Days between training origins (7 keeps horizon and weekday aligned; 14 halves the rows). */
  originStep?: number;
  /** Targets in the last `validDays` of the training window form the early-stopping holdout (0 = none). */
  validDays?: number;
  /** Share of the (origin, horizon) training rows kept, at random (default 1: all). */
  rowSample?: number;
}

function requireFeatures(input: FitInput): FeatureData {
  if (!input.features)
    throw new Error("a feature-based model needs FitInput.features (daily panel, calendar, settings)");
  return input.features;
}

/** Builds the training (and holdout) datasets for a fit. */
export function trainingData(input: FitInput, options: FeatureModelOptions): TrainingData {
  const fd = requireFeatures(input);
  const rows = trainingRows(fd.daily, {
    trainStart: input.trainStart,
    trainEnd: input.trainEnd,
    origin: input.trainEnd + fd.settings.latencyDays,
    step: options.originStep ?? 7,
    maxHorizon: input.horizon,
    sample: options.rowSample,
    seed: input.seed,
  });
  const m = buildFeatures(fd.daily, fd.calendar, fd.settings, rows, { weather: fd.weather });
  const validDays = options.validDays ?? 28;
  const validMask = new Uint8Array(rows.series.length);
  let nValid = 0;
  for (let r = 0; r < validMask.length; r++) {
    if (rows.origin[r]! + rows.horizon[r]! > input.trainEnd - validDays) {
      validMask[r] = 1;
      nValid++;
    }
  }
  const useValid = validDays > 0 && nValid > 0 && nValid < validMask.length;
  const pick = (want: number) => {
    if (!useValid) return { columns: m.columns, target: m.target };
    const idx: number[] = [];
    for (let r = 0; r < validMask.length; r++) if (validMask[r] === want) idx.push(r);
    return {
      columns: m.columns.map((c) => Float32Array.from(idx, (r) => c[r]!)),
      target: Float32Array.from(idx, (r) => m.target[r]!),
    };
  };
  const fit = pick(0);
  const train = Dataset.fromColumns(fit.columns, {
    label: fit.target,
    featureNames: m.names,
    categorical: m.categorical,
    seed: input.seed,
  });
  const hold = useValid ? pick(1) : null;
  const valid = hold
    ? Dataset.fromColumns(hold.columns, { label: hold.target, featureNames: m.names, reference: train })
    : null;
  return { train, valid, trainMatrix: m, validMask: useValid ? validMask : new Uint8Array(validMask.length) };
}

/** Feature matrix of forecast rows at an origin (every series started by the cutoff). */
export function forecastMatrix(
  input: FitInput,
  origin: Day,
  horizon: number,
): { rows: FeatureRows; matrix: FeatureMatrix } {
  const fd = requireFeatures(input);
  const rows = forecastRows(fd.daily, origin, horizon, fd.settings.latencyDays);
  return { rows, matrix: buildFeatures(fd.daily, fd.calendar, fd.settings, rows, { weather: fd.weather }) };
}
