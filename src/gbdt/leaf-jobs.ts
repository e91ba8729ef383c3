/**
 * Thread shares of the per-leaf row work that used to be serial: partitioning a split leaf's rows, gathering
 * quantile residuals, renewing leaf values and adding leaf values to the scores. Every split keeps the results
 * independent of the thread count: a stable partition has exactly one result however its range is cut into blocks;
 * residuals and score updates are element-wise; each leaf's quantile is selected by one thread from its rows in
 * their (fixed) order.
 */
import type { TrainState } from "./jobs.ts";
import { percentile, weightedPercentile } from "./losses/percentile.ts";

/** Layout of TrainState.ctl (Int32): the split being applied, then one left-row count per thread. */
export const CTL_FEATURE = 0;
/** Numeric split: bins <= this go left. */
export const CTL_BIN = 1;
/** 1 when missing values go left. */
export const CTL_DEFAULT_LEFT = 2;
/** The feature's missing bin. */
export const CTL_MISSING = 3;
/** 1 for a categorical split (its bitset at CTL_CAT). */
export const CTL_IS_CAT = 4;
/** 8 words of the categorical left set. */
export const CTL_CAT = 8;
/** Left-row count of thread t's block at CTL_COUNTS + t. */
export const CTL_COUNTS = 16;
/** Int32 words of ctl for up to 48 threads. */
export const CTL_WORDS = 64;

/** Leaf table (Float64): start, end, value of leaf j at 3j, 3j + 1, 3j + 2. */
export const LEAF_FIELDS = 3;

/** Whether bin b of the split in ctl goes left. */
function goesLeft(ctl: Int32Array, b: number): boolean {
  if (ctl[CTL_IS_CAT] === 1) return (ctl[CTL_CAT + (b >>> 5)] & (1 << (b & 31))) !== 0;
  return b === ctl[CTL_MISSING] ? ctl[CTL_DEFAULT_LEFT] === 1 : b <= ctl[CTL_BIN];
}

/**
 * Pass 1 of a parallel partition of positions [start, end): thread t reads its block and writes it to scratch at
 * the same offsets (relative to start), left rows forward from the block's start, right rows backward from its end,
 * and records its left count. Compacted leaves move their bins and row data along.
 */
export function partitionBlock(
  s: TrainState,
  start: number,
  end: number,
  compact: boolean,
  t: number,
  T: number,
) {
  const m = end - start;
  const b0 = start + Math.floor((t * m) / T);
  const b1 = start + Math.floor(((t + 1) * m) / T);
  const { ctl, idx, scratch } = s;
  const f = ctl[CTL_FEATURE];
  let l = b0 - start;
  let r = b1 - start - 1;
  if (!compact) {
    const col = s.binsByFeature.subarray(f * s.nRows, (f + 1) * s.nRows);
    for (let k = b0; k < b1; k++) {
      const i = idx[k];
      if (goesLeft(ctl, col[i])) scratch[l++] = i;
      else scratch[r--] = i;
    }
  } else {
    const F = s.nFeatures;
    const R = s.packed ? 1 : 2;
    const { cbins, crow, scratchRow } = s;
    const words = F % 4 === 0;
    const W = words ? F / 4 : F;
    const cb = words ? new Uint32Array(cbins.buffer, cbins.byteOffset, cbins.length >>> 2) : cbins;
    const sb = words
      ? new Uint32Array(s.scratchBins.buffer, s.scratchBins.byteOffset, s.scratchBins.length >>> 2)
      : s.scratchBins;
    for (let k = b0; k < b1; k++) {
      const q = goesLeft(ctl, cbins[k * F + f]) ? l++ : r--;
      scratch[q] = idx[k];
      for (let j = 0; j < W; j++) sb[q * W + j] = cb[k * W + j];
      for (let j = 0; j < R; j++) scratchRow[q * R + j] = crow[k * R + j];
    }
  }
  Atomics.store(ctl, CTL_COUNTS + t, l - (b0 - start));
}

/**
 * Pass 2: thread t copies its block's left rows to their place among all left rows, and its right rows (stored
 * backward) in forward order after all left rows. Returns the first position of the right child.
 */
