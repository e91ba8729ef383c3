import assert from "node:assert/strict";
import { after, test } from "node:test";
import { Rng } from "../core/rng.ts";
import { binOf, fitCategorical, fitNumeric } from "./binning.ts";
import { Booster } from "./booster.ts";
import { Dataset } from "./dataset.ts";
import { closePools } from "./pool.ts";
import { meanAbsShap, treeShap } from "./shap.ts";
import { train } from "./train.ts";
import { type Tree, TreeBuilder } from "./tree.ts";

after(() => closePools());

/**
 * Shapley values by definition: v(S) is the expected raw score when the features in S follow the row and the rest
 * follow each node's cover; every subset is enumerated (fine for a handful of features).
 */
function bruteForce(b: Booster, row: number[]): { phi: number[]; base: number } {
  const F = b.numFeatures;
  const x = row.map((v, f) => (b.model.mappers[f].kind === "categorical" ? binOf(b.model.mappers[f], v) : v));
  const value = (t: Tree, node: number, s: number): number => {
    const f = t.feature[node];
    if (f < 0) return t.value[node];
    const l = t.left[node];
    const r = t.right[node];
    if (s & (1 << f)) {
      const c = t.cat[node];
      const v = x[f];
      const left =
        c >= 0
          ? (t.catWords[c + (v >>> 5)] & (1 << (v & 31))) !== 0
          : Number.isNaN(v)
            ? t.defaultLeft[node] === 1
            : v <= t.threshold[node];
      return value(t, left ? l : r, s);
    }
    return (t.count[l] * value(t, l, s) + t.count[r] * value(t, r, s)) / t.count[node];
  };
  const v = (s: number) => b.model.trees.reduce((acc, t) => acc + value(t, 0, s), b.model.base);
  const fact = (k: number): number => (k <= 1 ? 1 : k * fact(k - 1));
  const phi = new Array<number>(F).fill(0);
  for (let i = 0; i < F; i++) {
    for (let s = 0; s < 1 << F; s++) {
      if (s & (1 << i)) continue;
      let size = 0;
      for (let k = 0; k < F; k++) if (s & (1 << k)) size++;
      phi[i] += ((fact(size) * fact(F - size - 1)) / fact(F)) * (v(s | (1 << i)) - v(s));
    }
  }
  return { phi, base: v(0) };
}

/** n rows: x0 uniform, x1 with 15% missing, x2 a category 0..5, x3 never informative; y depends on x0..x2. */
function data(n: number, seed: number) {
  const rng = new Rng(seed);
  const cols = [new Float64Array(n), new Float64Array(n), new Float64Array(n), new Float64Array(n)];
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    cols[0][i] = rng.next();
    cols[1][i] = rng.chance(0.15) ? Number.NaN : rng.next();
    cols[2][i] = rng.int(6);
    cols[3][i] = rng.normal();
    const x1 = Number.isNaN(cols[1][i]) ? 1.5 : cols[1][i];
    y[i] = 3 * cols[0][i] * x1 + (cols[2][i] % 2 === 1 ? 2 : 0) + 0.3 * rng.normal();
  }
  return { cols, y };
}

test("treeShap: contributions plus the base value sum to the raw prediction (numeric, categorical, missing)", async () => {
  const { cols, y } = data(3000, 11);
  const ds = Dataset.fromColumns(cols, { label: y, categorical: [2] });
  const b = await train(ds, { iterations: 40, maxLeaves: 15, threads: 1, loss: "quantile", alpha: 0.7 });
  assert.ok(
    b.model.trees.some((t) => t.cat.some((c) => c >= 0)),
    "some split is categorical",
  );
  // Test rows include NaN in both numeric and categorical columns and an unseen category code (7).
  const test = data(200, 12).cols;
  test[1][0] = Number.NaN;
  test[2][1] = Number.NaN;
  test[2][2] = 7;
  const phi = treeShap(b, test);
  const raw = b.predict(test, { raw: true });
  const F = 4;
  for (let i = 0; i < 200; i++) {
    let s = 0;
    for (let f = 0; f <= F; f++) s += phi[i * (F + 1) + f];
    assert.ok(Math.abs(s - raw[i]) < 1e-6, `row ${i}: SHAP sum ${s} vs raw ${raw[i]}`);
  }
  // Rows given as a row-major Float32 matrix route exactly as predict does.
  const m = { data: new Float32Array(200 * F), nRows: 200, nCols: F };
  for (let i = 0; i < 200; i++) for (let f = 0; f < F; f++) m.data[i * F + f] = test[f][i];
  const phi32 = treeShap(b, m);
  const raw32 = b.predict(m, { raw: true });
  for (let i = 0; i < 200; i++) {
    let s = 0;
    for (let f = 0; f <= F; f++) s += phi32[i * (F + 1) + f];
    assert.ok(Math.abs(s - raw32[i]) < 1e-6, `float32 row ${i}: ${s} vs ${raw32[i]}`);
  }
  const imp = meanAbsShap(phi, F);
  assert.ok(imp[0] > imp[3] && imp[2] > imp[3], `noise ranks last by mean |SHAP|: ${[...imp]}`);
});

