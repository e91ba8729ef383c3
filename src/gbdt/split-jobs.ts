/**
 * Split search over the pool: after a split, each thread turns its features' share of the parent's histogram into
 * the larger child's (subtraction) and searches its features for the best split of both children. The main thread
 * keeps, per child, the first thread's candidate with the highest gain, which is exactly the serial search's
 * answer (it keeps the first maximum in feature order, and thread t's features all come before thread t+1's).
 */
import type { BinMapper } from "./binning.ts";
import { BIN_STRIDE, featureRange, subtractHist } from "./histogram.ts";
import type { TrainState } from "./jobs.ts";
import { findBestSplit, type LeafStats, type SplitInfo, type SplitParams } from "./split.ts";

/** What the split search reads that is fixed for a training session (sent to the workers once). */
export interface SplitSetup {
  mappers: readonly BinMapper[];
  monotone: Int8Array | null;
  params: SplitParams;
  /** Features the current tree may split on (1 = allowed), rewritten per tree. */
  allowed: Uint8Array;
}

/** Layout of TrainState.splitCtl (Float64): subtraction slots, then per leaf its slot and stats. */
const SUB_PARENT = 0;
const SUB_CHILD = 1;
const LEAF0 = 2;
/** slot, sumGrad, sumHess, count, lower, upper. */
const LEAF_WORDS = 6;
/** gain (NaN = none), feature, bin, defaultLeft, leftGrad, leftHess, leftCount, rightGrad, rightHess, rightCount,
 * then 8 words of the categorical left set (-1 in the first = numeric). */
const RESULT_WORDS = 18;
const RESULTS = LEAF0 + 2 * LEAF_WORDS;

/** Float64 words of splitCtl for up to `threads` threads. */
export function splitCtlWords(threads: number): number {
  return RESULTS + 2 * threads * RESULT_WORDS;
}

/** Thread t's share of a split job over `nLeaves` leaves (1 or 2). */
export function splitShare(s: TrainState, nLeaves: number, t: number, T: number): void {
  const c = s.splitCtl;
  const sp = s.split;
  if (sp === null) return;
  const [f0, f1] = featureRange(s.nFeatures, t, T);
  const size = s.nFeatures * BIN_STRIDE;
  const view = (slot: number) => s.hist.subarray(slot * size, (slot + 1) * size);
  if (c[SUB_PARENT] >= 0) subtractHist(view(c[SUB_PARENT]), view(c[SUB_CHILD]), f0, f1);
  for (let l = 0; l < nLeaves; l++) {
    const o = LEAF0 + l * LEAF_WORDS;
    const leaf: LeafStats = {
      sumGrad: c[o + 1],
      sumHess: c[o + 2],
      count: c[o + 3],
      lower: c[o + 4],
      upper: c[o + 5],
    };
    const best = findBestSplit(view(c[o]), sp.mappers, sp.allowed, sp.monotone, leaf, sp.params, f0, f1);
    writeResult(c, RESULTS + (l * T + t) * RESULT_WORDS, best);
  }
}

/** Posts the job's inputs: the subtraction (parent slot -1 = none) and the leaves to search. */
export function setSplitInputs(
  s: TrainState,
  subParent: number,
  subChild: number,
  leaves: readonly (LeafStats & { slot: number })[],
): void {
  const c = s.splitCtl;
  c[SUB_PARENT] = subParent;
  c[SUB_CHILD] = subChild;
  leaves.forEach((l, j) => {
    const o = LEAF0 + j * LEAF_WORDS;
    c[o] = l.slot;
    c[o + 1] = l.sumGrad;
    c[o + 2] = l.sumHess;
    c[o + 3] = l.count;
    c[o + 4] = l.lower;
    c[o + 5] = l.upper;
  });
}

/** The best split of leaf l over all threads' candidates (the first of equal gains, as the serial search). */
export function mergedSplit(s: TrainState, l: number, T: number): SplitInfo | null {
  let best: SplitInfo | null = null;
  for (let t = 0; t < T; t++) {
    const r = readResult(s.splitCtl, RESULTS + (l * T + t) * RESULT_WORDS);
    if (r !== null && (best === null || r.gain > best.gain)) best = r;
  }
  return best;
}

function writeResult(c: Float64Array, o: number, r: SplitInfo | null): void {
  if (r === null) {
    c[o] = Number.NaN;
    return;
  }
  c[o] = r.gain;
  c[o + 1] = r.feature;
  c[o + 2] = r.bin;
  c[o + 3] = r.defaultLeft ? 1 : 0;
  c[o + 4] = r.leftGrad;
  c[o + 5] = r.leftHess;
  c[o + 6] = r.leftCount;
  c[o + 7] = r.rightGrad;
  c[o + 8] = r.rightHess;
  c[o + 9] = r.rightCount;
  if (r.catBits === null) c[o + 10] = -1;
  else for (let j = 0; j < 8; j++) c[o + 10 + j] = r.catBits[j];
}

function readResult(c: Float64Array, o: number): SplitInfo | null {
  if (Number.isNaN(c[o])) return null;
  let catBits: Uint32Array | null = null;
  if (c[o + 10] !== -1) {
    catBits = new Uint32Array(8);
    for (let j = 0; j < 8; j++) catBits[j] = c[o + 10 + j];
  }
  return {
    gain: c[o],
    feature: c[o + 1],
    bin: c[o + 2],
    defaultLeft: c[o + 3] === 1,
    catBits,
    leftGrad: c[o + 4],
    leftHess: c[o + 5],
    leftCount: c[o + 6],
    rightGrad: c[o + 7],
    rightHess: c[o + 8],
    rightCount: c[o + 9],
  };
}
