/**
 * Prediction on bin indices for several boosters fitted on one Dataset (so their bin mappers agree): the rows are
 * quantized once into 1-byte bins and every booster's trees are walked on the bins, instead of each booster
 * comparing raw values again. A numeric split "x <= threshold" is "bin <= binThreshold" exactly (the threshold is
 * the mapper's upper bound of that bin), NaN goes to the missing bin and takes the node's learned default
 * direction, categorical splits test the bin's bit as in training; each row adds the tree outputs in tree order,
 * so the scores are identical to Booster.predict's float walk. Rows are processed in blocks (quantize a block,
 * then every tree of every booster walks it while the block's bins stay in cache); threads take blocks from a
 * shared counter, so a thread slowed by other work (DuckDB beside the batch job) takes fewer.
 */
import type { BinMapper } from "./binning.ts";
import type { ModelData } from "./booster.ts";
import { quantizeBlock, quantizeRuns } from "./predict-binned-quantize.ts";
import { alloc, BLOCK, walkRuns } from "./predict-binned-runs.ts";

export { BLOCK } from "./predict-binned-runs.ts";

/** One booster's trees as flat arrays over bins (shareable with workers). */
export interface BinnedEnsemble {
  /** Raw score before any tree. */
  base: number;
  roots: Int32Array;
  /** Split feature of each node (0 for leaves). */
  feature: Int32Array;
  /**
   * Per node, 256 bytes: 1 when a row with that bin goes right. A numeric split: bin > binThreshold, except the
   * missing bin when missing values go left; a categorical split: the bin's bit is not set. Leaves: all 0. One
   * lookup serves both kinds, without a branch (half the splits of a production model are categorical).
   */
  right: Uint8Array;
  /** Children interleaved (left 2n, right 2n + 1); a leaf is its own child, so extra steps past it are harmless. */
  child: Int32Array;
  /** 1 for leaves. */
  leaf: Uint8Array;
  value: Float64Array;
}

/** How to quantize raw values with the shared mappers (shareable with workers). */
export interface BinTables {
  nFeatures: number;
  /** 1 for features some tree splits on: the others are not quantized (their bins are never read). */
  used: Uint8Array;
  /** 1 for categorical features. */
  categorical: Uint8Array;
  /** Missing bin (= nBins) of each feature. */
  missing: Int32Array;
  /** Numeric: thresholds padded with +Infinity to 256 at pad[offset[f]..] (for searchPadded). */
  pad: Float64Array;
  offset: Int32Array;
  /** Categorical: ascending codes at codes[codeStart[f]..codeStart[f + 1]). */
  codes: Float64Array;
  codeStart: Int32Array;
}

/** What a binned prediction pass shares with the pool. */
export interface BinnedPredictState {
  kind: "predict-binned";
  /**
   * The features by column: value (i, f) at columns[f][i] (all Float32 or all Float64; a feature no tree splits
   * on may be an empty array). Shared with the workers: SharedArrayBuffer-backed when threads take part.
   */
  columns: (Float32Array | Float64Array)[];
  nRows: number;
  tables: BinTables;
  models: BinnedEnsemble[];
  /** Raw scores, one array per model. */
  out: Float64Array[];
  /** [0]: next block to take. */
  next: Int32Array;
  /**
   * Runs of rows whose `static` features are equal (a forecast's 28 horizons of one series share every feature
   * as of the origin): run q is rows runs[q]..runs[q+1]-1, at most BLOCK rows. Blocks are whole runs: block b is
   * runs blockRun[b]..blockRun[b+1]-1. Without runs, blocks are BLOCK rows.
   */
  runs: Int32Array | null;
  blockRun: Int32Array | null;
  /** Per model, per node: 1 where a run's rows may part (a leaf, or a split on a feature not constant in runs). */
  stops: Uint8Array[] | null;
  /** Per run, bit f of words [q * ceil(F / 32)..]: feature f varies within run q (see rowRuns). */
  runVaries: Uint32Array | null;
  /**
   * Group ids of the rows whose runs are still to be found (completeRuns, predict-binned-runs.ts) before any
   * block is predicted; null once they are (or without runs).
   */
  groups: Int32Array | null;
  /** Per row: the divisor of the `divided` features (see Divide); null: none. */
  divisor: Float32Array | null;
  /** Per feature: 1 when its value is the column's divided by the row's divisor. */
  divided: Uint8Array | null;
  /**
   * Per feature: 1 when the caller vouches that it is constant within each group, so it is never scanned and
   * only each run's first row is read (the other rows may hold anything); null: every feature is scanned.
   */
  constant: Uint8Array | null;
}

/**
 * Features given as column / per-row divisor, rounded to Float32 (as a Float32Array of the quotients would hold
 * them): the division is made where a value is quantized (once per run for a feature constant in it), instead of
 * on every row of a divided copy of the columns.
 */
export interface Divide {
  divisor: Float32Array;
  /** 1 for each feature divided. */
  divided: Uint8Array;
}

