/**
 * Grows one tree leaf-wise (best-first, as LightGBM): always split the leaf whose best split gains most, until
 * maxLeaves. Each leaf owns a contiguous range of the row-index array; a split partitions that range in place
 * (stably, so rows stay in ascending order and memory access stays forward). Only the smaller child's histogram is
 * built; the larger one is the parent's minus it, computed in the parent's histogram slot.
 */
import type { BinMapper } from "./binning.ts";
import { BIN_STRIDE, subtractHist } from "./histogram.ts";
import {
  buildHist,
  copyRowData,
  JOB_COMPACT,
  JOB_HIST,
  JOB_HIST_COMPACT,
  JOB_SPLIT,
  type TrainState,
} from "./jobs.ts";
import { partitionLeaf } from "./partition.ts";
import type { WorkerPool } from "./pool.ts";
import { findBestSplit, type LeafStats, leafValue, type SplitInfo, type SplitParams } from "./split.ts";
import { mergedSplit, setSplitInputs } from "./split-jobs.ts";
import { TreeBuilder } from "./tree.ts";

/** Settings of one tree. */
export interface GrowParams extends SplitParams {
  maxLeaves: number;
  /** Largest depth (root = 0); <= 0 means unlimited. */
  maxDepth: number;
  learningRate: number;
}

/** What the grower needs besides the parameters. */
export interface GrowContext {
  state: TrainState;
  mappers: readonly BinMapper[];
  monotone: Int8Array | null;
  pool: WorkerPool | null;
  /** Scratch for partitioning, nRows long. */
  scratch: Uint32Array;
  /** The bins column-major (Dataset.binsByFeature). */
  binsByFeature: Uint8Array;
  /** Leaves with at most this many rows are compacted (0 = never). */
  compactRows: number;
  /** Scratch for partitioning compacted leaves: compactRows rows of bins and row data. */
  scratchBins: Uint8Array;
  scratchRow: Float32Array | Float64Array;
}

/** A finished leaf: its node and its rows idx[start..end). */
export interface GrownLeaf {
  node: number;
  start: number;
  end: number;
  lower: number;
  upper: number;
}

/** A leaf while the tree grows. */
export interface Leaf extends LeafStats, GrownLeaf {
  depth: number;
  slot: number;
  split: SplitInfo | null;
  /** Rows copied into cbins/crow in leaf order (and kept there by partitioning). */
  compact: boolean;
}

/** Below this many row-features a histogram is built on the calling thread (waking workers costs more). */
const PARALLEL_MIN_WORK = 1 << 15;

