import assert from "node:assert/strict";
import { after, test } from "node:test";
import { Rng } from "../core/rng.ts";
import { Dataset } from "./dataset.ts";
import type { Metric } from "./metrics.ts";
import { rmse } from "./metrics.ts";
import { closePools } from "./pool.ts";
import { deserialize, dump, serialize } from "./serialize.ts";
import { train } from "./train.ts";

after(() => closePools());

/** n rows of 4 features: x0 uniform, x1 with 10% missing, x2 a category 0..5, x3 noise; y from all of them. */
function data(n: number, seed: number) {
  const rng = new Rng(seed);
  const cols = [new Float64Array(n), new Float64Array(n), new Float64Array(n), new Float64Array(n)];
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    cols[0][i] = rng.next();
    cols[1][i] = rng.chance(0.1) ? Number.NaN : rng.next();
    cols[2][i] = rng.int(6);
    cols[3][i] = rng.normal();
    const x1 = Number.isNaN(cols[1][i]) ? 1.5 : cols[1][i];
    y[i] = 3 * cols[0][i] + x1 + (cols[2][i] % 2 === 1 ? 2 : 0) + 0.3 * rng.normal();
  }
  return { cols, y };
}

test("fits: squared loss on a known function gets close to the noise level", async () => {
  const { cols, y } = data(4000, 1);
  const ds = Dataset.fromColumns(cols, { label: y, categorical: [2] });
  const b = await train(ds, { iterations: 80, maxLeaves: 15, threads: 1 });
  const p = b.predict(cols);
  assert.ok(rmse.evaluate(y, p, null) < 0.4, String(rmse.evaluate(y, p, null)));
  const gain = b.importance("gain");
  assert.ok(gain[0] > gain[3] && gain[2] > gain[3], `noise feature ranks last: ${[...gain]}`);
  assert.ok(b.importance("split")[0] >= 1);
});

test("missing values are routed by the learned default direction", async () => {
  const n = 2000;
  const rng = new Rng(2);
  for (const missingY of [0, 10]) {
    const x = Float64Array.from({ length: n }, () => (rng.chance(0.2) ? Number.NaN : rng.next()));
    // Present values: y = 0 below 0.5, 10 above; missing rows behave like one side or the other.
    const y = Float64Array.from(x, (v) => (Number.isNaN(v) ? missingY : v < 0.5 ? 0 : 10));
    const ds = Dataset.fromColumns([x], { label: y });
    const b = await train(ds, { iterations: 30, learningRate: 0.3, maxLeaves: 2, threads: 1 });
    const root = b.model.trees[0];
    assert.equal(root.defaultLeft[0], missingY === 0 ? 1 : 0);
    const p = b.predict([[Number.NaN, 0.1, 0.9]]);
    assert.ok(Math.abs(p[0] - missingY) < 0.5, `missing -> ${p[0]}, expected ${missingY}`);
  }
});

