import assert from "node:assert/strict";
import { test } from "node:test";
import { leafCount } from "../gbdt/tree.ts";
import { trainingData } from "./feature-model-data.ts";
import { testFitInput } from "./fit-input.test-support.ts";
import { forecasterContract } from "./forecaster.contract.ts";
import {
  DEFAULT_GBDT_PARAMS,
  DEFAULT_TAILS,
  fitQuantileBoosters,
  type GbdtQuantileFitted,
  gbdtQuantile,
  QUANTILE_TREES,
  type TailSettings,
} from "./gbdt-quantile.ts";
import { DEFAULT_SCALE } from "./series-scale.ts";

const quick = { iterations: 40, maxLeaves: 15, minDataInLeaf: 20 };
// gbdt.test.ts runs the contract on the default model (with DEFAULT_TAILS).
forecasterContract(() =>
  gbdtQuantile({ params: quick, threads: 1, tails: null, name: "gbdt_quantile_no_tails" }),
);

const tails: TailSettings = {
  levels: [0.95, 0.99],
  params: { maxLeaves: 4, minDataInLeaf: 30 },
  weight: "sqrt",
};

test("tail settings: the tail levels get their own learner settings and weights, the other levels are unchanged", async () => {
  const input = testFitInput({ shape: [5, 450, 2] });
  const data = await trainingData(input, { scale: DEFAULT_SCALE, itemTrends: true });
  const x = data.trainMatrix.columns;
  const fit = (t: TailSettings | null) =>
    fitQuantileBoosters(data, input.levels, input.seed, { params: quick, threads: 1, tails: t });
  const plain = await fit(null);
  const tailed = await fit(tails);
  for (const [k, tau] of input.levels.entries()) {
    const maxLeaves = Math.max(...tailed[k]!.model.trees.map(leafCount));
    if (tails.levels.includes(tau)) {
      assert.ok(maxLeaves <= 4, `level ${tau}: at most 4 leaves, got ${maxLeaves}`);
      assert.notDeepEqual(tailed[k]!.predict(x), plain[k]!.predict(x), `level ${tau} changed`);
    } else {
      assert.ok(maxLeaves > 4, `level ${tau} keeps the fit's own leaves`);
      assert.deepEqual(tailed[k]!.predict(x), plain[k]!.predict(x), `level ${tau} unchanged`);
    }
  }
  // The weights bite: the same tail settings unweighted give other boosters.
  const unweighted = await fit({ ...tails, weight: "none" });
  const k99 = input.levels.indexOf(0.99);
  assert.notDeepEqual(unweighted[k99]!.predict(x), tailed[k99]!.predict(x));
});

test("DEFAULT_TAILS: the upper tails on 15 leaves of at least 200 rows, weighted by the square root of the scale", () => {
  assert.deepEqual(DEFAULT_TAILS, {
    levels: [0.95, 0.99],
    params: { maxLeaves: 15, minDataInLeaf: 200 },
    weight: "sqrt",
  });
});

test("tail settings apply to scaled models only: on units the boosters are the plain ones", async () => {
  const input = testFitInput({ shape: [4, 450, 3] });
  const data = await trainingData(input, {});
  const x = data.trainMatrix.columns;
  const options = { params: quick, threads: 1 };
  const plain = await fitQuantileBoosters(data, input.levels, input.seed, options);
  const tailed = await fitQuantileBoosters(data, input.levels, input.seed, { ...options, tails });
  for (const k of input.levels.keys()) assert.deepEqual(tailed[k]!.predict(x), plain[k]!.predict(x));
});

test("gbdt_quantile's defaults: QUANTILE_TREES at every level, DEFAULT_TAILS' settings at 0.95 and 0.99", async () => {
  const input = testFitInput({ shape: [4, 450, 3] });
  const fitted = (await gbdtQuantile({ threads: 1 }).fit(input)) as GbdtQuantileFitted;
  for (const [k, tau] of input.levels.entries()) {
    const p = fitted.boosters[k]!.model.params;
    assert.equal(p.maxLeaves, QUANTILE_TREES.maxLeaves, `level ${tau}`);
    assert.equal(p.iterations, QUANTILE_TREES.iterations, `level ${tau}`);
    const tail = DEFAULT_TAILS.levels.includes(tau);
    assert.equal(p.minDataInLeaf, tail ? 200 : DEFAULT_GBDT_PARAMS.minDataInLeaf, `level ${tau}`);
  }
});
