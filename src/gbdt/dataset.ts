/**
 * The training matrix as the learner sees it: every value replaced by its bin (Uint8), stored row-major in a
 * SharedArrayBuffer so worker threads read it without copying. Row-major because histogram building walks the rows
 * of one leaf and updates every feature's histogram: one cache line per row instead of one per feature.
 */
import { InputError } from "../core/errors.ts";
import { binColumnsOnPool, binMatrixOnPool, fitNumericOnPool } from "./bin-matrix.ts";
import {
  type BinMapper,
  binOf,
  fitCategorical,
  fitNumeric,
  MAX_BINS,
  padded,
  sampleRows,
  searchPadded,
} from "./binning.ts";
import { openedPool, type WorkerPool } from "./pool.ts";

/** A feature matrix of raw values, row-major: value (i, f) is data[i * nCols + f]; NaN is missing. */
export interface RowMajorMatrix {
  readonly data: Float32Array | Float64Array;
  readonly nRows: number;
  readonly nCols: number;
}

/** Raw features either as columns (one array per feature) or as a row-major matrix. */
export type FeatureInput = ReadonlyArray<ArrayLike<number>> | RowMajorMatrix;

/** Options of `Dataset.fromColumns` / `Dataset.fromMatrix`. */
export interface DatasetOptions {
  /** Target per row (required for training and validation data). */
  label?: ArrayLike<number>;
  /** Sample weight per row (>= 0); absent means 1. */
  weight?: ArrayLike<number>;
  /** Feature names (default f0, f1, ...). */
  featureNames?: readonly string[];
  /** Indices or names of categorical features (integer codes >= 0). */
  categorical?: ReadonlyArray<number | string>;
  /** Non-missing bins per numeric feature, at most 255 (default 255). */
  maxBins?: number;
  /** Rows sampled to fit the numeric bins (default 200000). */
  binSampleSize?: number;
  /** Seed of the bin sample (default 0). */
  seed?: number;
  /** Reuse the bins of this dataset (validation data must be binned like the training data). */
  reference?: Dataset;
  /**
   * Bin over the shared pool of this many threads when that pool has started (getPool or an earlier train): bin
   * fitting split by features, binning by rows (columns are copied a block at a time into shared memory); same
   * mappers and bins as without. Default 1.
   */
  threads?: number;
}

/** Binned features, labels and weights, ready for `train`. */
export class Dataset {
  private columnMajor: Uint8Array | null = null;

  private constructor(
    /** Number of rows. */
    readonly nRows: number,
    /** Number of features. */
    readonly nFeatures: number,
    /** Bin of (row i, feature f) at i * nFeatures + f, in shared memory. */
    readonly bins: Uint8Array,
    /** One fitted mapper per feature. */
    readonly mappers: readonly BinMapper[],
    /** Feature names. */
    readonly featureNames: readonly string[],
    /** Targets (shared memory), or null for prediction-only data. */
    readonly label: Float64Array | null,
    /** Weights (shared memory), or null when all are 1. */
    readonly weight: Float64Array | null,
  ) {}

  /**
   * The bins column-major (feature f's column at f * nRows), built on first use. Partitioning a leaf reads one
   * feature of each of its rows; in this layout those bytes are adjacent instead of nFeatures apart.
   */
  binsByFeature(): Uint8Array {
    if (this.columnMajor === null) {
      const n = this.nRows;
      const F = this.nFeatures;
      // Shared: workers partition leaves from it.
      const out = new Uint8Array(new SharedArrayBuffer(Math.max(n * F, 1)));
      const bins = this.bins;
      for (let i = 0; i < n; i++) {
        const o = i * F;
        for (let f = 0; f < F; f++) out[f * n + i] = bins[o + f];
      }
      this.columnMajor = out;
    }
    return this.columnMajor;
  }

  /** Bins a list of feature columns (all the same length). */
  static fromColumns(columns: ReadonlyArray<ArrayLike<number>>, options: DatasetOptions = {}): Dataset {
    return Dataset.build(columns, options);
  }