test("categorical splits group categories (and unseen codes follow the missing bin)", async () => {
  const rng = new Rng(3);
  const n = 3000;
  const c = Float64Array.from({ length: n }, () => rng.int(8));
  const y = Float64Array.from(c, (v) => ([1, 3, 4, 6].includes(v) ? 5 : 0));
  const ds = Dataset.fromColumns([c], { label: y, categorical: [0] });
  const b = await train(ds, { iterations: 40, learningRate: 0.3, maxLeaves: 2, threads: 1 });
  assert.ok(b.model.trees[0].cat[0] >= 0, "root is a categorical split");
  const p = b.predict([[0, 1, 2, 3, 4, 5, 6, 7]]);
  [0, 5, 0, 5, 5, 0, 5, 0].forEach((e, i) => {
    assert.ok(Math.abs(p[i] - e) < 0.1, `cat ${i}: ${p[i]}`);
  });
  assert.match(dump(b), /f0 in \{/);
});

for (const loss of ["squared", "quantile"]) {
  test(`monotone constraint holds on a grid (${loss})`, async () => {
    const rng = new Rng(4);
    const n = 3000;
    const price = Float64Array.from({ length: n }, () => rng.next());
    const other = Float64Array.from({ length: n }, () => rng.next());
    // Demand falls with price overall but wiggles up locally; the constraint must flatten the wiggles.
    const y = Float64Array.from(
      price,
      (p, i) => 5 - 3 * p + Math.sin(20 * p) + other[i] + 0.3 * rng.normal(),
    );
    const ds = Dataset.fromColumns([price, other], { label: y });
    const b = await train(ds, { loss, iterations: 60, maxLeaves: 15, monotone: [-1, 0], threads: 1 });
    for (const o of [0.1, 0.5, 0.9]) {
      const grid = Float64Array.from({ length: 201 }, (_, k) => k / 200);
      const p = b.predict([grid, new Float64Array(201).fill(o)]);
      for (let k = 1; k < 201; k++)
        assert.ok(p[k] <= p[k - 1] + 1e-12, `price ${grid[k]}: ${p[k]} > ${p[k - 1]}`);
    }
  });
}

test("early stopping stops at the best validation iteration, for either metric direction", async () => {
  const { cols, y } = data(1500, 5);
  const noisy = Float64Array.from(y, (v, i) => v + (i % 7) - 3);
  const ds = Dataset.fromColumns(cols, { label: noisy, categorical: [2] });
  const v = data(800, 6);
  const valid = Dataset.fromColumns(v.cols, { label: v.y, reference: ds });
  const seen: number[] = [];
  const b = await train(ds, {
    iterations: 400,
    learningRate: 0.3,
    maxLeaves: 31,
    minDataInLeaf: 5,
    valid,
    earlyStoppingRounds: 10,
    threads: 1,
    onIteration: ({ validScore }) => seen.push(validScore!),
  });
  assert.ok(seen.length < 400, `stopped after ${seen.length}`);
  const best = seen.indexOf(Math.min(...seen));
  assert.equal(b.numTrees, best + 1);
  assert.equal(seen.length, best + 11);
  const negRmse: Metric = {
    name: "-rmse",
    higherIsBetter: true,
    evaluate: (a, p, w) => -rmse.evaluate(a, p, w),
  };
  const b2 = await train(ds, {
    iterations: 400,
    learningRate: 0.3,
    maxLeaves: 31,
    minDataInLeaf: 5,
    valid,
    metric: negRmse,
    earlyStoppingRounds: 10,
    threads: 1,
  });
  assert.equal(b2.numTrees, b.numTrees);
});

test("weights: a weighted mean where rows cannot be told apart, and zero weight = row removed", async () => {
  const n = 400;
  const x = Float64Array.from({ length: n }, (_, i) => i % 2);
  const y = Float64Array.from({ length: n }, (_, i) => (i % 4 < 2 ? 0 : 10));
  const w = Float64Array.from({ length: n }, (_, i) => (i % 4 < 2 ? 3 : 1));
  const b = await train(Dataset.fromColumns([x], { label: y, weight: w }), {
    iterations: 50,
    learningRate: 0.5,
    threads: 1,
  });
  const p = b.predict([[0, 1]]);
  assert.ok(Math.abs(p[0] - 2.5) < 1e-6 && Math.abs(p[1] - 2.5) < 1e-6, `${p[0]} ${p[1]}`);

  const { cols, y: y2 } = data(1200, 8);
  const keep = Float64Array.from({ length: 1200 }, (_, i) => (i % 3 === 0 ? 0 : 1));
  const full = Dataset.fromColumns(cols, { label: y2, weight: keep, categorical: [2] });
  const kept = [...keep.keys()].filter((i) => keep[i] === 1);
  const sub = Dataset.fromColumns(
    cols.map((c) => Float64Array.from(kept, (i) => c[i])),
    { label: Float64Array.from(kept, (i) => y2[i]), reference: full },
  );
  const opts = { iterations: 20, maxLeaves: 8, minDataInLeaf: 1, threads: 1 };
  const pa = (await train(full, opts)).predict(cols);
  const pb = (await train(sub, opts)).predict(cols);
  for (let i = 0; i < pa.length; i++)
    assert.ok(Math.abs(pa[i] - pb[i]) < 1e-9, `row ${i}: ${pa[i]} vs ${pb[i]}`);
});

test("1 and 2 threads give identical models and predictions (with bagging and feature sampling)", async () => {
  const { cols, y } = data(12000, 9);
  const ds = Dataset.fromColumns(cols, { label: y, categorical: [2] });
  const opts = { loss: "tweedie", iterations: 15, bagFraction: 0.7, featureFraction: 0.75, seed: 3 };
  const pos = Dataset.fromColumns(cols, {
    label: Float64Array.from(y, (v) => Math.max(0, v)),
    categorical: [2],
  });
  for (const [d, o] of [
    [ds, { iterations: 15, bagFraction: 0.7, featureFraction: 0.75, seed: 3 }],
    [pos, opts],
  ] as const) {
    const a = await train(d, { ...o, threads: 1 });
    const b = await train(d, { ...o, threads: 2 });
    assert.ok(serialize(a) === serialize(b), "same model file");
    const pa = a.predict(cols);
    const pb = await b.predictParallel(cols, { threads: 2 });
    assert.deepEqual(pa, pb);
  }
  const c = await train(ds, { iterations: 15, bagFraction: 0.7, featureFraction: 0.75, seed: 4, threads: 1 });
  const d = await train(ds, { iterations: 15, bagFraction: 0.7, featureFraction: 0.75, seed: 3, threads: 1 });
  assert.ok(serialize(c) !== serialize(d), "another seed, another model");
});

test("1 and 2 threads identical on leaves large enough for parallel partition, renewal and score updates", async () => {
  // 120k rows: the root and compacted leaves (<= 15% = 18k rows) pass the 16k-row threshold of the parallel paths.
  const { cols, y } = data(120_000, 12);
  const rng = new Rng(13);
  const weight = Float64Array.from(y, () => 0.5 + rng.next());
  const plain = Dataset.fromColumns(cols, { label: y, categorical: [2] });
  const weighted = Dataset.fromColumns(cols, { label: y, weight, categorical: [2] });
  // Tweedie trains on quantized gradients (quantize.ts): exact integer sums, so the same for any thread count.
  const counts = Dataset.fromColumns(cols, {
    label: Float64Array.from(y, (v) => Math.max(0, Math.round(v))),
    weight,
    categorical: [2],
  });
  const base = { iterations: 6, maxLeaves: 31, minDataInLeaf: 50 };
  for (const [d, o] of [
    [plain, { ...base, loss: "quantile", alpha: 0.7 }],
    [weighted, { ...base, loss: "quantile", alpha: 0.3, bagFraction: 0.8 }],
    [plain, { ...base, loss: "squared" }],
    [counts, { ...base, loss: "tweedie", bagFraction: 0.8 }],
  ] as const) {
    const a = await train(d, { ...o, threads: 1 });
    const b = await train(d, { ...o, threads: 2 });
    assert.ok(serialize(a) === serialize(b), `same model file (${o.loss})`);
  }
});

test("serialization round trip gives byte-identical predictions", async () => {
  const { cols, y } = data(2000, 10);
  const ds = Dataset.fromColumns(cols, { label: y, categorical: [2] });
  const b = await train(ds, { loss: "quantile", alpha: 0.8, iterations: 25, threads: 1 });
  const json = serialize(b);
  const back = deserialize(json);
  const probe = [...cols.map((c) => Float64Array.from(c.subarray(0, 500)))];
  probe[1][0] = Number.NaN;
  probe[2][1] = 77; // unseen category
  const pa = b.predict(probe);
  const pb = back.predict(probe);
  assert.deepEqual(new Uint8Array(pb.buffer), new Uint8Array(pa.buffer));
  assert.ok(serialize(back) === json);
  assert.throws(
    () => deserialize(json.replace('"version":1', '"version":99'), "m.json"),
    /m.json.*version 99/,
  );
  assert.throws(() => deserialize("{", "m.json"), /m.json: not a JSON model file/);
});

test("zero-heavy counts: a 0.25-quantile model still learns where the 0.25-quantile is positive", async () => {
  const rng = new Rng(11);
  const n = 6000;
  const x = Float64Array.from({ length: n }, () => rng.next());
  // 75% of rows are intermittent (mostly zeros); rows with x > 0.75 sell steadily (Poisson(6)).
  const y = Float64Array.from(x, (v) => (v > 0.75 ? poisson(rng, 6) : rng.chance(0.8) ? 0 : 1));
  let zeros = 0;
  for (const v of y) if (v === 0) zeros++;
  assert.ok(zeros / n > 0.5, "the overall 0.25-quantile is 0");
  for (const countJitter of [false, true]) {
    const b = await train(Dataset.fromColumns([x], { label: y }), {
      loss: "quantile",
      alpha: 0.25,
      iterations: 60,
      countJitter,
      threads: 1,
    });
    const p = b.predict([[0.2, 0.5, 0.9, 0.95]]);
    assert.ok(p[0] < 0.5 && p[1] < 0.5, `low rows stay near 0: ${[...p]}`);
    assert.ok(p[2] >= 3 && p[3] >= 3, `high rows learn their quantile (~4): ${[...p]}`);
    const all = b.predict([x]);
    let covered = 0;
    for (let i = 0; i < n; i++) if (x[i] > 0.75 && y[i] <= all[i]) covered++;
    let high = 0;
    for (const v of x) if (v > 0.75) high++;
    assert.ok(covered / high > 0.1 && covered / high < 0.5, `coverage on high rows ${covered / high}`);
  }
});

test("bad parameters are input errors naming the parameter", async () => {
  const ds = Dataset.fromColumns([[1, 2, 3]], { label: [1, 2, 3] });
  await assert.rejects(train(ds, { maxLeaves: 1 }), /maxLeaves must be/);
  await assert.rejects(train(ds, { bagFraction: 0 }), /bagFraction/);
  await assert.rejects(train(ds, { earlyStoppingRounds: 5 }), /needs validation data/);
  await assert.rejects(train(ds, { monotone: [1, 0] }), /monotone has 2 entries/);
  await assert.rejects(train(Dataset.fromColumns([[1, 2]]), {}), /no label/);
});

function poisson(rng: Rng, mean: number): number {
  const l = Math.exp(-mean);
  let k = 0;
  let p = rng.next();
  while (p > l) {
    k++;
    p *= rng.next();
  }
  return k;
}
