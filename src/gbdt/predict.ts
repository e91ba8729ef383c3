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
  left: Int32Array;
  right: Int32Array;
  defaultLeft: Uint8Array;
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
    left: mk(Int32Array, 4, nNodes),
    right: mk(Int32Array, 4, nNodes),
    defaultLeft: mk(Uint8Array, 1, nNodes),
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
      e.feature[j] = t.feature[i];
      e.threshold[j] = t.threshold[i];
      e.left[j] = t.left[i] + off;
      e.right[j] = t.right[i] + off;
      e.defaultLeft[j] = t.defaultLeft[i];
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
  const { roots, feature, threshold, left, right, defaultLeft, cat, catWords, value } = e;
  const nTrees = roots.length;
  for (let b0 = r0; b0 < r1; b0 += ROW_BLOCK) {
    const nb = Math.min(ROW_BLOCK, r1 - b0);
    block.set(x.subarray(b0 * nCols, (b0 + nb) * nCols));
    if (e.catFeatures.length > 0) categoricalToBins(e, block, nb);
    acc.fill(e.base, 0, nb);
    for (let t = 0; t < nTrees; t++) {
      const root = roots[t];
      for (let r = 0, o = 0; r < nb; r++, o += F) {
        let node = root;
        let f = feature[node];
        while (f >= 0) {
          const v = block[o + f];
          const c = cat[node];
          if (c < 0)
            node =
              v <= threshold[node] || (Number.isNaN(v) && defaultLeft[node] === 1) ? left[node] : right[node];
          else node = (catWords[c + (v >>> 5)] & (1 << (v & 31))) !== 0 ? left[node] : right[node];
          f = feature[node];
        }
        acc[r] += value[node];
      }
    }
    out.set(acc.subarray(0, nb), b0);
  }
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
