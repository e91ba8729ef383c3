/**
 * Prediction over all trees at once from flat arrays (absolute node indices), on raw feature values. Rows are
 * processed in blocks: a block of rows is copied into a Float64 buffer (categorical codes turned into bins on the
 * way), then every tree walks the whole block before the next tree starts, so one tree's nodes stay in cache
 * while the rows stream through. Each row still adds tree outputs in tree order, so the sums are identical to the
 * training scores and to any other blocking or thread count.
 */
import { type BinMapper, indexOf } from "./binning.ts";
import type { Tree } from "./tree.ts";

/** The whole model as flat arrays (shareable with workers). */
export interface EnsembleArrays {
  nFeatures: number;
  /** Raw score before any tree. */
  base: number;
  /** Root node of each tree. */
  roots: Int32Array;
  feature: Int32Array;
  threshold: Float64Array;
  /**
   * Children interleaved: left at 2 * node, right at 2 * node + 1 (so the walk can index instead of branch). A leaf
   * is its own child (and has feature 0), so extra steps past a leaf are harmless.
   */
  child: Int32Array;
  /** 1 for leaves. */
  leaf: Uint8Array;
  defaultLeft: Uint8Array;
  /** 1 - defaultLeft: missing values go right (what the numeric step needs). */
  missingRight: Uint8Array;
  /** 1 when some node is a categorical split (numeric-only models take the shorter step). */
  hasCategorical: number;
  /** Absolute offset into catWords, or -1. */
  cat: Int32Array;
  catWords: Uint32Array;
  value: Float64Array;
  /** Categorical features and, for each, its codes (ascending) in catCodes[catStart[k]..catStart[k+1]). */
  catFeatures: Int32Array;
  catStart: Int32Array;
  catCodes: Float64Array;
}

const ROW_BLOCK = 256;

/** Concatenates trees into one set of flat arrays, in SharedArrayBuffers when `shared`. */
export function ensembleArrays(
  trees: readonly Tree[],
  mappers: readonly BinMapper[],
  base: number,
  shared: boolean,
): EnsembleArrays {
  const nNodes = trees.reduce((s, t) => s + t.feature.length, 0);
  const nWords = trees.reduce((s, t) => s + t.catWords.length, 0);
  const cats = mappers.flatMap((m, f) => (m.kind === "categorical" ? [f] : []));
  const nCodes = cats.reduce((s, f) => s + mappers[f].categories.length, 0);
  const mk = <T>(C: new (b: ArrayBufferLike) => T, bytes: number, n: number): T =>
    new C(shared ? new SharedArrayBuffer(Math.max(n, 1) * bytes) : new ArrayBuffer(Math.max(n, 1) * bytes));
  const e: EnsembleArrays = {
    nFeatures: mappers.length,
    base,
    roots: mk(Int32Array, 4, trees.length),
    feature: mk(Int32Array, 4, nNodes),
    threshold: mk(Float64Array, 8, nNodes),
    child: mk(Int32Array, 4, 2 * nNodes),
    leaf: mk(Uint8Array, 1, nNodes),
    defaultLeft: mk(Uint8Array, 1, nNodes),
    missingRight: mk(Uint8Array, 1, nNodes),
    hasCategorical: nWords > 0 ? 1 : 0,
    cat: mk(Int32Array, 4, nNodes),
    catWords: mk(Uint32Array, 4, nWords),
    value: mk(Float64Array, 8, nNodes),
    catFeatures: Int32Array.from(cats),
    catStart: new Int32Array(cats.length + 1),
    catCodes: mk(Float64Array, 8, nCodes),
  };
  let off = 0;
  let woff = 0;
  trees.forEach((t, k) => {
    e.roots[k] = off;
    for (let i = 0; i < t.feature.length; i++) {
      const j = off + i;
      const isLeaf = t.feature[i] < 0;
      e.feature[j] = isLeaf ? 0 : t.feature[i];
      e.leaf[j] = isLeaf ? 1 : 0;
      e.threshold[j] = t.threshold[i];
      e.child[2 * j] = isLeaf ? j : t.left[i] + off;
      e.child[2 * j + 1] = isLeaf ? j : t.right[i] + off;
      e.defaultLeft[j] = t.defaultLeft[i];
      e.missingRight[j] = isLeaf ? 0 : 1 - t.defaultLeft[i];
      e.cat[j] = t.cat[i] < 0 ? -1 : t.cat[i] + woff;
      e.value[j] = t.value[i];
    }
    e.catWords.set(t.catWords, woff);
    off += t.feature.length;
    woff += t.catWords.length;
  });
  let c = 0;
  cats.forEach((f, k) => {
    e.catStart[k] = c;
    e.catCodes.set(mappers[f].categories, c);
    c += mappers[f].categories.length;
  });
  e.catStart[cats.length] = c;
  return e;
}