  /** Bins a row-major matrix. */
  static fromMatrix(matrix: RowMajorMatrix, options: DatasetOptions = {}): Dataset {
    return Dataset.build(matrix, options);
  }

  private static build(input: FeatureInput, o: DatasetOptions): Dataset {
    const { nRows, nCols, at } = accessor(input);
    const names = o.featureNames ? [...o.featureNames] : Array.from({ length: nCols }, (_, f) => `f${f}`);
    if (names.length !== nCols) {
      throw new InputError(
        `featureNames has ${names.length} names for ${nCols} features; give one per feature`,
        {
          column: "featureNames",
        },
      );
    }
    const pool = o.threads !== undefined && o.threads > 1 ? openedPool(o.threads) : null;
    const mappers = o.reference ? o.reference.mappers : fitMappers(at, nRows, nCols, names, o, pool);
    if (mappers.length !== nCols) {
      throw new InputError(`data has ${nCols} features but the reference dataset has ${mappers.length}`, {
        column: "reference",
      });
    }
    const label = o.label ? checkedShared(o.label, nRows, "label", false) : null;
    const weight = o.weight ? checkedShared(o.weight, nRows, "weight", true) : null;
    if (pool !== null) {
      const { bins, byFeature } = isMatrix(input)
        ? binMatrixOnPool(pool, input.data, nRows, nCols, mappers)
        : binColumnsOnPool(pool, input, nRows, mappers);
      const ds = new Dataset(nRows, nCols, bins, mappers, names, label, weight);
      ds.columnMajor = byFeature;
      return ds;
    }
    const bins = new Uint8Array(new SharedArrayBuffer(Math.max(nRows * nCols, 1)));
    binInto(input, mappers, bins);
    return new Dataset(nRows, nCols, bins, mappers, names, label, weight);
  }
}

/** Row count, column count and a (slow, generic) value accessor of raw input. */
export function accessor(input: FeatureInput): {
  nRows: number;
  nCols: number;
  at: (i: number, f: number) => number;
} {
  if (isMatrix(input)) {
    const { data, nRows, nCols } = input;
    if (data.length !== nRows * nCols) {
      throw new InputError(`matrix data has ${data.length} values, expected nRows*nCols = ${nRows * nCols}`, {
        column: "data",
      });
    }
    return { nRows, nCols, at: (i, f) => data[i * nCols + f] };
  }
  const nCols = input.length;
  const nRows = nCols > 0 ? input[0].length : 0;
  input.forEach((c, f) => {
    if (c.length !== nRows) {
      throw new InputError(`column ${f} has ${c.length} rows but column 0 has ${nRows}; give equal lengths`, {
        column: String(f),
      });
    }
  });
  return { nRows, nCols, at: (i, f) => input[f][i] };
}

/** True when the input is a row-major matrix rather than a list of columns. */
export function isMatrix(input: FeatureInput): input is RowMajorMatrix {
  return !Array.isArray(input) && (input as RowMajorMatrix).nCols !== undefined;
}

