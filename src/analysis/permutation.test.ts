import assert from "node:assert/strict";
import { after, test } from "node:test";
import { Rng } from "../core/rng.ts";
import { closePools, Dataset, train } from "../gbdt/index.ts";
import { permutationImportance } from "./permutation.ts";

after(() => closePools());

/** x0 strongly informative, x1 pure noise, x2 weakly informative; y = 3 x0 + 0.5 x2 + noise. */
function data(n: number, seed: number) {
  const rng = new Rng(seed);
  const cols = [new Float32Array(n), new Float32Array(n), new Float32Array(n)];
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    cols[0]![i] = rng.next();
    cols[1]![i] = rng.normal();
    cols[2]![i] = rng.next();
    y[i] = 3 * cols[0]![i]! + 0.5 * cols[2]![i]! + 0.2 * rng.normal();
  }
  return { cols, y };
}

const mse = (y: Float32Array, p: Float64Array) => {
  let s = 0;
  for (let i = 0; i < y.length; i++) s += (y[i]! - p[i]!) ** 2;
  return s / y.length;
};

test("permutation importance: the informative feature ranks first, pure noise gets about 0", async () => {
  const fit = data(3000, 1);
  const b = await train(Dataset.fromColumns(fit.cols, { label: fit.y }), {
    iterations: 60,
    maxLeaves: 15,
    threads: 1,
  });
  const valid = data(2000, 2);
  const o = {
    predict: (c: Float32Array[]) => b.predict(c),
    columns: valid.cols,
    names: ["x0", "noise", "x2"],
    y: valid.y,
    loss: mse,
    repeats: 4,
    seed: 7,
  };
  const r = await permutationImportance(o);
  assert.deepEqual(
    r.map((x) => x.name),
    ["x0", "x2", "noise"],
  );
  const by = Object.fromEntries(r.map((x) => [x.name, x]));
  // Shuffling x0 destroys most of the fit: about 2 Var(3 x0) = 1.5.
  assert.ok(by.x0!.mean > 1 && by.x0!.std > 0, JSON.stringify(by.x0));
  assert.ok(by.x2!.mean > 0.02, JSON.stringify(by.x2));
  assert.ok(Math.abs(by.noise!.mean) < 0.01 * by.x0!.mean, JSON.stringify(by.noise));
  // Deterministic for a seed, different for another; the input columns are left as they were.
  const before = Float32Array.from(valid.cols[0]!);
  assert.deepEqual(await permutationImportance(o), r);
  assert.deepEqual(valid.cols[0], before);
  const other = await permutationImportance({ ...o, seed: 8 });
  assert.notEqual(other.find((x) => x.name === "x0")!.mean, by.x0!.mean);
});

test("permutation importance: a model that ignores a feature gives it exactly 0; maxRows scores a sample", async () => {
  const { cols, y } = data(1000, 3);
  const seen: number[] = [];
  const predict = async (c: Float32Array[]) => {
    seen.push(c[0]!.length);
    return Float64Array.from(c[0]!, (v, i) => 3 * v + 0.5 * c[2]![i]!);
  };
  const r = await permutationImportance({
    predict,
    columns: cols,
    names: ["x0", "noise", "x2"],
    y,
    loss: mse,
    repeats: 3,
    seed: 1,
    maxRows: 250,
  });
  assert.deepEqual(
    r.find((x) => x.name === "noise"),
    { name: "noise", mean: 0, std: 0 },
  );
  assert.equal(seen.length, 1 + 3 * 3, "one base prediction, then features x repeats");
  assert.ok(seen.every((n) => n === 250));
  await assert.rejects(
    permutationImportance({ predict, columns: cols, names: ["a"], y, loss: mse, repeats: 1, seed: 1 }),
    /1 names for 3 columns/,
  );
  await assert.rejects(
    permutationImportance({
      predict,
      columns: cols,
      names: ["a", "b", "c"],
      y,
      loss: mse,
      repeats: 0,
      seed: 1,
    }),
    /repeats must be an integer >= 1/,
  );
});