/** Blocks a thread takes at a time from the shared counter. */
const GRAB = 16;

/**
 * The booster's trees over bins, or null when a numeric threshold is not its bin's upper bound under the model's
 * mappers (a model not grown by this learner): the float walk must serve it then.
 */
export function compileBinned(model: ModelData, shared: boolean): BinnedEnsemble | null {
  const { trees, mappers } = model;
  const nNodes = trees.reduce((s, t) => s + t.feature.length, 0);
  const e: BinnedEnsemble = {
    base: model.base,
    roots: new Int32Array(alloc(4 * trees.length, shared), 0, trees.length),
    feature: new Int32Array(alloc(4 * nNodes, shared), 0, nNodes),
    right: new Uint8Array(alloc(256 * nNodes, shared), 0, 256 * nNodes),
    child: new Int32Array(alloc(8 * nNodes, shared), 0, 2 * nNodes),
    leaf: new Uint8Array(alloc(nNodes, shared), 0, nNodes),
    value: new Float64Array(alloc(8 * nNodes, shared), 0, nNodes),
  };
  let off = 0;
  for (const [k, t] of trees.entries()) {
    e.roots[k] = off;
    for (let i = 0; i < t.feature.length; i++) {
      const j = off + i;
      const f = t.feature[i]!;
      e.value[j] = t.value[i]!;
      if (f < 0) {
        e.child[2 * j] = j;
        e.child[2 * j + 1] = j;
        e.leaf[j] = 1;
        continue;
      }
      const m = mappers[f];
      if (m === undefined) return null;
      e.feature[j] = f;
      e.child[2 * j] = t.left[i]! + off;
      e.child[2 * j + 1] = t.right[i]! + off;
      const right = e.right.subarray(256 * j, 256 * (j + 1));
      const c = t.cat[i]!;
      if (c >= 0) {
        if (m.kind !== "categorical") return null;
        for (let b = 0; b < 256; b++) right[b] = +((t.catWords[c + (b >>> 5)]! & (1 << (b & 31))) === 0);
        continue;
      }
      if (m.kind !== "numeric") return null;
      const bt = t.binThreshold[i]!;
      const thr = t.threshold[i]!;
      // The float walk sends x > thr right (NaN: by defaultLeft); that is bin > bt exactly when thr is bin bt's
      // upper bound. The missing bin (nBins) is above every threshold, so it goes right unless missing goes left.
      const ok =
        bt >= 0 &&
        bt < m.nBins &&
        (bt < m.nBins - 1 ? m.thresholds[bt] === thr : thr === Number.POSITIVE_INFINITY);
      if (!ok) return null;
      for (let b = bt + 1; b < 256; b++) right[b] = 1;
      if (t.defaultLeft[i] === 1) right[m.nBins] = 0;
    }
    off += t.feature.length;
  }
  return e;
}

/** 1 for each of F features some tree of the models splits on. */
export function usedFeatures(models: readonly BinnedEnsemble[], F: number): Uint8Array {
  const used = new Uint8Array(F);
  for (const e of models)
    for (let j = 0; j < e.leaf.length; j++) if (e.leaf[j] === 0) used[e.feature[j]!] = 1;
  return used;
}