function fitMappers(
  at: (i: number, f: number) => number,
  nRows: number,
  nCols: number,
  names: string[],
  o: DatasetOptions,
  pool: WorkerPool | null,
): BinMapper[] {
  const maxBins = o.maxBins ?? MAX_BINS;
  if (!(Number.isInteger(maxBins) && maxBins >= 2 && maxBins <= MAX_BINS)) {
    throw new InputError(`maxBins must be an integer in [2, ${MAX_BINS}], got ${maxBins}`, {
      column: "maxBins",
    });
  }
  const categorical = new Set<number>();
  for (const c of o.categorical ?? []) {
    const f = typeof c === "number" ? c : names.indexOf(c);
    if (!(f >= 0 && f < nCols)) {
      throw new InputError(`categorical feature ${c} is not one of the ${nCols} features`, {
        column: "categorical",
      });
    }
    categorical.add(f);
  }
  const rows = sampleRows(nRows, o.binSampleSize ?? 200_000, o.seed ?? 0);
  const m = rows.length;
  // Gather the sample once, row by row, into columns: reading a row-major input feature by feature would touch
  // one cache line per value.
  const sample =
    pool !== null
      ? new Float64Array(new SharedArrayBuffer(Math.max(m * nCols, 1) * 8), 0, m * nCols)
      : new Float64Array(m * nCols);
  for (let k = 0; k < m; k++) for (let f = 0; f < nCols; f++) sample[f * m + k] = at(rows[k], f);
  const numeric = Uint8Array.from({ length: nCols }, (_, f) => (categorical.has(f) ? 0 : 1));
  const fitted = pool !== null ? fitNumericOnPool(pool, sample, m, numeric, maxBins) : null;
  const mappers: BinMapper[] = [];
  for (let f = 0; f < nCols; f++) {
    if (categorical.has(f)) mappers.push(fitCategorical((i) => at(i, f), nRows, maxBins, names[f]));
    else mappers.push(fitted?.[f] ?? fitNumeric(sample.subarray(f * m, (f + 1) * m), maxBins));
  }
  return mappers;
}

/** Writes the bin of every value into `out` (row-major, nRows x nCols). */
export function binInto(input: FeatureInput, mappers: readonly BinMapper[], out: Uint8Array): void {
  const { nRows, nCols } = accessor(input);
  for (let f = 0; f < nCols; f++) {
    const m = mappers[f];
    const col = isMatrix(input) ? null : input[f];
    if (m.kind === "categorical") {
      for (let i = 0; i < nRows; i++)
        out[i * nCols + f] = binOf(m, col !== null ? col[i] : (input as RowMajorMatrix).data[i * nCols + f]);
    } else if (col !== null) binColumn(col, m.thresholds, m.nBins, out, f, nCols, nRows);
  }
  if (isMatrix(input)) binRows(input, mappers, out);
}

/** Numeric bins of one column. */
function binColumn(
  col: ArrayLike<number>,
  t: Float64Array,
  missing: number,
  out: Uint8Array,
  f: number,
  nCols: number,
  nRows: number,
): void {
  const pad = padded(t);
  for (let i = 0; i < nRows; i++) {
    const x = col[i];
    out[i * nCols + f] = Number.isNaN(x) ? missing : searchPadded(pad, 0, x);
  }
}

/** Numeric bins of a row-major matrix, rows outermost so the input streams through once. */
function binRows(m: RowMajorMatrix, mappers: readonly BinMapper[], out: Uint8Array): void {
  const { data, nRows, nCols } = m;
  const numeric = mappers.map((x) => x.kind === "numeric");
  const pads = mappers.map((x) => padded(x.thresholds));
  const missing = mappers.map((x) => x.nBins);
  for (let i = 0; i < nRows; i++) {
    const o = i * nCols;
    for (let f = 0; f < nCols; f++) {
      if (!numeric[f]) continue;
      const x = data[o + f];
      out[o + f] = Number.isNaN(x) ? missing[f] : searchPadded(pads[f], 0, x);
    }
  }
}

function checkedShared(v: ArrayLike<number>, n: number, column: string, weight: boolean): Float64Array {
  if (v.length !== n) {
    throw new InputError(`${column} has ${v.length} values for ${n} rows; give one per row`, { column });
  }
  const out = new Float64Array(new SharedArrayBuffer(Math.max(n, 1) * 8), 0, n);
  for (let i = 0; i < n; i++) {
    const x = v[i];
    if (!Number.isFinite(x) || (weight && x < 0)) {
      throw new InputError(
        `${column} is ${x}; ${weight ? "weights must be finite and >= 0" : "targets must be finite"}`,
        {
          row: i,
          column,
        },
      );
    }
    out[i] = x;
  }
  return out;
}
