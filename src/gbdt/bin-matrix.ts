/**
 * Dataset building over the worker pool (parallel-binning.ts holds the thread shares): numeric bin fitting split
 * by features, binning split by rows (a row-major matrix, or columns copied block by block into shared memory).
 * Same mappers and bins as the single-threaded path, for any thread count.
 */
import { type BinMapper, binOf, fitNumeric, padded } from "./binning.ts";
import { JOB_BIN, JOB_BIN_BLOCK, JOB_FIT_BINS } from "./jobs.ts";
import { type BinState, PAD } from "./parallel-binning.ts";
import type { WorkerPool } from "./pool.ts";

function session(nRows: number, nCols: number, x: Float32Array | Float64Array): BinState {
  return {
    kind: "bin",
    nRows,
    nCols,
    x,
    numeric: new Uint8Array(new SharedArrayBuffer(Math.max(nCols, 1))),
    sample: new Float64Array(0),
    sampleRows: 0,
    maxBins: 0,
    fitted: new Float64Array(0),
    fittedCount: new Int32Array(0),
    pads: new Float64Array(0),
    missing: new Int32Array(0),
    bins: new Uint8Array(0),
    byFeature: new Uint8Array(0),
    block: new Float64Array(0),
    blockFeatures: new Int32Array(0),
  };
}

/**
 * Numeric mappers fitted on a column-major sample (feature f at f * m) for every feature with numeric[f] = 1 (the
 * others are left undefined for the caller). Same result as fitNumeric feature by feature.
 */
export function fitNumericOnPool(
  pool: WorkerPool,
  sample: Float64Array,
  m: number,
  numeric: Uint8Array,
  maxBins: number,
): (BinMapper | undefined)[] {
  const nCols = numeric.length;
  if (!(sample.buffer instanceof SharedArrayBuffer)) {
    // Callers pass shared samples; a plain one is fitted here rather than copied.
    return Array.from(numeric, (k, f) =>
      k ? fitNumeric(sample.subarray(f * m, (f + 1) * m), maxBins) : undefined,
    );
  }
  const s = session(0, nCols, new Float64Array(0));
  s.numeric.set(numeric);
  s.sample = sample;
  s.sampleRows = m;
  s.maxBins = maxBins;
  s.fitted = new Float64Array(new SharedArrayBuffer(Math.max(nCols * PAD, 1) * 8));
  s.fittedCount = new Int32Array(new SharedArrayBuffer(Math.max(nCols, 1) * 4));
  pool.setup(s);
  pool.run(JOB_FIT_BINS, 0, 0, 0);
  return Array.from(numeric, (k, f) => {
    if (!k) return undefined;
    const thresholds = Float64Array.from(s.fitted.subarray(f * PAD, f * PAD + s.fittedCount[f]));
    return { kind: "numeric", nBins: thresholds.length + 1, thresholds, categories: new Float64Array(0) };
  });
}

/** Column blocks are at most this many values (64 MB of Float64), whatever the number of rows. */
const BLOCK_VALUES = 1 << 23;

/** Shared state for binning with padded thresholds and missing bins of every feature, and both outputs. */
function binSession(
  nRows: number,
  nCols: number,
  x: Float32Array | Float64Array,
  mappers: readonly BinMapper[],
): BinState {
  const s = session(nRows, nCols, x);
  s.pads = new Float64Array(new SharedArrayBuffer(Math.max(nCols * PAD, 1) * 8));
  s.missing = new Int32Array(new SharedArrayBuffer(Math.max(nCols, 1) * 4));
  mappers.forEach((m, f) => {
    s.numeric[f] = m.kind === "numeric" ? 1 : 0;
    s.pads.set(padded(m.thresholds), f * PAD);
    s.missing[f] = m.nBins;
  });
  s.bins = new Uint8Array(new SharedArrayBuffer(Math.max(nRows * nCols, 1)));
  s.byFeature = new Uint8Array(new SharedArrayBuffer(Math.max(nRows * nCols, 1)));
  return s;
}

/**
 * Row-major bins and their column-major copy of feature columns: numeric columns are copied (exactly, as Float64)
 * into a shared block of a few columns at a time, whose rows the threads bin; categorical ones on this thread.
 */
export function binColumnsOnPool(
  pool: WorkerPool,
  columns: ReadonlyArray<ArrayLike<number>>,
  nRows: number,
  mappers: readonly BinMapper[],
): { bins: Uint8Array; byFeature: Uint8Array } {
  const nCols = columns.length;
  const s = binSession(nRows, nCols, new Float64Array(0), mappers);
  const per = Math.max(1, Math.min(nCols, Math.floor(BLOCK_VALUES / Math.max(nRows, 1))));
  s.block = new Float64Array(new SharedArrayBuffer(Math.max(per * nRows, 1) * 8));
  s.blockFeatures = new Int32Array(new SharedArrayBuffer(per * 4));
  pool.setup(s);
  let count = 0;
  const flush = () => {
    if (count > 0) pool.run(JOB_BIN_BLOCK, count, 0, 0);
    count = 0;
  };
  mappers.forEach((m, f) => {
    if (m.kind !== "numeric") return;
    const col = columns[f];
    const dst = s.block.subarray(count * nRows, (count + 1) * nRows);
    for (let i = 0; i < nRows; i++) dst[i] = col[i];
    s.blockFeatures[count++] = f;
    if (count === per) flush();
  });
  flush();
  mappers.forEach((m, f) => {
    if (m.kind !== "categorical") return;
    const col = columns[f];
    for (let i = 0; i < nRows; i++) {
      const b = binOf(m, col[i]);
      s.bins[i * nCols + f] = b;
      s.byFeature[f * nRows + i] = b;
    }
  });
  return { bins: s.bins, byFeature: s.byFeature };
}

/** Row-major bins and their column-major copy of a row-major matrix (copied to shared memory when it is not). */
export function binMatrixOnPool(
  pool: WorkerPool,
  data: Float32Array | Float64Array,
  nRows: number,
  nCols: number,
  mappers: readonly BinMapper[],
): { bins: Uint8Array; byFeature: Uint8Array } {
  let x = data;
  if (!(data.buffer instanceof SharedArrayBuffer)) {
    const sab = new SharedArrayBuffer(Math.max(data.length, 1) * data.BYTES_PER_ELEMENT);
    x = data instanceof Float32Array ? new Float32Array(sab) : new Float64Array(sab);
    x.set(data);
  }
  const s = binSession(nRows, nCols, x, mappers);
  pool.setup(s);
  pool.run(JOB_BIN, 0, 0, 0);
  mappers.forEach((m, f) => {
    if (m.kind !== "categorical") return;
    for (let i = 0; i < nRows; i++) {
      const b = binOf(m, x[i * nCols + f]);
      s.bins[i * nCols + f] = b;
      s.byFeature[f * nRows + i] = b;
    }
  });
  return { bins: s.bins, byFeature: s.byFeature };
}