/** True when two models bin every feature the same way (then one quantization serves both). */
export function sameMappers(a: readonly BinMapper[], b: readonly BinMapper[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  const eq = (x: Float64Array, y: Float64Array) => x.length === y.length && x.every((v, i) => v === y[i]);
  return a.every((m, f) => {
    const o = b[f]!;
    return (
      m.kind === o.kind &&
      m.nBins === o.nBins &&
      eq(m.thresholds, o.thresholds) &&
      eq(m.categories, o.categories)
    );
  });
}

/** The quantization tables of a set of mappers. */
export function binTables(
  mappers: readonly BinMapper[],
  shared: boolean,
  used: Uint8Array | null = null,
): BinTables {
  const F = mappers.length;
  const offset = new Int32Array(alloc(4 * F, shared), 0, F);
  const codeStart = new Int32Array(alloc(4 * (F + 1), shared), 0, F + 1);
  let nPad = 0;
  let nCodes = 0;
  mappers.forEach((m, f) => {
    offset[f] = nPad;
    codeStart[f] = nCodes;
    // Numeric: 256 padded thresholds (searchPadded's unrolled eight steps); categorical: its codes.
    if (m.kind === "numeric") nPad += 256;
    else nCodes += m.categories.length;
  });
  codeStart[F] = nCodes;
  const t: BinTables = {
    nFeatures: F,
    used: new Uint8Array(alloc(F, shared), 0, F).fill(1),
    categorical: new Uint8Array(alloc(F, shared), 0, F),
    missing: new Int32Array(alloc(4 * F, shared), 0, F),
    pad: new Float64Array(alloc(8 * nPad, shared), 0, nPad).fill(Number.POSITIVE_INFINITY),
    offset,
    codes: new Float64Array(alloc(8 * nCodes, shared), 0, nCodes),
    codeStart,
  };
  if (used) t.used.set(used);
  mappers.forEach((m, f) => {
    t.missing[f] = m.nBins;
    if (m.kind === "numeric") t.pad.set(m.thresholds, offset[f]);
    else {
      t.categorical[f] = 1;
      t.codes.set(m.categories, codeStart[f]);
    }
  });
  return t;
}

/** Scratch arrays of one thread. */
export interface Scratch {
  bins: Uint8Array;
  acc: Float64Array;
  /** The block's rows (0..n-1), permuted within each run of more than 32 rows by walkRuns. */
  idx: Int32Array;
  /** walkRuns' groups to descend: (node, start, end) triples over idx, or walkRunMask's (node, row mask) pairs. */
  stack: Int32Array;
}

/** Raw scores of blocks [b0, b1) for every model (out[k][r]), one block at a time. */
function predictBlocks(s: BinnedPredictState, b0: number, b1: number, w: Scratch): void {
  const F = s.tables.nFeatures;
  const { acc, bins } = w;
  for (let b = b0; b < b1; b++) {
    const q0 = s.blockRun ? s.blockRun[b]! : 0;
    const q1 = s.blockRun ? s.blockRun[b + 1]! : 0;
    const r0 = s.runs ? s.runs[q0]! : b * BLOCK;
    const r1 = s.runs ? s.runs[q1]! : Math.min(s.nRows, r0 + BLOCK);
    const nb = r1 - r0;
    const divide = s.divisor && s.divided ? { divisor: s.divisor, divided: s.divided } : null;
    if (s.runs && s.runVaries) quantizeRuns(s.tables, s.columns, s.runs, s.runVaries, q0, q1, bins, divide);
    else quantizeBlock(s.tables, s.columns, r0, r1, bins, divide);
    for (let r = 0; r < nb; r++) w.idx[r] = r;
    for (let k = 0; k < s.models.length; k++) {
      const e = s.models[k]!;
      acc.fill(e.base, 0, nb);
      if (s.stops) {
        const stop = s.stops[k]!;
        for (let t = 0; t < e.roots.length; t++)
          walkRuns(e, stop, e.roots[t]!, s.runs!, s.runVaries!, q0, q1, F, w);
      } else for (let t = 0; t < e.roots.length; t++) walkTree(e, e.roots[t]!, bins, F, nb, acc);
      s.out[k]!.set(acc.subarray(0, nb), r0);
    }
  }
}

/** Number of blocks of a pass. */
function blockCount(s: BinnedPredictState): number {
  return s.blockRun ? s.blockRun.length - 1 : Math.ceil(s.nRows / BLOCK);
}

/** Thread t's share of a pool pass: blocks taken from the shared counter until none are left. */
export function predictBinnedShare(s: BinnedPredictState): void {
  const w: Scratch = {
    bins: new Uint8Array(BLOCK * s.tables.nFeatures),
    acc: new Float64Array(BLOCK),
    idx: new Int32Array(BLOCK),
    stack: new Int32Array(3 * (BLOCK + 1)),
  };
  const nBlocks = blockCount(s);
  for (;;) {
    const b = Atomics.add(s.next, 0, GRAB);
    if (b >= nBlocks) return;
    predictBlocks(s, b, Math.min(nBlocks, b + GRAB), w);
  }
}

/**
 * One tree over a block of bins, four rows at a time: a walk is a chain of dependent loads (node -> bin ->
 * direction -> child), and four independent chains overlap in the CPU. Leaves point to themselves, so the four
 * advance together until all have reached a leaf.
 */
function walkTree(
  e: BinnedEnsemble,
  root: number,
  bins: Uint8Array,
  F: number,
  nb: number,
  acc: Float64Array,
): void {
  const { feature, right, child, leaf, value } = e;
  let r = 0;
  for (; r + 4 <= nb; r += 4) {
    const o = r * F;
    let a = root;
    let b = root;
    let c = root;
    let d = root;
    while ((leaf[a]! & leaf[b]! & leaf[c]! & leaf[d]!) === 0) {
      a = child[2 * a + right[(a << 8) | bins[o + feature[a]!]!]!]!;
      b = child[2 * b + right[(b << 8) | bins[o + F + feature[b]!]!]!]!;
      c = child[2 * c + right[(c << 8) | bins[o + 2 * F + feature[c]!]!]!]!;
      d = child[2 * d + right[(d << 8) | bins[o + 3 * F + feature[d]!]!]!]!;
    }
    acc[r] += value[a]!;
    acc[r + 1] += value[b]!;
    acc[r + 2] += value[c]!;
    acc[r + 3] += value[d]!;
  }
  for (; r < nb; r++) {
    let a = root;
    while (leaf[a] === 0) a = child[2 * a + right[(a << 8) | bins[r * F + feature[a]!]!]!]!;
    acc[r] += value[a]!;
  }
}
