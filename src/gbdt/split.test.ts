import assert from "node:assert/strict";
import { test } from "node:test";
import { Rng } from "../core/rng.ts";
import { Dataset } from "./dataset.ts";
import { BIN_STRIDE, decodePacked, histKernel, PACK } from "./histogram.ts";
import { findBestSplit, leafObjective, leafValue, type SplitParams } from "./split.ts";

const P: SplitParams = {
  minDataInLeaf: 3,
  minSumHessian: 1e-3,
  lambdaL2: 0.5,
  minGainToSplit: 0,
  catSmooth: 0,
};

function setup(seed: number, categorical: boolean) {
  const rng = new Rng(seed);
  const n = 120;
  const cols = [0, 1, 2].map((f) =>
    Float64Array.from({ length: n }, () => {
      if (f === 1 && rng.chance(0.15)) return Number.NaN;
      if (f === 2 && categorical) return rng.int(5);
      return Math.round(rng.uniform(0, 30)) / 2;
    }),
  );
  const ds = Dataset.fromColumns(cols, { categorical: categorical ? [2] : [] });
  const g = Float32Array.from({ length: n }, () => rng.normal() + (cols[0][0] > 7 ? 1 : 0));
  const h = Float32Array.from({ length: n }, () => 1);
  const idx = Uint32Array.from({ length: n }, (_, i) => i);
  const hist = new Float64Array(3 * BIN_STRIDE);
  histKernel(3, 0, 3)(idx, 0, n, ds.bins, pairs(g, h), hist);
  return { ds, g, h, n };
}

/** Gradients and hessians interleaved, as the histogram kernels read them. */
function pairs(g: Float32Array, h: Float32Array): Float32Array {
  const out = new Float32Array(2 * g.length);
  for (let i = 0; i < g.length; i++) {
    out[2 * i] = g[i];
    out[2 * i + 1] = h[i];
  }
  return out;
}

/** Gain of sending rows with goLeft(i) left, straight from the rows. */
function gainOf(g: Float32Array, h: Float32Array, left: boolean[]): number | null {
  let G = 0;
  let H = 0;
  let lg = 0;
  let lh = 0;
  let lc = 0;
  for (let i = 0; i < g.length; i++) {
    G += g[i];
    H += h[i];
    if (left[i]) {
      lg += g[i];
      lh += h[i];
      lc++;
    }
  }
  const rc = g.length - lc;
  if (lc < P.minDataInLeaf || rc < P.minDataInLeaf) return null;
  const inf = Number.POSITIVE_INFINITY;
  const obj = (a: number, b: number) =>
    leafObjective(a, b, P.lambdaL2, leafValue(a, b, P.lambdaL2, -inf, inf));
  return obj(G, H) - obj(lg, lh) - obj(G - lg, H - lh);
}

for (const seed of [1, 2, 3, 4, 5]) {
  test(`best numeric split equals brute force over every threshold and missing direction (seed ${seed})`, () => {
    const { ds, g, h, n } = setup(seed, false);
    const hist = new Float64Array(3 * BIN_STRIDE);
    histKernel(3, 0, 3)(
      Uint32Array.from({ length: n }, (_, i) => i),
      0,
      n,
      ds.bins,
      pairs(g, h),
      hist,
    );
    let G = 0;
    for (const x of g) G += x;
    const inf = Number.POSITIVE_INFINITY;
    const s = findBestSplit(
      hist,
      ds.mappers,
      null,
      null,
      { sumGrad: G, sumHess: n, count: n, lower: -inf, upper: inf },
      P,
    );
    let best = 0;
    for (let f = 0; f < 3; f++) {
      const col = Array.from({ length: n }, (_, i) => ds.bins[i * 3 + f]);
      const missing = ds.mappers[f].nBins;
      for (let t = 0; t < missing; t++) {
        for (const missLeft of [false, true]) {
          const gain = gainOf(
            g,
            h,
            col.map((b) => (b === missing ? missLeft : b <= t)),
          );
          if (gain !== null && gain > best) best = gain;
        }
      }
    }
    assert.ok(s !== null);
    assert.ok(Math.abs(s.gain - best) < 1e-9 * Math.max(1, best), `${s.gain} vs ${best}`);
    // The chosen split really has that gain when applied to the rows.
    const col = Array.from({ length: n }, (_, i) => ds.bins[i * 3 + s.feature]);
    const missing = ds.mappers[s.feature].nBins;
    const applied = gainOf(
      g,
      h,
      col.map((b) => (b === missing ? s.defaultLeft : b <= s.bin)),
    );
    assert.ok(applied !== null && Math.abs(applied - s.gain) < 1e-9 * Math.max(1, best));
  });
}

