/**
 * The work that threads share, run identically by the main thread and by workers. Each job splits its work by
 * thread index in a way that never changes the order of floating-point additions (gradients: rows, element-wise;
 * histograms: features, each summed over rows in row order by one thread; prediction: rows), so results do not
 * depend on the thread count.
 */
import { BIN_STRIDE, decodePacked, featureRange, type HistMode, histKernel, PACK } from "./histogram.ts";
import {
  addLeafValues,
  addLeafValuesByRow,
  compactRows,
  gatherResiduals,
  locateRows,
  partitionBlock,
  partitionMerge,
  renewLeafValues,
  scatterResiduals,
} from "./leaf-jobs.ts";
import { getLoss, type Loss, type LossParams } from "./losses/index.ts";
import { type BinState, binBlockShare, binShare, fitShare } from "./parallel-binning.ts";
import { type EnsembleArrays, predictRows } from "./predict.ts";
import { type BinnedPredictState, predictBinnedShare } from "./predict-binned.ts";
import { decodeQuantized, gradMaxima, QSTAT_G_SCALE, QSTAT_H_SCALE, quantizeRows } from "./quantize.ts";
import { type SplitSetup, splitShare } from "./split-jobs.ts";

/** Load new shared state (workers read it from their port). */
export const JOB_SETUP = 1;
/** Gradients and hessians of every row. */
export const JOB_GRAD = 2;
/** Histogram of idx[a1..a2) into slot a0. */
export const JOB_HIST = 3;
/** Histogram of a compacted leaf, positions a1..a2 of cbins/crow, into slot a0. */
export const JOB_HIST_COMPACT = 5;
/** Compacts positions a0..a1 into cbins/crow (leaf-jobs.ts compactRows). */
export const JOB_COMPACT = 14;
/** Raw predictions of every row of a prediction state. */
export const JOB_PREDICT = 4;
/** Partition pass 1 (leaf-jobs.ts) of positions a0..a1, compacted leaf when a2 = 1. */
export const JOB_PART_BLOCK = 6;
/** Partition pass 2 of positions a0..a1, compacted leaf when a2 = 1. */
export const JOB_PART_MERGE = 7;
/** Quantile residuals of positions 0..a0; by rows (every row in a leaf, after JOB_LOCATE) when a1 = 1. */
export const JOB_RESIDUALS = 8;
/** Positions and leaves of the rows of a0 leaves (a1 positions), leaf-jobs.ts locateRows. */
export const JOB_LOCATE = 19;
/** Renewed values of a0 leaves (of a1 positions) into the leaf table. */
export const JOB_RENEW = 10;
/** Adds the values of a0 leaves to the scores of their rows (a1 positions); by rows (after JOB_LOCATE) when a2 = 1. */
export const JOB_SCORE = 11;
/** Numeric bin thresholds of a binning session (features split across threads). */
export const JOB_FIT_BINS = 12;
/** Bins of a binning session (rows split across threads). */
export const JOB_BIN = 13;
/** Quantized gradients (quantize.ts) of every row, rounding key a0. */
export const JOB_QUANT = 18;
/** Subtraction and best splits of a0 leaves (split-jobs.ts). */
export const JOB_SPLIT = 16;
/** Bins of the first a0 columns of a binning session's column block (rows split across threads). */
export const JOB_BIN_BLOCK = 17;
/** Stop the worker. */
export const JOB_EXIT = 9;
/** Raw scores of several boosters on bins (predict-binned.ts), blocks taken from a shared counter. */
export const JOB_PREDICT_BINNED = 15;

