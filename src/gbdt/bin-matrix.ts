/**
 * Dataset building over the worker pool (parallel-binning.ts holds the thread shares): numeric bin fitting split
 * by features, binning split by rows. Same mappers and bins as the single-threaded path, for any thread count.
 */
import { type BinMapper, binOf, fitNumeric, padded } from "./binning.ts";
import { JOB_BIN, JOB_FIT_BINS } from "./jobs.ts";
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
