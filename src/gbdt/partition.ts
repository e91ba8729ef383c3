/**
 * Splitting a leaf's rows between its children, stably and in place in the row-index array (rows stay in
 * ascending order, memory access stays forward); compacted leaves move their bins and row data along.
 */
import type { GrowContext, Leaf } from "./grower.ts";
import { JOB_PART_BLOCK, JOB_PART_MERGE } from "./jobs.ts";
import {
  CTL_BIN,
  CTL_CAT,
  CTL_COUNTS,
  CTL_DEFAULT_LEFT,
  CTL_FEATURE,
  CTL_IS_CAT,
  CTL_MISSING,
} from "./leaf-jobs.ts";
import type { SplitInfo } from "./split.ts";

/** Leaves with fewer rows are partitioned on the calling thread (waking the workers costs more). */
const PARALLEL_MIN_ROWS = 1 << 12;

/**
 * Splits the parent's rows between its children (stably, in place) and returns the first position of the right
 * child: over the worker pool for large leaves (count, then scatter, by blocks of the leaf's range; a stable
 * partition has one result whatever the blocks), on the calling thread otherwise.
 */
export function partitionLeaf(ctx: GrowContext, parent: Leaf, sp: SplitInfo): number {
  const pool = ctx.pool;
  const { start, end } = parent;
  if (pool === null || end - start < PARALLEL_MIN_ROWS) {
    return parent.compact ? partitionCompact(ctx, parent, sp) : partition(ctx, parent, sp);
  }
  const ctl = ctx.state.ctl;
  ctl[CTL_FEATURE] = sp.feature;
  ctl[CTL_BIN] = sp.bin;
  ctl[CTL_DEFAULT_LEFT] = sp.defaultLeft ? 1 : 0;
  ctl[CTL_MISSING] = ctx.mappers[sp.feature].nBins;
  ctl[CTL_IS_CAT] = sp.catBits !== null ? 1 : 0;
  if (sp.catBits !== null) for (let j = 0; j < 8; j++) ctl[CTL_CAT + j] = sp.catBits[j];
  const compact = parent.compact ? 1 : 0;
  pool.run(JOB_PART_BLOCK, start, end, compact);
  pool.run(JOB_PART_MERGE, start, end, compact);
  let left = 0;
  for (let t = 0; t < pool.threads; t++) left += ctl[CTL_COUNTS + t];
  return start + left;
}

/** Stable in-place partition of the parent's rows; returns the first index of the right child. */
export function partition(ctx: GrowContext, parent: Leaf, sp: SplitInfo): number {
  const { idx, nRows } = ctx.state;
  const scratch = ctx.scratch;
  const f = sp.feature;
  const col = ctx.binsByFeature.subarray(f * nRows, (f + 1) * nRows);
  const missing = ctx.mappers[f].nBins;
  let w = parent.start;
  let r = 0;
  if (sp.catBits !== null) {
    const bits = sp.catBits;
    for (let k = parent.start; k < parent.end; k++) {
      const i = idx[k];
      const b = col[i];
      if ((bits[b >>> 5] & (1 << (b & 31))) !== 0) idx[w++] = i;
      else scratch[r++] = i;
    }
  } else {
    const t = sp.bin;
    const dl = sp.defaultLeft;
    for (let k = parent.start; k < parent.end; k++) {
      const i = idx[k];
      const b = col[i];
      if (b === missing ? dl : b <= t) idx[w++] = i;
      else scratch[r++] = i;
    }
  }
  idx.set(scratch.subarray(0, r), w);
  return w;
}

/** Stable partition of a compacted leaf: moves row ids, bins and row data together. */
export function partitionCompact(ctx: GrowContext, parent: Leaf, sp: SplitInfo): number {
  const { idx, cbins, crow, nFeatures: F, packed } = ctx.state;
  const { scratch, scratchBins, scratchRow } = ctx;
  const f = sp.feature;
  const missing = ctx.mappers[f].nBins;
  const bits = sp.catBits;
  const t = sp.bin;
  const dl = sp.defaultLeft;
  const R = packed ? 1 : 2;
  // Rows move as 32-bit words when the row length allows (10 words instead of 40 bytes for 40 features).
  const words = F % 4 === 0;
  const W = words ? F / 4 : F;
  const cb = words ? new Uint32Array(cbins.buffer, cbins.byteOffset, cbins.length / 4) : cbins;
  const sb = words
    ? new Uint32Array(scratchBins.buffer, scratchBins.byteOffset, scratchBins.length / 4)
    : scratchBins;
  let w = parent.start;
  let r = 0;
  for (let k = parent.start; k < parent.end; k++) {
    const b = cbins[k * F + f];
    const left = bits !== null ? (bits[b >>> 5] & (1 << (b & 31))) !== 0 : b === missing ? dl : b <= t;
    if (left) {
      if (w !== k) {
        idx[w] = idx[k];
        for (let j = 0; j < W; j++) cb[w * W + j] = cb[k * W + j];
        for (let j = 0; j < R; j++) crow[w * R + j] = crow[k * R + j];
      }
      w++;
    } else {
      scratch[r] = idx[k];
      for (let j = 0; j < W; j++) sb[r * W + j] = cb[k * W + j];
      for (let j = 0; j < R; j++) scratchRow[r * R + j] = crow[k * R + j];
      r++;
    }
  }
  for (let q = 0; q < r; q++) {
    idx[w + q] = scratch[q];
    for (let j = 0; j < W; j++) cb[(w + q) * W + j] = sb[q * W + j];
    for (let j = 0; j < R; j++) crow[(w + q) * R + j] = scratchRow[q * R + j];
  }
  return w;
}
