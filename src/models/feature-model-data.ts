import type { Day } from "../core/days.ts";
import { gather, gatherInt32 } from "../core/gather.ts";
import { Rng } from "../core/rng.ts";
import { buildFeatures, type FeatureMatrix, type FeatureRows } from "../features/build.ts";
import { withGroupTrends } from "../features/group-demand.ts";
import { withItemTrends } from "../features/item-demand.ts";
import { buildFeaturesParallel, featureThreads } from "../features/parallel.ts";
import { forecastRows, trainingRows } from "../features/rows.ts";
import { likelyStockoutDays, rowsOutsideMask, type ZeroRunRule } from "../features/zero-runs.ts";
import { Dataset } from "../gbdt/dataset.ts";
import { defaultThreads } from "../gbdt/pool.ts";
import type { FeatureData, FitInput } from "./forecaster.ts";
import {
  relativeFeatures,
  rowScales,
  type ScaleSpec,
  scaledCountTargets,
  scaleWeight,
} from "./series-scale.ts";

/** Training data of a feature-based model: the fit set, an optional early-stopping holdout, and the names. */
export interface TrainingData {
  train: Dataset;
  valid: Dataset | null;
  trainMatrix: FeatureMatrix;
  validMask: Uint8Array;
  /** Rows of `trainMatrix` in the fit set (not holdout, not censored). */
  fitRows: Int32Array;
  /**
   * Stockout rows (with `censored`): their rows of `trainMatrix`, their features and their sales, a lower
   * bound of the unknown demand.
   */
  censored: { rows: Int32Array; columns: Float32Array[]; lower: Float32Array } | null;
  /**
   * With `scale`: per row of `trainMatrix` its series scale, scaled jittered target and weight (the fit and
   * holdout datasets carry these), and the holdout's raw demand and scales for the early-stopping metric.
   */
  scaling: {
    spec: ScaleSpec;
    scale: Float32Array;
    label: Float32Array;
    /** Null when every row weighs 1 (spec.weight "none"): the learner keeps its faster unweighted kernels. */
    weight: Float32Array | null;
    validActual: Float32Array;
    validScale: Float32Array;
  } | null;
}

/** Options shared by the feature-based models. */
export interface FeatureModelOptions {
  /** Days between training origins (7 keeps horizon and weekday aligned; 14 halves the rows). */
  originStep?: number;
  /** Targets in the last `validDays` of the training window form the early-stopping holdout (0 = none). */
  validDays?: number;
  /** Share of the (origin, horizon) training rows kept, at random (default 1: all). */
  rowSample?: number;
  /** Keep stockout days as censored rows (`TrainingData.censored`), for models that use lower bounds. */
  censored?: boolean;
  /** Train on horizons minHorizon..FitInput.horizon only (default 1: every horizon). */
  minHorizon?: number;
  /** Worker threads binning the datasets (default: available cores; used once the learner's pool runs). */
  threads?: number;
  /** Features left out of the matrix (a model fitted without weather data drops the weather columns). */
  exclude?: readonly string[];
  /** Divide targets by a per-series level known at the origin (series-scale.ts); predictions multiply back. */
  scale?: ScaleSpec;
  /** Append the item-level (all stores) demand trends of features/item-demand.ts to the matrix. */
  itemTrends?: boolean;
  /** Append the store and store-department demand trends and shares of features/group-demand.ts. */
  groupTrends?: boolean;
  /** Training window in days ending at trainEnd, overriding FitInput.trainStart (may reach further back). */
  trainDays?: number;
  /** Leave likely-stockout zero runs (features/zero-runs.ts, decided on the training window) out of the targets. */
  zeroRuns?: ZeroRunRule;
}

/** The matrix without the named feature columns (the same object when none of them is there). */
export function withoutFeatures(m: FeatureMatrix, exclude: readonly string[] = []): FeatureMatrix {
  const keep = m.names.map((name, f) => (exclude.includes(name) ? -1 : f)).filter((f) => f >= 0);
  if (keep.length === m.names.length) return m;
  return {
    ...m,
    names: keep.map((f) => m.names[f]!),
    categorical: m.categorical.filter((name) => !exclude.includes(name)),
    columns: keep.map((f) => m.columns[f]!),
  };
}