test("treeShap equals brute-force Shapley values on a trained model with repeated features", async () => {
  const { cols, y } = data(1500, 13);
  const ds = Dataset.fromColumns(cols, { label: y, categorical: [2] });
  // Deep enough trees that a feature splits twice on one path (the unwind step of the algorithm).
  const b = await train(ds, { iterations: 5, maxLeaves: 12, minDataInLeaf: 5, threads: 1 });
  const repeated = b.model.trees.some((t) => {
    const onPath = (node: number, seen: Set<number>): boolean => {
      const f = t.feature[node];
      if (f < 0) return false;
      if (seen.has(f)) return true;
      const s = new Set(seen).add(f);
      return onPath(t.left[node], s) || onPath(t.right[node], s);
    };
    return onPath(0, new Set());
  });
  assert.ok(repeated, "some path splits twice on the same feature");
  const rows = [
    [0.2, 0.9, 1, 0],
    [0.8, Number.NaN, 4, 1],
    [0.5, 0.1, Number.NaN, -1],
    [0.95, 0.5, 9, 2],
  ];
  for (const row of rows) {
    const phi = treeShap(b, [[row[0]], [row[1]], [row[2]], [row[3]]]);
    const want = bruteForce(b, row);
    for (let f = 0; f < 4; f++)
      assert.ok(Math.abs(phi[f] - want.phi[f]) < 1e-9, `row ${row} f${f}: ${phi[f]} vs ${want.phi[f]}`);
    assert.ok(Math.abs(phi[4] - want.base) < 1e-9, `base ${phi[4]} vs ${want.base}`);
  }
});

test("treeShap on a hand-built tree: brute force agrees and an unused feature gets exactly 0", () => {
  // f0 numeric (NaN goes right), f1 categorical {0, 2} left, f2 numeric never split on; f1 again below f0.
  const tb = new TreeBuilder();
  const root = tb.addLeaf(0, 100);
  const a = tb.addLeaf(0, 60);
  const bNode = tb.addLeaf(0, 40);
  tb.split(
    root,
    { feature: 0, threshold: 0.5, binThreshold: 0, defaultLeft: false, catBits: null, gain: 1 },
    a,
    bNode,
  );
  const bits = new Uint32Array(8);
  bits[0] = (1 << 0) | (1 << 2);
  const a1 = tb.addLeaf(1, 45);
  const a2 = tb.addLeaf(-2, 15);
  tb.split(
    a,
    { feature: 1, threshold: 0, binThreshold: 0, defaultLeft: false, catBits: bits, gain: 1 },
    a1,
    a2,
  );
  const b1 = tb.addLeaf(3, 10);
  const b2 = tb.addLeaf(0.5, 30);
  const bits2 = new Uint32Array(8);
  bits2[0] = 1 << 1;
  tb.split(
    bNode,
    { feature: 1, threshold: 0, binThreshold: 0, defaultLeft: false, catBits: bits2, gain: 1 },
    b1,
    b2,
  );
  const mappers = [
    fitNumeric(Float64Array.from([0, 1]), 255),
    fitCategorical((i) => i, 3, 255, "f1"),
    fitNumeric(Float64Array.from([0, 1]), 255),
  ];
  const booster = new Booster({
    loss: { name: "squared", params: {} },
    base: 0.25,
    featureNames: ["f0", "f1", "f2"],
    mappers,
    trees: [tb.build()],
    floorPredictions: false,
    params: {},
  });
  for (const row of [
    [0.3, 0, 5],
    [0.3, 1, 5],
    [0.7, 1, -5],
    [Number.NaN, 2, 0],
    [0.1, Number.NaN, 0],
    [0.9, 8, 0],
  ]) {
    const phi = treeShap(booster, [[row[0]], [row[1]], [row[2]]]);
    const want = bruteForce(booster, row);
    for (let f = 0; f < 3; f++)
      assert.ok(Math.abs(phi[f] - want.phi[f]) < 1e-12, `row ${row} f${f}: ${phi[f]} vs ${want.phi[f]}`);
    assert.equal(phi[2], 0, "a feature the tree never uses gets 0");
    const raw = booster.predict([[row[0]], [row[1]], [row[2]]], { raw: true })[0];
    assert.ok(Math.abs(phi[0] + phi[1] + phi[2] + phi[3] - raw) < 1e-12);
    // Base value: 0.25 + cover-weighted mean of the leaves.
    assert.ok(Math.abs(phi[3] - (0.25 + (45 * 1 + 15 * -2 + 10 * 3 + 30 * 0.5) / 100)) < 1e-12);
  }
  assert.throws(() => treeShap(booster, [[1], [0]]), /3 features but the data has 2/);
});