/** Raw scores of rows [r0, r1) of a row-major matrix with nCols columns, into out[r0..r1). */
export function predictRows(
  e: EnsembleArrays,
  x: Float32Array | Float64Array,
  nCols: number,
  r0: number,
  r1: number,
  out: Float64Array,
): void {
  const F = e.nFeatures;
  const block = new Float64Array(ROW_BLOCK * F);
  const acc = new Float64Array(ROW_BLOCK);
  for (let b0 = r0; b0 < r1; b0 += ROW_BLOCK) {
    const nb = Math.min(ROW_BLOCK, r1 - b0);
    block.set(x.subarray(b0 * nCols, (b0 + nb) * nCols));
    if (e.catFeatures.length > 0) categoricalToBins(e, block, nb);
    acc.fill(e.base, 0, nb);
    if (e.hasCategorical) for (let t = 0; t < e.roots.length; t++) walkBlock(e, e.roots[t], block, nb, acc);
    else for (let t = 0; t < e.roots.length; t++) walkBlockNumeric(e, e.roots[t], block, nb, acc);
    out.set(acc.subarray(0, nb), b0);
  }
}

/**
 * One tree over one block of rows, four rows at a time. A walk is a chain of dependent loads (node -> feature ->
 * value -> child); walking four independent rows in the same loop lets the CPU overlap the four chains. Leaves
 * point to themselves, so the four advance together until all have reached a leaf. Measured 2.5x faster than
 * one row at a time.
 */
function walkBlock(
  e: EnsembleArrays,
  root: number,
  block: Float64Array,
  nb: number,
  acc: Float64Array,
): void {
  const { feature, leaf, value } = e;
  const F = e.nFeatures;
  let r = 0;
  for (; r + 4 <= nb; r += 4) {
    const o = r * F;
    let a = root;
    let b = root;
    let c = root;
    let d = root;
    while ((leaf[a] & leaf[b] & leaf[c] & leaf[d]) === 0) {
      a = step(e, a, block[o + feature[a]]);
      b = step(e, b, block[o + F + feature[b]]);
      c = step(e, c, block[o + 2 * F + feature[c]]);
      d = step(e, d, block[o + 3 * F + feature[d]]);
    }
    acc[r] += value[a];
    acc[r + 1] += value[b];
    acc[r + 2] += value[c];
    acc[r + 3] += value[d];
  }
  for (; r < nb; r++) {
    let a = root;
    while (leaf[a] === 0) a = step(e, a, block[r * F + feature[a]]);
    acc[r] += value[a];
  }
}

/**
 * walkBlock for models without categorical splits: the step has no categorical test (measured 1.9x faster on
 * the benchmark's 200 trees of 63 leaves).
 */
function walkBlockNumeric(
  e: EnsembleArrays,
  root: number,
  block: Float64Array,
  nb: number,
  acc: Float64Array,
): void {
  const { feature, leaf, value, child, threshold, missingRight: mr } = e;
  const F = e.nFeatures;
  let r = 0;
  // Step: right when v > threshold, or when v is missing and missing goes right (NaN fails every comparison).
  for (; r + 4 <= nb; r += 4) {
    const o = r * F;
    let a = root;
    let b = root;
    let c = root;
    let d = root;
    while ((leaf[a] & leaf[b] & leaf[c] & leaf[d]) === 0) {
      const va = block[o + feature[a]];
      const vb = block[o + F + feature[b]];
      const vc = block[o + 2 * F + feature[c]];
      const vd = block[o + 3 * F + feature[d]];
      a = child[2 * a + (+(va > threshold[a]) | (mr[a] & +!(va <= threshold[a])))];
      b = child[2 * b + (+(vb > threshold[b]) | (mr[b] & +!(vb <= threshold[b])))];
      c = child[2 * c + (+(vc > threshold[c]) | (mr[c] & +!(vc <= threshold[c])))];
      d = child[2 * d + (+(vd > threshold[d]) | (mr[d] & +!(vd <= threshold[d])))];
    }
    acc[r] += value[a];
    acc[r + 1] += value[b];
    acc[r + 2] += value[c];
    acc[r + 3] += value[d];
  }
  for (; r < nb; r++) {
    let a = root;
    while (leaf[a] === 0) {
      const v = block[r * F + feature[a]];
      a = child[2 * a + (+(v > threshold[a]) | (mr[a] & +!(v <= threshold[a])))];
    }
    acc[r] += value[a];
  }
}

/** The child of `node` for feature value v, without branching on the comparison. */
function step(e: EnsembleArrays, node: number, v: number): number {
  const c = e.cat[node];
  if (c < 0) {
    // Right when v > threshold, or when v is missing and missing goes right.
    const nan = +Number.isNaN(v);
    return e.child[2 * node + ((+(v > e.threshold[node]) | nan) ^ (nan & e.defaultLeft[node]))];
  }
  return e.child[2 * node + +((e.catWords[c + (v >>> 5)] & (1 << (v & 31))) === 0)];
}

function categoricalToBins(e: EnsembleArrays, block: Float64Array, nb: number): void {
  const F = e.nFeatures;
  for (let k = 0; k < e.catFeatures.length; k++) {
    const f = e.catFeatures[k];
    const codes = e.catCodes.subarray(e.catStart[k], e.catStart[k + 1]);
    const missing = Math.max(codes.length, 1);
    for (let r = 0; r < nb; r++) {
      const v = block[r * F + f];
      const b = Number.isNaN(v) ? -1 : indexOf(codes, v);
      block[r * F + f] = b < 0 ? missing : b;
    }
  }
}
