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
import { leftTable, rowMoves, rowViews } from "./row-moves.ts";
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

/** This thread's table of the split being applied. */
const lut = new Uint8Array(256);

function splitTable(ctx: GrowContext, sp: SplitInfo): Uint8Array {
  return leftTable(lut, sp.bin, ctx.mappers[sp.feature].nBins, sp.defaultLeft, sp.catBits);
}

/** Stable in-place partition of the parent's rows; returns the first index of the right child. */
export function partition(ctx: GrowContext, parent: Leaf, sp: SplitInfo): number {
  const { idx, nRows } = ctx.state;
  const scratch = ctx.scratch;
  const f = sp.feature;
  const col = ctx.binsByFeature.subarray(f * nRows, (f + 1) * nRows);
  const left = splitTable(ctx, sp);
  let w = parent.start;
  let r = 0;
  // Branch-free (as leaf-jobs.ts partitionBlock): both writes, one advance; idx[w] with w <= k is already read.
  for (let k = parent.start; k < parent.end; k++) {
    const i = idx[k];
    const d = left[col[i]];
    idx[w] = i;
    scratch[r] = i;
    w += d;
    r += 1 - d;
  }
  idx.set(scratch.subarray(0, r), w);
  return w;
}

/** Stable partition of a compacted leaf: moves row ids, bins and row data together. */
export function partitionCompact(ctx: GrowContext, parent: Leaf, sp: SplitInfo): number {
  const s = ctx.state;
  const v = rowViews(s);
  const moves = rowMoves(v.W);
  const { start, end } = parent;
  const w = moves.splitInPlace(
    s.idx,
    start,
    end,
    splitTable(ctx, sp),
    s.cbins,
    sp.feature,
    s.nFeatures,
    v.cbins,
    v.crow,
    s.scratch,
    v.scratchBins,
    v.scratchRow,
  );
  moves.copyRun(s.scratch, v.scratchBins, v.scratchRow, 0, 1, s.idx, v.cbins, v.crow, w, end - w);
  return w;
}