/** Grows a tree on rows idx[0..nRows) with features `allowed` (null = all). */
export function growTree(
  ctx: GrowContext,
  nRows: number,
  allowed: Uint8Array | null,
  p: GrowParams,
): { builder: TreeBuilder; leaves: GrownLeaf[] } {
  const { state: s, mappers } = ctx;
  const F = s.nFeatures;
  const builder = new TreeBuilder();
  const freeSlots: number[] = [];
  for (let k = p.maxLeaves - 1; k >= 0; k--) freeSlots.push(k);
  const slotView = (slot: number) => s.hist.subarray(slot * F * BIN_STRIDE, (slot + 1) * F * BIN_STRIDE);
  // A leaf small enough for compaction is compacted when its histogram is built (on one thread by the same pass,
  // which reads its scattered rows anyway); leaves whose histograms come from subtraction stay where they are
  // (partitioning a scattered leaf moves 4 bytes per row, a compacted one all its bins) until then. Over the pool
  // compaction is its own job split by rows: a fused pass split by features would make every thread read every row.
  const build = (l: Leaf) => {
    const gather = !l.compact && l.count <= ctx.compactRows;
    if (ctx.pool !== null && (l.end - l.start) * F >= PARALLEL_MIN_WORK) {
      if (gather) ctx.pool.run(JOB_COMPACT, l.start, l.end, 0);
      ctx.pool.run(gather || l.compact ? JOB_HIST_COMPACT : JOB_HIST, l.slot, l.start, l.end);
    } else {
      buildHist(s, l.slot, l.start, l.end, 0, F, gather ? "gather" : l.compact ? "direct" : "index");
      if (gather) copyRowData(s, l.start, l.end);
    }
    if (gather) l.compact = true;
  };
  const canSplit = (l: Leaf) =>
    (p.maxDepth <= 0 || l.depth < p.maxDepth) && l.end - l.start >= 2 * p.minDataInLeaf;
  const found = (l: Leaf, split: SplitInfo | null) => {
    l.split = split;
    if (split === null) {
      freeSlots.push(l.slot);
      l.slot = -1;
    }
  };
  // Subtraction (the larger child's histogram = parent's - smaller child's, in the parent's slot; subParent -1 =
  // none) and the split search of up to two leaves: one job over the pool (features split), else here.
  const evaluate = (todo: Leaf[], subParent: number, subChild: number) => {
    if (ctx.pool !== null && s.split !== null) {
      setSplitInputs(s, subParent, subChild, todo);
      ctx.pool.run(JOB_SPLIT, todo.length, 0, 0);
      todo.forEach((l, j) => {
        found(l, mergedSplit(s, j, ctx.pool!.threads));
      });
      return;
    }
    if (subParent >= 0) subtractHist(slotView(subParent), slotView(subChild), 0, F);
    for (const l of todo) found(l, findBestSplit(slotView(l.slot), mappers, allowed, ctx.monotone, l, p));
  };

  const rootSlot = freeSlots.pop()!;
  if (ctx.pool !== null && nRows * F >= PARALLEL_MIN_WORK) ctx.pool.run(JOB_HIST, rootSlot, 0, nRows);
  else buildHist(s, rootSlot, 0, nRows, 0, F);
  const rh = slotView(rootSlot);
  let G = 0;
  let H = 0;
  // Every row sits in exactly one bin of feature 0 (missing included), so its histogram sums to the totals.
  for (let b = 0; b < 256; b++) {
    G += rh[2 * b];
    H += rh[2 * b + 1];
  }
  const lower = Number.NEGATIVE_INFINITY;
  const upper = Number.POSITIVE_INFINITY;
  const root: Leaf = {
    node: builder.addLeaf(p.learningRate * leafValue(G, H, p.lambdaL2, lower, upper), nRows),
    start: 0,
    end: nRows,
    sumGrad: G,
    sumHess: H,
    count: nRows,
    lower,
    upper,
    depth: 0,
    slot: rootSlot,
    split: null,
    compact: false,
  };
  if (canSplit(root)) evaluate([root], -1, -1);
  else freeSlots.push(rootSlot);
  const leaves: Leaf[] = [root];

  while (leaves.length < p.maxLeaves) {
    let bi = -1;
    for (let k = 0; k < leaves.length; k++) {
      const sp = leaves[k].split;
      if (sp !== null && (bi < 0 || sp.gain > leaves[bi].split!.gain)) bi = k;
    }
    if (bi < 0) break;
    const parent = leaves[bi];
    const sp = parent.split!;
    const mid = partitionLeaf(ctx, parent, sp);
    const [lo, hi] = childBounds(parent, sp, ctx.monotone, p.lambdaL2);
    const mk = (start: number, end: number, g: number, h: number, lower: number, upper: number): Leaf => ({
      node: builder.addLeaf(p.learningRate * leafValue(g, h, p.lambdaL2, lower, upper), end - start),
      start,
      end,
      sumGrad: g,
      sumHess: h,
      count: end - start,
      lower,
      upper,
      depth: parent.depth + 1,
      slot: -1,
      split: null,
      compact: parent.compact,
    });
    const left = mk(parent.start, mid, sp.leftGrad, sp.leftHess, lo[0], hi[0]);
    const right = mk(mid, parent.end, sp.rightGrad, sp.rightHess, lo[1], hi[1]);
    const m = mappers[sp.feature];
    builder.split(
      parent.node,
      {
        feature: sp.feature,
        threshold: sp.catBits !== null ? Number.NaN : sp.bin < m.nBins - 1 ? m.thresholds[sp.bin] : Infinity,
        binThreshold: sp.bin,
        defaultLeft: sp.defaultLeft,
        catBits: sp.catBits,
        gain: sp.gain,
      },
      left.node,
      right.node,
    );
    leaves.splice(bi, 1, left, right);

    const [small, large] = left.count <= right.count ? [left, right] : [right, left];
    const splitSmall = canSplit(small);
    const splitLarge = canSplit(large);
    if (splitSmall || splitLarge) {
      small.slot = freeSlots.pop()!;
      build(small);
      if (splitLarge) large.slot = parent.slot;
      else freeSlots.push(parent.slot);
      const todo: Leaf[] = [];
      if (splitSmall) todo.push(small);
      if (splitLarge) todo.push(large);
      evaluate(todo, splitLarge ? parent.slot : -1, small.slot);
      if (!splitSmall) {
        freeSlots.push(small.slot);
        small.slot = -1;
      }
    } else freeSlots.push(parent.slot);
  }
  for (const l of leaves) if (l.slot >= 0) freeSlots.push(l.slot);
  return {
    builder,
    leaves: leaves.map((l) => ({ node: l.node, start: l.start, end: l.end, lower: l.lower, upper: l.upper })),
  };
}

/** Value bounds of the two children: a monotone split puts the midpoint of the child values between them. */
function childBounds(
  parent: Leaf,
  sp: SplitInfo,
  monotone: Int8Array | null,
  lambda: number,
): [[number, number], [number, number]] {
  const mono = monotone === null ? 0 : monotone[sp.feature];
  const { lower, upper } = parent;
  if (mono === 0)
    return [
      [lower, lower],
      [upper, upper],
    ];
  const lv = leafValue(sp.leftGrad, sp.leftHess, lambda, lower, upper);
  const rv = leafValue(sp.rightGrad, sp.rightHess, lambda, lower, upper);
  const mid = (lv + rv) / 2;
  // Returned as [lowers of (left, right)], [uppers of (left, right)].
  return mono > 0
    ? [
        [lower, Math.max(lower, mid)],
        [Math.min(upper, mid), upper],
      ]
    : [
        [Math.max(lower, mid), lower],
        [upper, Math.min(upper, mid)],
      ];
}
