/**
 * Thread shares of building a Dataset from a row-major matrix: fitting numeric bin thresholds (features split
 * across threads; each feature's thresholds come from its own sample column, so they do not depend on the split)
 * and binning (rows split across threads; each value's bin depends on that value only). Binning writes the
 * row-major bins and the column-major copy used by partitioning in the same pass.
 */
import { fitNumeric, searchPadded } from "./binning.ts";
import { featureRange } from "./histogram.ts";

/** Padded thresholds per feature in BinState.pads (see binning.ts padded). */
export const PAD = 256;

/** Shared state of a binning session. */
export interface BinState {
  kind: "bin";
  nRows: number;
  nCols: number;
  /** The raw matrix, row-major, in shared memory. */
  x: Float32Array | Float64Array;
  /** 1 for numeric features (categorical ones are binned by the calling thread). */
  numeric: Uint8Array;
  /** Fitting: the sample, column-major (feature f at f * sampleRows), and the fitted thresholds and counts. */
  sample: Float64Array;
  sampleRows: number;
  maxBins: number;
  fitted: Float64Array;
  fittedCount: Int32Array;
  /** Binning: thresholds padded with +Infinity (feature f at f * PAD), missing bins, and the two outputs. */
  pads: Float64Array;
  missing: Int32Array;
  bins: Uint8Array;
  byFeature: Uint8Array;
  /** Column input: a block of numeric columns copied to shared memory (column j at j * nRows) and their features. */
  block: Float64Array;
  blockFeatures: Int32Array;
}

/** Fits the numeric features of thread t's feature range. */
export function fitShare(s: BinState, t: number, T: number): void {
  const [f0, f1] = featureRange(s.nCols, t, T);
  const m = s.sampleRows;
  for (let f = f0; f < f1; f++) {
    if (s.numeric[f] === 0) continue;
    const th = fitNumeric(s.sample.subarray(f * m, (f + 1) * m), s.maxBins).thresholds;
    s.fitted.set(th, f * PAD);
    s.fittedCount[f] = th.length;
  }
}

/** Bins the numeric features of rows [r0, r1) into both layouts. */
export function binShare(s: BinState, r0: number, r1: number): void {
  const { x, nCols: F, nRows: n, pads, missing, numeric, bins, byFeature } = s;
  for (let i = r0; i < r1; i++) {
    const o = i * F;
    for (let f = 0; f < F; f++) {
      if (numeric[f] === 0) continue;
      const v = x[o + f];
      const b = Number.isNaN(v) ? missing[f] : searchPadded(pads, f * PAD, v);
      bins[o + f] = b;
      byFeature[f * n + i] = b;
    }
  }
}

/** Bins rows [r0, r1) of the first `count` columns of the current column block into both layouts. */
export function binBlockShare(s: BinState, count: number, r0: number, r1: number): void {
  const { block, blockFeatures, nCols: F, nRows: n, pads, missing, bins, byFeature } = s;
  for (let j = 0; j < count; j++) {
    const f = blockFeatures[j];
    const col = block.subarray(j * n, (j + 1) * n);
    const miss = missing[f];
    const po = f * PAD;
    for (let i = r0; i < r1; i++) {
      const v = col[i];
      const b = Number.isNaN(v) ? miss : searchPadded(pads, po, v);
      bins[i * F + f] = b;
      byFeature[f * n + i] = b;
    }
  }
}