function requireFeatures(input: FitInput): FeatureData {
  if (!input.features)
    throw new Error("a feature-based model needs FitInput.features (daily panel, calendar, settings)");
  return input.features;
}

/**
 * The feature matrix of a fit's training rows (targets NaN on censored rows), before any binning; built over
 * `options.threads` threads when the rows are many (bit-identical to one thread).
 */
export async function trainingMatrix(input: FitInput, options: FeatureModelOptions): Promise<FeatureMatrix> {
  const fd = requireFeatures(input);
  const trainStart = options.trainDays ? input.trainEnd - options.trainDays + 1 : input.trainStart;
  let rows = trainingRows(fd.daily, {
    trainStart,
    trainEnd: input.trainEnd,
    origin: input.trainEnd + fd.settings.latencyDays,
    step: options.originStep ?? 7,
    maxHorizon: input.horizon,
    minHorizon: options.minHorizon,
    sample: options.rowSample,
    seed: input.seed,
    censored: options.censored,
  });
  if (options.zeroRuns) {
    const keep = rowsOutsideMask(
      fd.daily,
      rows,
      likelyStockoutDays(fd.daily, trainStart, input.trainEnd, options.zeroRuns),
    );
    rows = {
      series: gatherInt32(rows.series, keep),
      origin: gatherInt32(rows.origin, keep),
      horizon: gatherInt32(rows.horizon, keep),
    };
  }
  const m = withoutFeatures(
    await buildFeaturesParallel(fd.daily, fd.calendar, fd.settings, rows, {
      weather: fd.weather,
      threads: featureThreads(rows.series.length, options.threads ?? defaultThreads()),
    }),
    options.exclude,
  );
  return withExtraFeatures(m, fd, options);
}

/** The matrix with the optional item-level and group-level trend columns the options ask for appended. */
function withExtraFeatures(
  m: FeatureMatrix,
  fd: FeatureData,
  options: Pick<FeatureModelOptions, "itemTrends" | "groupTrends">,
): FeatureMatrix {
  const lat = fd.settings.latencyDays;
  const items = options.itemTrends ? withItemTrends(m, fd.daily, lat) : m;
  return options.groupTrends ? withGroupTrends(items, fd.daily, lat) : items;
}

/** The matrix restricted to rows `idx` (in that order). */
export function selectRows(m: FeatureMatrix, idx: ArrayLike<number>): FeatureMatrix {
  const pick = (a: Float32Array) => gather(a, idx);
  const rows = (a: Int32Array) => gatherInt32(a, idx);
  return {
    ...m,
    columns: m.columns.map(pick),
    target: pick(m.target),
    price: pick(m.price),
    rows: { series: rows(m.rows.series), origin: rows(m.rows.origin), horizon: rows(m.rows.horizon) },
    timings: undefined,
  };
}

/**
 * Splits a training matrix's rows at random into `parts` disjoint matrices (row order kept), for ensemble
 * members that each fit on their own share of the rows: together they cost one fit on all of them.
 */
export function splitMatrix(m: FeatureMatrix, parts: number, seed: number): FeatureMatrix[] {
  if (parts <= 1) return [m];
  const rng = Rng.derive(seed, 0x5b17);
  const n = m.rows.series.length;
  const part = new Uint8Array(n);
  const counts = new Int32Array(parts);
  for (let r = 0; r < n; r++) {
    const k = rng.int(parts);
    part[r] = k;
    counts[k]!++;
  }
  return Array.from(counts, (count, k) => {
    const idx = new Int32Array(count);
    let j = 0;
    for (let r = 0; r < n; r++) if (part[r] === k) idx[j++] = r;
    return selectRows(m, idx);
  });
}

/**
 * Builds the training (and holdout) datasets of a fit, binned for the learner, from `matrix` when given (a
 * share of `trainingMatrix`'s rows, see splitMatrix) or else from the fit's own training matrix.
 */
