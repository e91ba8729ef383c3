/**
 * The data the analysis refits models on: the last outer fold's training window (rows as the main model builds
 * them: origins `originStep` apart, `rowSample` of them, then at most `maxRows` drawn at random), split into a fit
 * part and a holdout (targets in the last 28 days of the window, as the main model's early stopping does), and
 * the fold's test window (every series, every horizon, scored on observed demand).
 */
import { Rng } from "../core/rng.ts";
import { buildFeatures, type FeatureMatrix, type FeatureRows } from "../features/build.ts";
import { forecastRows, trainingRows } from "../features/rows.ts";
import type { Fold } from "../validation/splits.ts";
import type { AnalysisInput } from "./types.ts";

/** Days at the end of the training window held out for the validation curve. */
export const HOLDOUT_DAYS = 28;

/** Columns and targets of a set of rows (a view into a feature matrix, or a copy of some of its rows). */
export interface RowSet {
  columns: Float32Array[];
  target: Float32Array;
  rows: FeatureRows;
}

/** The last fold's fit, holdout and test rows, sharing one set of feature names. */
export interface LastFoldData {
  fold: Fold;
  names: string[];
  categorical: string[];
  fit: RowSet;
  holdout: RowSet;
  test: RowSet;
  horizon: number;
}

/** Rows of `m` at positions `keep` (copied). */
export function selectRows(m: RowSet, keep: ArrayLike<number>): RowSet {
  const pick = <T extends Float32Array | Int32Array>(a: T, make: (n: number) => T): T => {
    const out = make(keep.length);
    for (let k = 0; k < keep.length; k++) out[k] = a[keep[k]!]!;
    return out;
  };
  const f32 = (n: number) => new Float32Array(n);
  const i32 = (n: number) => new Int32Array(n);
  return {
    columns: m.columns.map((c) => pick(c, f32)),
    target: pick(m.target, f32),
    rows: {
      series: pick(m.rows.series, i32),
      origin: pick(m.rows.origin, i32),
      horizon: pick(m.rows.horizon, i32),
    },
  };
}

/** Positions of rows with a known target, at most `max` of them drawn at random (kept in their order). */
export function sampleKnown(target: Float32Array, max: number, seed: number): Int32Array {
  const known: number[] = [];
  for (let r = 0; r < target.length; r++) if (!Number.isNaN(target[r]!)) known.push(r);
  if (known.length <= max) return Int32Array.from(known);
  // Partial Fisher-Yates: the first `max` positions become a uniform sample.
  const rng = new Rng(seed);
  for (let k = 0; k < max; k++) {
    const j = k + rng.int(known.length - k);
    [known[k], known[j]] = [known[j]!, known[k]!];
  }
  return Int32Array.from(known.slice(0, max)).sort();
}

/**
 * The share of a fold's (origin, horizon) rows to draw so that about `want` of them are kept (at most `rowSample`):
 * on a chain-sized panel the full row list would not fit in memory, and the analysis needs only a sample.
 */
export function rowShare(input: AnalysisInput, fold: Fold, horizon: number, want: number): number {
  const origins = Math.max(1, Math.ceil((fold.trainEnd - fold.trainStart + 1) / input.originStep));
  const candidates = input.daily.storeId.length * origins * horizon;
  // Twice what is wanted: rows with unknown targets drop out, and the exact count is drawn afterwards.
  return Math.min(input.rowSample, Math.max(1e-6, (2 * want) / candidates));
}

/** Series (indices) whose every test row fits `maxTestRows`: all of them, or a seeded random subset. */
function testSeries(nSeries: number, horizon: number, maxTestRows: number, seed: number): Set<number> {
  const all = Array.from({ length: nSeries }, (_, i) => i);
  const keep = Math.max(1, Math.floor(maxTestRows / horizon));
  if (nSeries <= keep) return new Set(all);
  const rng = new Rng(seed);
  for (let k = 0; k < keep; k++) {
    const j = k + rng.int(nSeries - k);
    [all[k], all[j]] = [all[j]!, all[k]!];
  }
  return new Set(all.slice(0, keep));
}

/** Builds the last fold's data; `maxRows` caps fit + holdout rows, `maxTestRows` the test rows (whole series). */
export function lastFoldData(input: AnalysisInput, maxRows: number, maxTestRows: number): LastFoldData {
  const fold = input.folds[input.folds.length - 1]!;
  const horizon = fold.testEnd - fold.origin;
  const { daily, calendar, settings, weather } = input;
  const rows = trainingRows(daily, {
    trainStart: fold.trainStart,
    trainEnd: fold.trainEnd,
    origin: fold.trainEnd + settings.latencyDays,
    step: input.originStep,
    maxHorizon: horizon,
    sample: rowShare(input, fold, horizon, maxRows),
    seed: input.seed,
  });
  const all = buildFeatures(daily, calendar, settings, rows, { weather });
  const kept = selectRows(all, sampleKnown(all.target, maxRows, input.seed));
  const fitIdx: number[] = [];
  const holdIdx: number[] = [];
  for (let r = 0; r < kept.target.length; r++) {
    const day = kept.rows.origin[r]! + kept.rows.horizon[r]!;
    (day > fold.trainEnd - HOLDOUT_DAYS ? holdIdx : fitIdx).push(r);
  }
  const every = forecastRows(daily, fold.origin, horizon, settings.latencyDays);
  const chosen = testSeries(daily.storeId.length, horizon, maxTestRows, input.seed + 1);
  const at: number[] = [];
  for (let r = 0; r < every.series.length; r++) if (chosen.has(every.series[r]!)) at.push(r);
  const testRows = {
    series: Int32Array.from(at, (r) => every.series[r]!),
    origin: Int32Array.from(at, (r) => every.origin[r]!),
    horizon: Int32Array.from(at, (r) => every.horizon[r]!),
  };
  const test: FeatureMatrix = buildFeatures(daily, calendar, settings, testRows, { weather });
  return {
    fold,
    names: all.names,
    categorical: all.categorical,
    fit: selectRows(kept, fitIdx),
    holdout: selectRows(kept, holdIdx),
    test: selectRows(test, sampleKnown(test.target, Number.POSITIVE_INFINITY, 0)),
    horizon,
  };
}