/** Shared state of a training session. */
export interface TrainState {
  kind: "train";
  nRows: number;
  nFeatures: number;
  bins: Uint8Array;
  y: Float64Array;
  w: Float64Array | null;
  raw: Float64Array;
  g: Float32Array;
  h: Float32Array;
  /** Per row, what the histogram kernels read: [grad, hess] interleaved, or one packed value. */
  rowData: Float32Array | Float64Array;
  /**
   * One packed Float64 per row: two-valued gradients gPos / gNeg with unit hessians and no weights (see PACK), or,
   * when `quant`, quantized gradient and hessian (quantize.ts).
   */
  packed: boolean;
  quant: boolean;
  /** Quantized mode: bits of the integer gradients, the multiplier of the gradient field, maxima and scales. */
  quantBits: number;
  quantM: number;
  qstat: Float64Array;
  gPos: number;
  gNeg: number;
  idx: Uint32Array;
  /** Bins and row data of compacted leaves, by position in idx (row k's bins at k * nFeatures). */
  cbins: Uint8Array;
  crow: Float32Array | Float64Array;
  /** The bins column-major (Dataset.binsByFeature), for partitioning. */
  binsByFeature: Uint8Array;
  /** Partition scratch: row ids (nRows), and bins and row data of up to the compaction size of rows. */
  scratch: Uint32Array;
  scratchBins: Uint8Array;
  scratchRow: Float32Array | Float64Array;
  /** The split being applied and per-thread counts (leaf-jobs.ts, CTL_*). */
  ctl: Int32Array;
  /** start, end, value per leaf of the current tree (leaf-jobs.ts, LEAF_FIELDS). */
  leafTab: Float64Array;
  /** Quantile residuals (and their weights) by position in idx. */
  residuals: Float64Array;
  rweights: Float64Array | null;
  /** Quantile losses: each row's position in idx and its leaf, for row-order residuals and scores (locateRows). */
  pos: Uint32Array;
  leafOf: Uint16Array;
  /** Split search over the pool (split-jobs.ts): its session settings and its inputs and per-thread results. */
  split: SplitSetup | null;
  splitCtl: Float64Array;
  /** Histogram slots, nFeatures * BIN_STRIDE doubles each. */
  hist: Float64Array;
  lossName: string;
  lossParams: LossParams;
}

/** Shared state of a prediction session. */
export interface PredictState {
  kind: "predict";
  x: Float32Array | Float64Array;
  nRows: number;
  nCols: number;
  model: EnsembleArrays;
  out: Float64Array;
}

/** What a pool session shares. */
export type JobState = TrainState | PredictState | BinState | BinnedPredictState;

const losses = new WeakMap<TrainState, Loss>();

/** Runs thread t's share (of T) of a job. */
export function runJob(
  s: JobState,
  type: number,
  a0: number,
  a1: number,
  a2: number,
  t: number,
  T: number,
): void {
  if (type === JOB_GRAD && s.kind === "train") {
    const [r0, r1] = chunk(s.nRows, t, T);
    gradients(s, r0, r1);
    if (s.quant) gradMaxima(s, r0, r1, t);
  } else if (type === JOB_SPLIT && s.kind === "train") {
    splitShare(s, a0, t, T);
  } else if (type === JOB_QUANT && s.kind === "train") {
    const [r0, r1] = chunk(s.nRows, t, T);
    quantizeRows(s, r0, r1, a0);
  } else if ((type === JOB_HIST || type === JOB_HIST_COMPACT) && s.kind === "train") {
    const [f0, f1] = featureRange(s.nFeatures, t, T);
    if (f1 > f0) buildHist(s, a0, a1, a2, f0, f1, type === JOB_HIST ? "index" : "direct");
  } else if (type === JOB_COMPACT && s.kind === "train") {
    const [k0, k1] = chunk(a1 - a0, t, T);
    compactRows(s, a0 + k0, a0 + k1);
  } else if ((type === JOB_PART_BLOCK || type === JOB_PART_MERGE) && s.kind === "train") {
    if (type === JOB_PART_BLOCK) partitionBlock(s, a0, a1, a2 === 1, t, T);
    else partitionMerge(s, a0, a1, a2 === 1, t, T);
  } else if (type === JOB_LOCATE && s.kind === "train") {
    const [k0, k1] = chunk(a1, t, T);
    locateRows(s, a0, k0, k1);
  } else if (type === JOB_RESIDUALS && s.kind === "train") {
    const [k0, k1] = chunk(a0, t, T);
    if (a1 === 1) scatterResiduals(s, k0, k1);
    else gatherResiduals(s, k0, k1);
  } else if (type === JOB_RENEW && s.kind === "train") {
    renewLeafValues(s, a0, a1, lossOf(s).renewQuantile ?? 0.5, t, T);
  } else if (type === JOB_SCORE && s.kind === "train") {
    const [k0, k1] = chunk(a1, t, T);
    if (a2 === 1) addLeafValuesByRow(s, k0, k1);
    else addLeafValues(s, a0, k0, k1);
  } else if (type === JOB_FIT_BINS && s.kind === "bin") {
    fitShare(s, t, T);
  } else if (type === JOB_BIN && s.kind === "bin") {
    const [r0, r1] = chunk(s.nRows, t, T);
    binShare(s, r0, r1);
  } else if (type === JOB_BIN_BLOCK && s.kind === "bin") {
    const [r0, r1] = chunk(s.nRows, t, T);
    binBlockShare(s, a0, r0, r1);
  } else if (type === JOB_PREDICT && s.kind === "predict") {
    const [r0, r1] = chunk(s.nRows, t, T);
    predictRows(s.model, s.x, s.nCols, r0, r1, s.out);
  } else if (type === JOB_PREDICT_BINNED && s.kind === "predict-binned") {
    predictBinnedShare(s);
  }
}