export async function trainingData(
  input: FitInput,
  options: FeatureModelOptions,
  matrix?: FeatureMatrix,
): Promise<TrainingData> {
  const fd = requireFeatures(input);
  let m = matrix ?? (await trainingMatrix(input, options));
  const rows = m.rows;
  const validDays = options.validDays ?? 28;
  const n = rows.series.length;
  // Rows whose target is unknown are the censored (stockout) ones; they never enter train or holdout.
  const isCensored = Uint8Array.from(m.target, (y) => (Number.isNaN(y) ? 1 : 0));
  const validMask = new Uint8Array(n);
  let nValid = 0;
  let nFit = 0;
  for (let r = 0; r < n; r++) {
    if (isCensored[r]) continue;
    if (rows.origin[r]! + rows.horizon[r]! > input.trainEnd - validDays) {
      validMask[r] = 1;
      nValid++;
    } else nFit++;
  }
  const useValid = validDays > 0 && nValid > 0 && nFit > 0;
  let scaling: TrainingData["scaling"] = null;
  if (options.scale) {
    const spec = options.scale;
    const scale = rowScales(m, spec);
    m = relativeFeatures(m, scale, spec);
    scaling = {
      spec,
      scale,
      label: scaledCountTargets(m.target, scale, input.seed),
      weight: spec.weight === "none" ? null : Float32Array.from(scale, (s) => scaleWeight(s, spec)),
      validActual: new Float32Array(0),
      validScale: new Float32Array(0),
    };
  }
  const select = (keep: (r: number) => boolean, values: Float32Array = m.target) => {
    const idx: number[] = [];
    for (let r = 0; r < n; r++) if (keep(r)) idx.push(r);
    const pick = (a: Float32Array) => (idx.length === n ? a : gather(a, idx));
    return {
      columns: idx.length === n ? m.columns : m.columns.map((c) => pick(c)),
      target: pick(values),
      weight: scaling?.weight ? pick(scaling.weight) : undefined,
      scale: scaling ? pick(scaling.scale) : undefined,
      raw: pick(m.target),
    };
  };
  const label = scaling?.label ?? m.target;
  const threads = options.threads ?? defaultThreads();
  const fit = select((r) => !isCensored[r] && (!useValid || validMask[r] === 0), label);
  const train = Dataset.fromColumns(fit.columns, {
    label: fit.target,
    weight: fit.weight,
    featureNames: m.names,
    categorical: m.categorical,
    seed: input.seed,
    threads,
  });
  const hold = useValid ? select((r) => validMask[r] === 1, label) : null;
  const valid = hold
    ? Dataset.fromColumns(hold.columns, {
        label: hold.target,
        weight: hold.weight,
        featureNames: m.names,
        reference: train,
        threads,
      })
    : null;
  if (scaling && hold) {
    scaling.validActual = hold.raw;
    scaling.validScale = hold.scale!;
  }
  let censored: TrainingData["censored"] = null;
  if (isCensored.includes(1)) {
    const daily = fd.daily;
    const lower = new Float32Array(n);
    for (let r = 0; r < n; r++) {
      const i = rows.series[r]!;
      lower[r] = daily.units[daily.indptr[i]! + rows.origin[r]! + rows.horizon[r]! - daily.start[i]!]!;
    }
    const c = select((r) => isCensored[r] === 1, lower);
    const rowsOf = Int32Array.from(isCensored.keys()).filter((r) => isCensored[r] === 1);
    censored = { rows: rowsOf, columns: c.columns, lower: c.target };
  }
  return {
    train,
    valid,
    trainMatrix: m,
    validMask: useValid ? validMask : new Uint8Array(n),
    fitRows: Int32Array.from(isCensored.keys()).filter(
      (r) => !isCensored[r] && (!useValid || validMask[r] === 0),
    ),
    censored,
    scaling,
  };
}

/** Feature matrix of forecast rows at an origin (every series started by the cutoff). */
export function forecastMatrix(
  input: FitInput,
  origin: Day,
  horizon: number,
  options: Pick<FeatureModelOptions, "itemTrends" | "groupTrends"> = {},
): { rows: FeatureRows; matrix: FeatureMatrix } {
  const fd = requireFeatures(input);
  const rows = forecastRows(fd.daily, origin, horizon, fd.settings.latencyDays);
  const m = buildFeatures(fd.daily, fd.calendar, fd.settings, rows, { weather: fd.weather });
  return { rows, matrix: withExtraFeatures(m, fd, options) };
}
