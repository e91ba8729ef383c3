/**
 * Exact TreeSHAP (Lundberg, Erion and Lee 2018, "Consistent individualized feature attribution for tree
 * ensembles", Algorithm 2; the path-dependent variant of the `shap` package's tree_shap.h). The value of a feature
 * subset S is the expected raw score when the features in S follow the row and the others follow the training
 * cover of each node (`Tree.count`), which needs no background data and runs in O(trees * leaves * depth^2) per row.
 * Rows are routed exactly as predict.ts routes them: numeric x <= threshold goes left, NaN by the default
 * direction; categorical codes go through their bin (unseen codes and NaN share the missing bin) and the bitset.
 */
import { InputError } from "../core/errors.ts";
import type { BinMapper } from "./binning.ts";
import { binOf } from "./binning.ts";
import type { Booster } from "./booster.ts";
import { accessor, type FeatureInput } from "./dataset.ts";
import type { Tree } from "./tree.ts";

/** Options of treeShap. */
export interface ShapOptions {
  /** Use only the first n trees (as PredictOptions.iterations). */
  iterations?: number;
}

/**
 * SHAP contributions of every feature to every row's raw score (before the link), row-major n x (F + 1): value
 * (i, f) at i * (F + 1) + f, and the last column the base value (the expected raw score over the training cover).
 * Each row's F + 1 values sum to `booster.predict(x, { raw: true })`.
 */
export function treeShap(booster: Booster, x: FeatureInput, options: ShapOptions = {}): Float64Array {
  const { nRows, nCols, at } = accessor(x);
  const F = booster.numFeatures;
  if (nCols !== F) {
    throw new InputError(
      `treeShap: the model has ${F} features but the data has ${nCols}; give the same columns in the same order`,
      { column: "features" },
    );
  }
  const trees = booster.model.trees.slice(0, options.iterations ?? booster.numTrees);
  const mappers = booster.model.mappers;
  let base = booster.model.base;
  for (const t of trees) base += expectedValue(t);
  const out = new Float64Array(nRows * (F + 1));
  const work = new ShapWork(trees.reduce((m, t) => Math.max(m, treeDepth(t)), 1));
  const row = new Float64Array(F);
  for (let i = 0; i < nRows; i++) {
    for (let f = 0; f < F; f++) row[f] = routingValue(mappers[f], at(i, f));
    const phi = out.subarray(i * (F + 1), (i + 1) * (F + 1));
    for (const t of trees) work.tree(t, row, phi);
    phi[F] = base;
  }
  return out;
}

/** Mean |SHAP| per feature over the rows of a treeShap result (a global importance on the raw-score scale). */
export function meanAbsShap(values: Float64Array, nFeatures: number): Float64Array {
  const w = nFeatures + 1;
  const n = values.length / w;
  const out = new Float64Array(nFeatures);
  for (let i = 0; i < n; i++) for (let f = 0; f < nFeatures; f++) out[f] += Math.abs(values[i * w + f]);
  if (n > 0) for (let f = 0; f < nFeatures; f++) out[f] /= n;
  return out;
}

/** Expected output of a tree over its training cover: the cover-weighted mean of its leaf values. */
export function expectedValue(t: Tree): number {
  const root = t.count[0];
  if (!(root > 0)) return t.value[0];
  let s = 0;
  for (let i = 0; i < t.feature.length; i++) if (t.feature[i] < 0) s += t.value[i] * t.count[i];
  return s / root;
}

/** Depth of a tree (edges on its longest root-leaf path). */
export function treeDepth(t: Tree): number {
  const depth = (node: number): number =>
    t.feature[node] < 0 ? 0 : 1 + Math.max(depth(t.left[node]), depth(t.right[node]));
  return depth(0);
}

/** The value the walk compares: raw for numeric features, the bin for categorical ones (as predict.ts). */
function routingValue(m: BinMapper, v: number): number {
  return m.kind === "categorical" ? binOf(m, v) : v;
}

/** True when the row goes to the left child of `node`. */
function goesLeft(t: Tree, node: number, v: number): boolean {
  const c = t.cat[node];
  if (c >= 0) return (t.catWords[c + (v >>> 5)] & (1 << (v & 31))) !== 0;
  if (Number.isNaN(v)) return t.defaultLeft[node] === 1;
  return v <= t.threshold[node];
}

/**
 * The recursion's scratch space. A node at depth k holds a path of k + 1 elements at offset k(k + 1) / 2 at most
 * (the child copies its parent's path, as tree_shap.h does), so (D + 1)(D + 2) / 2 slots serve a tree of depth D:
 * no allocation per node.
 */
class ShapWork {
  private readonly d: Int32Array;
  private readonly z: Float64Array;
  private readonly o: Float64Array;
  private readonly w: Float64Array;
  private t!: Tree;
  private x!: Float64Array;
  private phi!: Float64Array;

  constructor(maxDepth: number) {
    const size = ((maxDepth + 1) * (maxDepth + 2)) / 2;
    this.d = new Int32Array(size);
    this.z = new Float64Array(size);
    this.o = new Float64Array(size);
    this.w = new Float64Array(size);
  }