export function partitionMerge(
  s: TrainState,
  start: number,
  end: number,
  compact: boolean,
  t: number,
  T: number,
) {
  const m = end - start;
  const { ctl, idx, scratch } = s;
  let leftBefore = 0;
  let rightBefore = 0;
  let left = 0;
  for (let u = 0; u < T; u++) {
    const c = ctl[CTL_COUNTS + u];
    const len = Math.floor(((u + 1) * m) / T) - Math.floor((u * m) / T);
    if (u < t) {
      leftBefore += c;
      rightBefore += len - c;
    }
    left += c;
  }
  const b0 = Math.floor((t * m) / T);
  const b1 = Math.floor(((t + 1) * m) / T);
  const nl = ctl[CTL_COUNTS + t];
  const F = s.nFeatures;
  const R = s.packed ? 1 : 2;
  const words = F % 4 === 0;
  const W = words ? F / 4 : F;
  const cb = words ? new Uint32Array(s.cbins.buffer, s.cbins.byteOffset, s.cbins.length >>> 2) : s.cbins;
  const sb = words
    ? new Uint32Array(s.scratchBins.buffer, s.scratchBins.byteOffset, s.scratchBins.length >>> 2)
    : s.scratchBins;
  const { crow, scratchRow } = s;
  // Left rows keep their order; right rows were written backward from b1 - 1.
  const move = (from: number, to: number) => {
    idx[to] = scratch[from];
    if (compact) {
      for (let j = 0; j < W; j++) cb[to * W + j] = sb[from * W + j];
      for (let j = 0; j < R; j++) crow[to * R + j] = scratchRow[from * R + j];
    }
  };
  if (!compact) idx.set(scratch.subarray(b0, b0 + nl), start + leftBefore);
  else for (let q = 0; q < nl; q++) move(b0 + q, start + leftBefore + q);
  const nr = b1 - b0 - nl;
  const rightStart = start + left + rightBefore;
  for (let q = 0; q < nr; q++) move(b1 - 1 - q, rightStart + q);
  return start + left;
}

/** Residuals y - raw of the rows at positions [k0, k1) of idx, into residuals[k] (and weights into rweights[k]). */
export function gatherResiduals(s: TrainState, k0: number, k1: number): void {
  const { idx, y, raw, w, residuals, rweights } = s;
  for (let k = k0; k < k1; k++) {
    const i = idx[k];
    residuals[k] = y[i] - raw[i];
  }
  if (w !== null && rweights !== null) for (let k = k0; k < k1; k++) rweights[k] = w[idx[k]];
}

/**
 * The alpha-quantile of the residuals of every leaf assigned to thread t, into the leaf table's value field. A leaf
 * goes to the thread whose share of positions holds its middle row (so threads get similar row counts).
 */
export function renewLeafValues(
  s: TrainState,
  nLeaves: number,
  nPos: number,
  alpha: number,
  t: number,
  T: number,
) {
  const { leafTab, residuals, rweights } = s;
  for (let j = 0; j < nLeaves; j++) {
    const a = leafTab[LEAF_FIELDS * j];
    const b = leafTab[LEAF_FIELDS * j + 1];
    if (Math.min(T - 1, Math.floor((T * (a + b)) / 2 / Math.max(nPos, 1))) !== t) continue;
    const r = residuals.subarray(a, b);
    leafTab[LEAF_FIELDS * j + 2] =
      rweights !== null && s.w !== null
        ? weightedPercentile(r, rweights.subarray(a, b), b - a, alpha)
        : percentile(r, b - a, alpha);
  }
}

/** Adds each leaf's value to the scores of its rows, for positions [k0, k1) (leaves are in position order). */
export function addLeafValues(s: TrainState, nLeaves: number, k0: number, k1: number): void {
  const { leafTab, idx, raw } = s;
  for (let j = 0; j < nLeaves && k0 < k1; j++) {
    const a = Math.max(leafTab[LEAF_FIELDS * j], k0);
    const b = Math.min(leafTab[LEAF_FIELDS * j + 1], k1);
    const v = leafTab[LEAF_FIELDS * j + 2];
    for (let k = a; k < b; k++) raw[idx[k]] += v;
  }
}

/** Copies the bins and row data of the rows at positions [k0, k1) into cbins/crow at the same positions. */
export function compactRows(s: TrainState, k0: number, k1: number): void {
  const { idx, bins, cbins, rowData, crow, nFeatures: F, packed } = s;
  const l = { start: k0, end: k1 };
  if (F % 4 === 0) {
    const W = F / 4;
    const src = new Uint32Array(bins.buffer, bins.byteOffset, bins.length / 4);
    const dst = new Uint32Array(cbins.buffer, cbins.byteOffset, cbins.length / 4);
    for (let k = l.start; k < l.end; k++) {
      const a = idx[k] * W;
      const b = k * W;
      for (let j = 0; j < W; j++) dst[b + j] = src[a + j];
    }
  } else {
    for (let k = l.start; k < l.end; k++) {
      const a = idx[k] * F;
      const b = k * F;
      for (let j = 0; j < F; j++) cbins[b + j] = bins[a + j];
    }
  }
  if (packed) for (let k = l.start; k < l.end; k++) crow[k] = rowData[idx[k]];
  else {
    for (let k = l.start; k < l.end; k++) {
      const i = idx[k];
      crow[2 * k] = rowData[2 * i];
      crow[2 * k + 1] = rowData[2 * i + 1];
    }
  }
}
