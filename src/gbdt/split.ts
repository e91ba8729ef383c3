/**
 * Best split of one leaf from its histogram. Numeric features: every bin threshold, with missing values sent left
 * or right (both tried when the leaf has missing values). Categorical features: categories sorted by
 * grad / (hess + catSmooth) and split at every prefix (Fisher's grouping, as LightGBM). Monotone constraints: a
 * split whose child values go the wrong way is rejected, and child values are clamped to the bounds inherited
 * from ancestors (scikit-learn's scheme), which keeps every tree monotone.
 */
import type { BinMapper } from "./binning.ts";
import { BIN_STRIDE } from "./histogram.ts";

/** Settings the split search reads. */
export interface SplitParams {
  minDataInLeaf: number;
  minSumHessian: number;
  lambdaL2: number;
  minGainToSplit: number;
  catSmooth: number;
}

/** Sums and bounds of the leaf being split. */
export interface LeafStats {
  sumGrad: number;
  sumHess: number;
  count: number;
  /** Value bounds from monotone constraints of ancestors. */
  lower: number;
  upper: number;
}

/** A candidate split with everything the grower needs to apply it. */
export interface SplitInfo {
  gain: number;
  feature: number;
  /** Numeric: rows with bin <= bin go left. */
  bin: number;
  /** Where missing values go (numeric); for categorical, whether the missing bin is in the left set. */
  defaultLeft: boolean;
  /** Categorical: bins that go left (8 words = 256 bits); null for numeric. */
  catBits: Uint32Array | null;
  leftGrad: number;
  leftHess: number;
  leftCount: number;
  rightGrad: number;
  rightHess: number;
  rightCount: number;
}

/** Leaf value -G/(H+lambda), clamped to [lower, upper]. */
export function leafValue(g: number, h: number, lambda: number, lower: number, upper: number): number {
  const v = h + lambda > 0 ? -g / (h + lambda) : 0;
  return v < lower ? lower : Math.min(v, upper);
}

/** Second-order objective of a leaf with value v: G v + (H + lambda) v^2 / 2 (lower is better). */
export function leafObjective(g: number, h: number, lambda: number, v: number): number {
  return g * v + 0.5 * (h + lambda) * v * v;
}

/**
 * The best split of a leaf over the allowed features (of [f0, f1)), or null when none satisfies the constraints and
 * gains more than minGainToSplit. Ties keep the first candidate in (feature, bin, missing-right-first) order.
 */
export function findBestSplit(
  hist: Float64Array,
  mappers: readonly BinMapper[],
  allowed: Uint8Array | null,
  monotone: Int8Array | null,
  leaf: LeafStats,
  p: SplitParams,
  f0 = 0,
  f1 = mappers.length,
): SplitInfo | null {
  const { sumGrad: G, sumHess: H, count: C, lower, upper } = leaf;
  const lambda = p.lambdaL2;
  const parentObj = leafObjective(G, H, lambda, leafValue(G, H, lambda, lower, upper));
  const cntFactor = H > 0 ? C / H : 0;
  let best: SplitInfo | null = null;
  let bestGain = Math.max(p.minGainToSplit, 0);
  for (let f = f0; f < f1; f++) {
    if (allowed !== null && allowed[f] === 0) continue;
    const m = mappers[f];
    const o = f * BIN_STRIDE;
    const mono = monotone === null ? 0 : monotone[f];
    if (m.kind === "categorical") {
      const s = categoricalSplit(hist, o, m.nBins, f, leaf, p, parentObj, cntFactor, bestGain);
      if (s !== null) {
        best = s;
        bestGain = s.gain;
      }
      continue;
    }
    const nb = m.nBins;
    const gm = hist[o + 2 * nb];
    const hm = hist[o + 2 * nb + 1];
    const hasMissing = hm > 0;
    let gl = 0;
    let hl = 0;
    const lastT = hasMissing ? nb - 1 : nb - 2;
    for (let t = 0; t <= lastT; t++) {
      gl += hist[o + 2 * t];
      hl += hist[o + 2 * t + 1];
      for (let variant = 0; variant < (hasMissing && t < nb - 1 ? 2 : 1); variant++) {
        const lg = variant === 0 ? gl : gl + gm;
        const lh = variant === 0 ? hl : hl + hm;
        const rg = G - lg;
        const rh = H - lh;
        if (lh < p.minSumHessian || rh < p.minSumHessian) continue;
        const lc = Math.round(lh * cntFactor);
        const rc = C - lc;
        if (lc < p.minDataInLeaf || rc < p.minDataInLeaf) continue;
        const lv = leafValue(lg, lh, lambda, lower, upper);
        const rv = leafValue(rg, rh, lambda, lower, upper);
        if ((mono > 0 && lv > rv) || (mono < 0 && lv < rv)) continue;
        const gain = parentObj - leafObjective(lg, lh, lambda, lv) - leafObjective(rg, rh, lambda, rv);
        if (gain > bestGain) {
          bestGain = gain;
          best = {
            gain,
            feature: f,
            bin: t,
            defaultLeft: hasMissing ? variant === 1 : lc >= rc,
            catBits: null,
            leftGrad: lg,
            leftHess: lh,
            leftCount: lc,
            rightGrad: rg,
            rightHess: rh,
            rightCount: rc,
          };
        }
      }
    }
  }
  return best;
}