  /** Adds one tree's contributions for row x (routing values) into phi. */
  tree(t: Tree, x: Float64Array, phi: Float64Array): void {
    if (t.feature[0] < 0) return; // a single leaf contributes only to the base value
    this.t = t;
    this.x = x;
    this.phi = phi;
    this.recurse(0, 0, 0, 1, 1, -1);
  }

  /**
   * Visits `node` with the parent's path at offset `parent` holding `depth` elements (none at the root), copies it
   * to offset parent + depth (past the parent's, which the sibling still needs) and extends it by (pz, po, pf):
   * the share of cover that reaches the node when the feature is unknown, whether the row reaches it when the
   * feature is known, and the feature.
   */
  private recurse(node: number, parent: number, depth: number, pz: number, po: number, pf: number): void {
    const { t, d, z, o, w } = this;
    const p = parent + depth;
    if (depth > 0) {
      d.copyWithin(p, parent, parent + depth);
      z.copyWithin(p, parent, parent + depth);
      o.copyWithin(p, parent, parent + depth);
      w.copyWithin(p, parent, parent + depth);
    }
    extend(d, z, o, w, p, depth, pz, po, pf);
    const f = t.feature[node];
    if (f < 0) {
      const v = t.value[node];
      for (let i = 1; i <= depth; i++) {
        const s = unwoundSum(z, o, w, p, depth, i);
        this.phi[d[p + i]] += s * (o[p + i] - z[p + i]) * v;
      }
      return;
    }
    const left = goesLeft(t, node, this.x[f]);
    const hot = left ? t.left[node] : t.right[node];
    const cold = left ? t.right[node] : t.left[node];
    const cover = t.count[node];
    let iz = 1;
    let io = 1;
    let len = depth;
    // A feature already on the path is undone here and redone with this split's fractions (each feature appears
    // once per path, as the algorithm requires).
    let k = 1;
    while (k <= len && d[p + k] !== f) k++;
    if (k <= len) {
      iz = z[p + k];
      io = o[p + k];
      unwind(d, z, o, w, p, len, k);
      len--;
    }
    const hotZ = cover > 0 ? t.count[hot] / cover : 0;
    const coldZ = cover > 0 ? t.count[cold] / cover : 0;
    this.recurse(hot, p, len + 1, hotZ * iz, io, f);
    // A cold child without cover has weight 0 in every term (and would divide by zero when unwound).
    if (coldZ * iz > 0) this.recurse(cold, p, len + 1, coldZ * iz, 0, f);
  }
}

/** Appends (pz, po, pf) to the path at offset p that holds `depth` + 1 elements after the call, updating weights. */
function extend(
  d: Int32Array,
  z: Float64Array,
  o: Float64Array,
  w: Float64Array,
  p: number,
  depth: number,
  pz: number,
  po: number,
  pf: number,
): void {
  d[p + depth] = pf;
  z[p + depth] = pz;
  o[p + depth] = po;
  w[p + depth] = depth === 0 ? 1 : 0;
  for (let i = depth - 1; i >= 0; i--) {
    w[p + i + 1] += (po * w[p + i] * (i + 1)) / (depth + 1);
    w[p + i] = (pz * w[p + i] * (depth - i)) / (depth + 1);
  }
}

/** Removes element k from the path at offset p (last index `depth`), inverting extend. */
function unwind(
  d: Int32Array,
  z: Float64Array,
  o: Float64Array,
  w: Float64Array,
  p: number,
  depth: number,
  k: number,
): void {
  const ok = o[p + k];
  const zk = z[p + k];
  let next = w[p + depth];
  for (let i = depth - 1; i >= 0; i--) {
    if (ok !== 0) {
      const tmp = w[p + i];
      w[p + i] = (next * (depth + 1)) / ((i + 1) * ok);
      next = tmp - (w[p + i] * zk * (depth - i)) / (depth + 1);
    } else {
      w[p + i] = (w[p + i] * (depth + 1)) / (zk * (depth - i));
    }
  }
  for (let i = k; i < depth; i++) {
    d[p + i] = d[p + i + 1];
    z[p + i] = z[p + i + 1];
    o[p + i] = o[p + i + 1];
  }
}

/** Total permutation weight of the path at offset p with element k unwound (without modifying the path). */
function unwoundSum(
  z: Float64Array,
  o: Float64Array,
  w: Float64Array,
  p: number,
  depth: number,
  k: number,
): number {
  const ok = o[p + k];
  const zk = z[p + k];
  let total = 0;
  if (ok !== 0) {
    let next = w[p + depth];
    for (let i = depth - 1; i >= 0; i--) {
      const tmp = next / ((i + 1) * ok);
      total += tmp;
      next = w[p + i] - tmp * zk * (depth - i);
    }
  } else if (zk !== 0) {
    for (let i = depth - 1; i >= 0; i--) total += w[p + i] / ((depth - i) * zk);
  }
  return total * (depth + 1);
}
