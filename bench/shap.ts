/**
 * Cost of exact TreeSHAP against plain prediction, on a synthetic quantile model of the pipeline's size (40
 * features, 10 informative, a 10% missing column and a categorical one). Prints one JSON line.
 *   npm run bench:shap -- [--rows 1000] [--trees 300] [--leaves 63]
 */
import { loadavg } from "node:os";
import { Rng } from "../src/core/rng.ts";
import { closePools, Dataset, train } from "../src/gbdt/index.ts";
import { treeDepth, treeShap } from "../src/gbdt/shap.ts";

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] !== undefined ? Number(process.argv[i + 1]) : fallback;
}

const rows = arg("rows", 1000);
const trees = arg("trees", 300);
const leaves = arg("leaves", 63);
const n = 20_000;
const F = 40;
const rng = new Rng(1);
const cols = Array.from({ length: F }, (_, f) =>
  Float64Array.from({ length: n }, () =>
    f === 1 && rng.chance(0.1) ? Number.NaN : f === 2 ? rng.int(12) : rng.next(),
  ),
);
const y = Float64Array.from({ length: n }, (_, i) => {
  let s = cols[2]![i]! % 3;
  for (let f = 3; f < 10; f++) s += Math.sin(3 * cols[f]![i]! * f);
  return s + (Number.isNaN(cols[1]![i]!) ? 1 : cols[1]![i]!) + 0.3 * rng.normal();
});
const load0 = loadavg()[0]!;
const booster = await train(Dataset.fromColumns(cols, { label: y, categorical: [2] }), {
  iterations: trees,
  maxLeaves: leaves,
  loss: "quantile",
  alpha: 0.5,
  threads: 2,
});
const x = cols.map((c) => c.subarray(0, rows));

const cpu = (f: () => void): { wallMs: number; cpuMs: number } => {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  f();
  const c = process.cpuUsage(c0);
  return { wallMs: performance.now() - t0, cpuMs: (c.user + c.system) / 1000 };
};
const shap = cpu(() => treeShap(booster, x));
const predict = cpu(() => booster.predict(x, { raw: true }));
console.log(
  JSON.stringify({
    rows,
    trees: booster.numTrees,
    leaves,
    features: F,
    maxDepth: booster.model.trees.reduce((m, t) => Math.max(m, treeDepth(t)), 0),
    shapCpuMs: Math.round(shap.cpuMs),
    shapWallMs: Math.round(shap.wallMs),
    shapUsPerRowTree: +((shap.cpuMs * 1000) / (rows * booster.numTrees)).toFixed(2),
    predictCpuMs: +predict.cpuMs.toFixed(1),
    load: [load0, loadavg()[0]!].map((v) => +v.toFixed(2)),
  }),
);
await closePools();
