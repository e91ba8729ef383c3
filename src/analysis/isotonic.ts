/**
 * Isotonic post-calibration of a quantile forecast: a non-decreasing map g from the forecast q to the tau-quantile
 * of actuals given q, fitted by pool-adjacent-violators on the tau-quantile (pinball loss is a valid PAV criterion:
 * a merged block's best constant is the tau-quantile of its pooled actuals). Fitted on earlier folds, applied to a
 * later one, it corrects a level that is systematically too low or too high.
 */
import { pinball } from "../metrics/pinball.ts";

/** A fitted map: q in [lower[b], lower[b+1]) goes to value[b]. */
export interface IsotonicMap {
  lower: Float64Array;
  value: Float64Array;
}

/** At most this many starting blocks (forecasts are binned by their own quantiles beyond it). */
const MAX_BLOCKS = 200;

/** Fits g on pairs (q, y), NaN pairs skipped; throws nothing on empty input (identity map). */
export function fitIsotonic(q: ArrayLike<number>, y: ArrayLike<number>, tau: number): IsotonicMap {
  const pairs: [number, number][] = [];
  for (let i = 0; i < q.length; i++) {
    if (!Number.isNaN(q[i]!) && !Number.isNaN(y[i]!)) pairs.push([q[i]!, y[i]!]);
  }
  if (pairs.length === 0) return { lower: new Float64Array([0]), value: new Float64Array([Number.NaN]) };
  pairs.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  // Starting blocks: one per distinct forecast, or per equal-count bin when there are too many.
  const starts: number[] = [0];
  const per = Math.ceil(pairs.length / MAX_BLOCKS);
  for (let i = 1; i < pairs.length; i++) {
    if (pairs[i]![0] !== pairs[i - 1]![0] && i - starts[starts.length - 1]! >= per) starts.push(i);
  }
  type Block = { lo: number; ys: number[]; v: number };
  const blocks: Block[] = [];
  starts.forEach((s, b) => {
    const e = b + 1 < starts.length ? starts[b + 1]! : pairs.length;
    const ys = pairs.slice(s, e).map((p) => p[1]);
    ys.sort((a, c) => a - c);
    const block = { lo: pairs[s]![0], ys, v: tauQuantile(ys, tau) };
    blocks.push(block);
    // Pool while the new block breaks monotonicity with the one before it.
    while (blocks.length > 1 && blocks[blocks.length - 2]!.v > blocks[blocks.length - 1]!.v) {
      const top = blocks.pop()!;
      const prev = blocks[blocks.length - 1]!;
      prev.ys = mergeSorted(prev.ys, top.ys);
      prev.v = tauQuantile(prev.ys, tau);
    }
  });
  return { lower: Float64Array.from(blocks, (b) => b.lo), value: Float64Array.from(blocks, (b) => b.v) };
}

/** g(q): the value of the last block starting at or below q (the first block below its start). */
export function applyIsotonic(map: IsotonicMap, q: number): number {
  if (Number.isNaN(q)) return q;
  if (Number.isNaN(map.value[0]!)) return q;
  let lo = 0;
  let hi = map.lower.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (map.lower[mid]! <= q) lo = mid;
    else hi = mid - 1;
  }
  return map.value[lo]!;
}

/** The pinball-minimizing constant of sorted values: the smallest y with P(Y <= y) >= tau. */
function tauQuantile(sorted: number[], tau: number): number {
  const k = Math.max(0, Math.ceil(tau * sorted.length) - 1);
  return sorted[Math.min(k, sorted.length - 1)]!;
}

function mergeSorted(a: number[], b: number[]): number[] {
  const out = new Array<number>(a.length + b.length);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < a.length && j < b.length) out[k++] = a[i]! <= b[j]! ? a[i++]! : b[j++]!;
  while (i < a.length) out[k++] = a[i++]!;
  while (j < b.length) out[k++] = b[j++]!;
  return out;
}

/** Mean pinball and P(y <= q) of forecasts q for actuals y (NaN pairs skipped). */
export function scoreLevel(
  q: ArrayLike<number>,
  y: ArrayLike<number>,
  tau: number,
): { pinball: number; coverage: number } {
  let s = 0;
  let c = 0;
  let n = 0;
  for (let i = 0; i < q.length; i++) {
    if (Number.isNaN(q[i]!) || Number.isNaN(y[i]!)) continue;
    s += pinball(y[i]!, q[i]!, tau);
    if (y[i]! <= q[i]!) c++;
    n++;
  }
  return { pinball: n > 0 ? s / n : Number.NaN, coverage: n > 0 ? c / n : Number.NaN };
}
