/**
 * Restores monotone constraints after leaf values were renewed (quantile losses replace the gradient-step leaf
 * values by residual quantiles, which know nothing of the bounds the grower kept). Top-down: at a constrained
 * split whose subtrees overlap in the wrong direction, both subtrees are clamped to the midpoint between them.
 * Clamping only narrows ranges, so constraints fixed higher up stay fixed.
 */
import type { Tree } from "./tree.ts";

/** Clamps leaf values of `t` in place so that every split on a constrained feature is monotone. */
export function enforceMonotone(t: Tree, monotone: Int8Array): void {
  visit(t, monotone, 0, Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY);
}

function visit(t: Tree, monotone: Int8Array, node: number, lo: number, hi: number): void {
  const f = t.feature[node];
  if (f < 0) {
    const v = t.value[node];
    t.value[node] = v < lo ? lo : Math.min(v, hi);
    return;
  }
  const l = t.left[node];
  const r = t.right[node];
  const d = t.cat[node] < 0 ? monotone[f] : 0;
  if (d === 0) {
    visit(t, monotone, l, lo, hi);
    visit(t, monotone, r, lo, hi);
    return;
  }
  // For d > 0 everything left must be <= everything right (d < 0: >=).
  const [lmin, lmax] = range(t, l, lo, hi);
  const [rmin, rmax] = range(t, r, lo, hi);
  let lLo = lo;
  let lHi = hi;
  let rLo = lo;
  let rHi = hi;
  if (d > 0 && lmax > rmin) {
    const mid = (lmax + rmin) / 2;
    lHi = Math.min(hi, mid);
    rLo = Math.max(lo, mid);
  } else if (d < 0 && rmax > lmin) {
    const mid = (rmax + lmin) / 2;
    lLo = Math.max(lo, mid);
    rHi = Math.min(hi, mid);
  }
  visit(t, monotone, l, lLo, lHi);
  visit(t, monotone, r, rLo, rHi);
}

function range(t: Tree, node: number, lo: number, hi: number): [number, number] {
  if (t.feature[node] < 0) {
    const v = Math.min(hi, Math.max(lo, t.value[node]));
    return [v, v];
  }
  const a = range(t, t.left[node], lo, hi);
  const b = range(t, t.right[node], lo, hi);
  return [Math.min(a[0], b[0]), Math.max(a[1], b[1])];
}