function categoricalSplit(
  hist: Float64Array,
  o: number,
  nb: number,
  f: number,
  leaf: LeafStats,
  p: SplitParams,
  parentObj: number,
  cntFactor: number,
  bestGain: number,
): SplitInfo | null {
  const { sumGrad: G, sumHess: H, count: C, lower, upper } = leaf;
  const lambda = p.lambdaL2;
  // The missing bin (nb) takes part as one more category.
  const cats: number[] = [];
  for (let b = 0; b <= nb; b++) if (hist[o + 2 * b + 1] > 0) cats.push(b);
  if (cats.length < 2) return null;
  const score = (b: number) => hist[o + 2 * b] / (hist[o + 2 * b + 1] + p.catSmooth);
  cats.sort((a, b) => score(a) - score(b) || a - b);
  let best: SplitInfo | null = null;
  let gl = 0;
  let hl = 0;
  for (let k = 0; k < cats.length - 1; k++) {
    gl += hist[o + 2 * cats[k]];
    hl += hist[o + 2 * cats[k] + 1];
    const rg = G - gl;
    const rh = H - hl;
    if (hl < p.minSumHessian || rh < p.minSumHessian) continue;
    const lc = Math.round(hl * cntFactor);
    const rc = C - lc;
    if (lc < p.minDataInLeaf || rc < p.minDataInLeaf) continue;
    const lv = leafValue(gl, hl, lambda, lower, upper);
    const rv = leafValue(rg, rh, lambda, lower, upper);
    const gain = parentObj - leafObjective(gl, hl, lambda, lv) - leafObjective(rg, rh, lambda, rv);
    if (gain > bestGain) {
      bestGain = gain;
      const bits = new Uint32Array(8);
      for (let j = 0; j <= k; j++) bits[cats[j] >>> 5] |= 1 << (cats[j] & 31);
      best = {
        gain,
        feature: f,
        bin: -1,
        defaultLeft: (bits[nb >>> 5] & (1 << (nb & 31))) !== 0,
        catBits: bits,
        leftGrad: gl,
        leftHess: hl,
        leftCount: lc,
        rightGrad: rg,
        rightHess: rh,
        rightCount: rc,
      };
    }
  }
  return best;
}

/** Whether a row with bin b goes left under split s of feature kind `categorical`. */
export function goesLeft(s: SplitInfo, b: number, missingBin: number): boolean {
  if (s.catBits !== null) return (s.catBits[b >>> 5] & (1 << (b & 31))) !== 0;
  return b === missingBin ? s.defaultLeft : b <= s.bin;
}