/** Gradients and hessians of rows [r0, r1), and (unless quantized, see quantize.ts) the row data from them. */
export function gradients(s: TrainState, r0: number, r1: number): void {
  const loss = lossOf(s);
  const g = s.g.subarray(r0, r1);
  const h = s.h.subarray(r0, r1);
  loss.gradHess(s.y.subarray(r0, r1), s.raw.subarray(r0, r1), g, h);
  const w = s.w;
  const rd = s.rowData;
  if (s.quant) return;
  if (s.packed) {
    // Arithmetic on the comparison, not a branch (it mispredicts on about half the rows of a median model).
    for (let i = r0; i < r1; i++) rd[i] = 1 + PACK * +(s.g[i] > 0);
  } else if (w !== null) {
    for (let i = r0; i < r1; i++) {
      rd[2 * i] = s.g[i] * w[i];
      rd[2 * i + 1] = s.h[i] * w[i];
    }
  } else {
    for (let i = r0; i < r1; i++) {
      rd[2 * i] = s.g[i];
      rd[2 * i + 1] = s.h[i];
    }
  }
}

/** The session's loss object (built once per thread). */
function lossOf(s: TrainState): Loss {
  let loss = losses.get(s);
  if (loss === undefined) {
    loss = getLoss(s.lossName, s.lossParams);
    losses.set(s, loss);
  }
  return loss;
}

/**
 * Histogram of features [f0, f1) over idx[start..end) into slot `slot`: "direct" reads the compacted copy, "gather"
 * also copies those features' bins into it (the row data is copied by copyRowData).
 */
export function buildHist(
  s: TrainState,
  slot: number,
  start: number,
  end: number,
  f0: number,
  f1: number,
  mode: HistMode = "index",
): void {
  const size = s.nFeatures * BIN_STRIDE;
  const hist = s.hist.subarray(slot * size, (slot + 1) * size);
  const kernel = histKernel(s.nFeatures, f0, f1, s.packed, mode);
  if (mode === "direct") kernel(s.idx, start, end, s.cbins, s.crow, hist);
  else kernel(s.idx, start, end, s.bins, s.rowData, hist, s.cbins);
  if (s.quant) decodeQuantized(hist, f0, f1, s.qstat[QSTAT_G_SCALE], s.qstat[QSTAT_H_SCALE], s.quantM);
  else if (s.packed) decodePacked(hist, f0, f1, s.gPos, s.gNeg);
}

/** Copies the row data (packed value or [grad, hess]) of positions [k0, k1) into crow at the same positions. */
export function copyRowData(s: TrainState, k0: number, k1: number): void {
  const { idx, rowData, crow } = s;
  if (s.packed) for (let k = k0; k < k1; k++) crow[k] = rowData[idx[k]];
  else {
    for (let k = k0; k < k1; k++) {
      const i = idx[k];
      crow[2 * k] = rowData[2 * i];
      crow[2 * k + 1] = rowData[2 * i + 1];
    }
  }
}

/** Contiguous share [r0, r1) of n items for thread t of T. */
export function chunk(n: number, t: number, T: number): [number, number] {
  return [Math.floor((t * n) / T), Math.floor(((t + 1) * n) / T)];
}