test("categorical split (Fisher grouping) equals brute force over every subset of categories", () => {
  for (const seed of [11, 12, 13]) {
    const { ds, g, h, n } = setup(seed, true);
    const hist = new Float64Array(3 * BIN_STRIDE);
    histKernel(3, 0, 3)(
      Uint32Array.from({ length: n }, (_, i) => i),
      0,
      n,
      ds.bins,
      pairs(g, h),
      hist,
    );
    let G = 0;
    for (const x of g) G += x;
    const inf = Number.POSITIVE_INFINITY;
    const allowed = Uint8Array.from([0, 0, 1]);
    const s = findBestSplit(
      hist,
      ds.mappers,
      allowed,
      null,
      { sumGrad: G, sumHess: n, count: n, lower: -inf, upper: inf },
      P,
    );
    const col = Array.from({ length: n }, (_, i) => ds.bins[i * 3 + 2]);
    let best = 0;
    for (let mask = 1; mask < 31; mask++) {
      const gain = gainOf(
        g,
        h,
        col.map((b) => ((mask >> b) & 1) === 1),
      );
      if (gain !== null && gain > best) best = gain;
    }
    assert.ok(s !== null && s.catBits !== null);
    assert.ok(Math.abs(s.gain - best) < 1e-9 * Math.max(1, best), `seed ${seed}: ${s.gain} vs ${best}`);
  }
});

test("a monotone constraint rejects splits whose child values go the wrong way", () => {
  const { ds, g, h, n } = setup(7, false);
  // Make the gradient rise with feature 0, so the unconstrained best split on it has left value > right value.
  for (let i = 0; i < n; i++) g[i] = ds.bins[i * 3] * 0.1;
  const hist = new Float64Array(3 * BIN_STRIDE);
  histKernel(3, 0, 3)(
    Uint32Array.from({ length: n }, (_, i) => i),
    0,
    n,
    ds.bins,
    pairs(g, h),
    hist,
  );
  let G = 0;
  for (const x of g) G += x;
  const inf = Number.POSITIVE_INFINITY;
  const leaf = { sumGrad: G, sumHess: n, count: n, lower: -inf, upper: inf };
  const only0 = Uint8Array.from([1, 0, 0]);
  assert.ok(findBestSplit(hist, ds.mappers, only0, Int8Array.from([-1, 0, 0]), leaf, P) !== null);
  assert.equal(findBestSplit(hist, ds.mappers, only0, Int8Array.from([1, 0, 0]), leaf, P), null);
});

test("packed histograms (two-valued gradients) decode to the same sums as grad/hess pairs", () => {
  const { ds, n } = setup(21, false);
  const rng = new Rng(5);
  const alpha = 0.3;
  const g = Float32Array.from({ length: n }, () => (rng.chance(0.4) ? 1 - alpha : -alpha));
  const h = new Float32Array(n).fill(1);
  const idx = Uint32Array.from({ length: n }, (_, i) => i).filter((i) => i % 3 !== 0);
  const a = new Float64Array(3 * BIN_STRIDE);
  histKernel(3, 0, 3)(idx, 0, idx.length, ds.bins, pairs(g, h), a);
  const packed = Float64Array.from(g, (x) => (x > 0 ? 1 + PACK : 1));
  const b = new Float64Array(3 * BIN_STRIDE);
  histKernel(3, 0, 3, true)(idx, 0, idx.length, ds.bins, packed, b);
  decodePacked(b, 0, 3, Math.fround(1 - alpha), Math.fround(-alpha));
  for (let j = 0; j < a.length; j++)
    assert.ok(Math.abs(a[j] - b[j]) < 1e-9, `entry ${j}: ${a[j]} vs ${b[j]}`);
});
