/**
 * Quantized gradients for losses whose hessian is not constant (Tweedie, Poisson), after LightGBM 4's
 * `use_quantized_grad`: every iteration scales gradients and hessians to small integers with seeded stochastic
 * rounding (unbiased: E[round(x)] = x), and packs both into one double, `gq * M + hq` with 0 <= hq, so one
 * addition per row and feature updates both sums. The sums are integers below 2^53, hence exact, hence independent
 * of the order of addition; decoding turns them back into [grad, hess] pairs.
 */
import { BIN_STRIDE } from "./histogram.ts";
import type { TrainState } from "./jobs.ts";

/** Layout of TrainState.qstat (Float64): per-thread maxima first, then the iteration's scales. */
export const QSTAT_MAX = 0;
/** Gradient scale: a gradient g becomes about g / scale. */
export const QSTAT_G_SCALE = 128;
/** Hessian scale. */
export const QSTAT_H_SCALE = 129;
/** Float64 words of qstat (maxima of up to 64 threads, two scales). */
export const QSTAT_WORDS = 130;

/** Fewer levels than 2^MIN_BITS lose too much precision: such datasets train on exact pairs. */
const MIN_BITS = 4;
/** More levels than 2^MAX_BITS buy no accuracy (LightGBM's default is 4 levels). */
const MAX_BITS = 8;

/**
 * Bits of the integer gradients for n rows (gradients in [-2^bits, 2^bits], hessians in [0, 2^bits]), or 0 when n
 * is too large to quantize exactly. The packed sums of n rows stay below 2^53 when 2 (log2 n + bits) <= 52.
 */
export function quantBits(n: number): number {
  const nBits = Math.ceil(Math.log2(n + 1));
  const bits = Math.min(MAX_BITS, 26 - nBits);
  return bits >= MIN_BITS ? bits : 0;
}

/** The multiplier M of the gradient field: above the largest hessian sum of n rows, a power of two. */
export function quantMultiplier(n: number, bits: number): number {
  return 2 ** (Math.ceil(Math.log2(n + 1)) + bits);
}

/** Thread t's maxima of |g w| and h w over rows [r0, r1), into qstat. */
export function gradMaxima(s: TrainState, r0: number, r1: number, t: number): void {
  const { g, h, w } = s;
  let gm = 0;
  let hm = 0;
  for (let i = r0; i < r1; i++) {
    const wi = w === null ? 1 : w[i];
    const ga = Math.abs(g[i] * wi);
    const ha = h[i] * wi;
    if (ga > gm) gm = ga;
    if (ha > hm) hm = ha;
  }
  s.qstat[QSTAT_MAX + 2 * t] = gm;
  s.qstat[QSTAT_MAX + 2 * t + 1] = hm;
}

/** The iteration's scales from the maxima of T threads (a maximum does not depend on how rows were split). */
export function setScales(s: TrainState, T: number): void {
  let gm = 0;
  let hm = 0;
  for (let t = 0; t < T; t++) {
    gm = Math.max(gm, s.qstat[QSTAT_MAX + 2 * t]);
    hm = Math.max(hm, s.qstat[QSTAT_MAX + 2 * t + 1]);
  }
  const levels = 2 ** s.quantBits;
  s.qstat[QSTAT_G_SCALE] = gm > 0 ? gm / levels : 1;
  s.qstat[QSTAT_H_SCALE] = hm > 0 ? hm / levels : 1;
}

/** A uniform [0, 1) number that depends only on (key, row, stream): murmur3's finalizer of their mix. */
function uniform(key: number, i: number, stream: number): number {
  let x = (Math.imul(i, 0x9e3779b1) ^ key ^ Math.imul(stream, 0x27d4eb2f)) >>> 0;
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return ((x ^ (x >>> 16)) >>> 0) / 4294967296;
}

/**
 * Packs the quantized (weighted) gradient and hessian of rows [r0, r1) into rowData. `key` mixes the seed and the
 * iteration, so each row's rounding is random but the same for any thread count.
 */
export function quantizeRows(s: TrainState, r0: number, r1: number, key: number): void {
  const { g, h, w, rowData } = s;
  const gs = s.qstat[QSTAT_G_SCALE];
  const hs = s.qstat[QSTAT_H_SCALE];
  const M = s.quantM;
  for (let i = r0; i < r1; i++) {
    const wi = w === null ? 1 : w[i];
    const gq = Math.floor((g[i] * wi) / gs + uniform(key, i, 1));
    const hq = Math.floor((h[i] * wi) / hs + uniform(key, i, 2));
    rowData[i] = gq * M + hq;
  }
}

/** Seed and iteration mixed into one 32-bit rounding key. */
export function roundingKey(seed: number, iteration: number): number {
  return (Math.imul(seed >>> 0, 0x85ebca77) ^ Math.imul(iteration + 1, 0xc2b2ae3d)) | 0;
}

/**
 * Turns packed sums (bin b at f * BIN_STRIDE + b) into [grad, hess] pairs in place, for features [f0, f1).
 * floor(v / M) is the gradient sum because 0 <= hessian sum < M (M a power of two: the division is exact).
 * Descending order never overwrites an unread sum (bin b writes 2b and 2b + 1, both >= b).
 */
export function decodeQuantized(
  hist: Float64Array,
  f0: number,
  f1: number,
  gs: number,
  hs: number,
  M: number,
): void {
  for (let f = f0; f < f1; f++) {
    const o = f * BIN_STRIDE;
    for (let b = 255; b >= 0; b--) {
      const v = hist[o + b];
      const gq = Math.floor(v / M);
      hist[o + 2 * b] = gq * gs;
      hist[o + 2 * b + 1] = (v - gq * M) * hs;
    }
  }
}
