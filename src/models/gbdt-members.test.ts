import assert from "node:assert/strict";
import { test } from "node:test";
import { ITEM_FEATURE_NAMES } from "../features/item-demand.ts";
import { forecastMatrix, splitMatrix, trainingData, trainingMatrix } from "./feature-model-data.ts";
import { testFitInput } from "./fit-input.test-support.ts";
import { forecasterContract } from "./forecaster.contract.ts";
import { emptyForecast } from "./forecaster.ts";
import {
  DEFAULT_TAILS,
  fitQuantileBoosters,
  type GbdtQuantileFitted,
  gbdtQuantile,
  PAIR_MEMBERS,
  predictMembers,
  predictQuantilesInto,
} from "./gbdt-quantile.ts";
import { DEFAULT_SCALE, relativeFeatures, rowScales } from "./series-scale.ts";

const quick = { iterations: 40, maxLeaves: 15, minDataInLeaf: 20 };
// gbdt.test.ts runs the contract on the default model (item trends), series-scale.test.ts on the unscaled one.
forecasterContract(() =>
  gbdtQuantile({ params: quick, threads: 1, members: PAIR_MEMBERS, name: "gbdt_quantile_pair" }),
);
forecasterContract(() =>
  gbdtQuantile({ params: quick, threads: 1, itemTrends: false, name: "gbdt_quantile_no_items" }),
);

test("splitMatrix: disjoint seeded shares of the rows that together are every row, in order", async () => {
  const input = testFitInput({ shape: [5, 450, 2] });
  const m = await trainingMatrix(input, {});
  const n = m.rows.series.length;
  const parts = splitMatrix(m, 2, 7);
  assert.equal(parts.length, 2);
  assert.equal(parts[0]!.rows.series.length + parts[1]!.rows.series.length, n);
  assert.ok(Math.abs(parts[0]!.rows.series.length - n / 2) < 0.1 * n, "about half each");
  // Every row of the matrix is in exactly one share, with its features, target and keys.
  const key = (mm: typeof m, r: number) =>
    `${mm.rows.series[r]}|${mm.rows.origin[r]}|${mm.rows.horizon[r]}|${mm.columns[3]![r]}|${mm.target[r]}`;
  const all = new Map(Array.from({ length: n }, (_, r) => [key(m, r), r]));
  assert.equal(all.size, n, "rows of the test matrix are distinct");
  const seen = new Set<string>();
  for (const p of parts) {
    assert.equal(p.columns.length, m.columns.length);
    let last = -1;
    for (let r = 0; r < p.rows.series.length; r++) {
      const k = key(p, r);
      assert.ok(all.has(k) && !seen.has(k), `row ${r} once`);
      seen.add(k);
      assert.ok(all.get(k)! > last, "the matrix's row order is kept");
      last = all.get(k)!;
    }
  }
  assert.equal(seen.size, n);
  assert.deepEqual(splitMatrix(m, 2, 7)[0]!.rows.origin, parts[0]!.rows.origin, "seeded");
  assert.notDeepEqual(
    splitMatrix(m, 2, 8)[0]!.rows.origin,
    parts[0]!.rows.origin,
    "another seed, another split",
  );
  assert.equal(splitMatrix(m, 1, 7)[0], m, "one share is the matrix itself");
});

test("gbdt_quantile_pair: a scaled and an unscaled member, averaged level by level", async () => {
  const input = testFitInput({ shape: [5, 450, 2] });
  const fitted = (await gbdtQuantile({ params: quick, threads: 1, members: PAIR_MEMBERS }).fit(
    input,
  )) as GbdtQuantileFitted;
  assert.deepEqual(
    fitted.members.map((m) => m.scale),
    [DEFAULT_SCALE, null],
  );
  assert.equal(fitted.members[1]!.boosters.length, input.levels.length);
  const f = await fitted.predict(420, 28);
  // The pair fits with the default item trends, so its members predict with them.
  const a = await predictMembers(input, [fitted.members[0]!], 420, 28, { itemTrends: true });
  const b = await predictMembers(input, [fitted.members[1]!], 420, 28, { itemTrends: true });
  let differ = 0;
  for (let i = 0; i < f.q.length; i++) {
    assert.ok(Math.abs(f.q[i]! - (a.q[i]! + b.q[i]!) / 2) < 1e-6, `value ${i}`);
    assert.equal(a.q[i], Math.floor(a.q[i]!), "members forecast counts");
    if (a.q[i] !== b.q[i]) differ++;
  }
  assert.ok(differ > 0, "the members differ");
});

test("gbdt_quantile: the item trend columns reach the boosters (not with itemTrends false)", async () => {
  const input = testFitInput({ shape: [5, 450, 2] });
  const fitted = (await gbdtQuantile({ params: quick, threads: 1 }).fit(input)) as GbdtQuantileFitted;
  const names = fitted.boosters[2]!.model.featureNames;
  for (const n of ITEM_FEATURE_NAMES) assert.ok(names.includes(n), n);
  const plain = (await gbdtQuantile({ params: quick, threads: 1, itemTrends: false }).fit(
    input,
  )) as GbdtQuantileFitted;
  assert.ok(!plain.boosters[2]!.model.featureNames.includes(ITEM_FEATURE_NAMES[0]!));
});

test("gbdt_quantile with one member is the plain fit: the same boosters and forecasts as fitting its data directly", async () => {
  const input = testFitInput({ shape: [5, 450, 2] });
  const fitted = (await gbdtQuantile({ params: quick, threads: 1 }).fit(input)) as GbdtQuantileFitted;
  const data = await trainingData(input, { scale: DEFAULT_SCALE, itemTrends: true });
  const boosters = await fitQuantileBoosters(data, input.levels, input.seed, {
    params: quick,
    threads: 1,
    tails: DEFAULT_TAILS,
  });
  assert.deepEqual(
    fitted.boosters.map((b) => b.numTrees),
    boosters.map((b) => b.numTrees),
  );
  const { rows, matrix } = forecastMatrix(input, 420, 28, { itemTrends: true });
  const scale = rowScales(matrix, DEFAULT_SCALE);
  const want = emptyForecast(420, 28, input.levels, input.panel.keys.length, false);
  await predictQuantilesInto(
    want,
    boosters,
    rows,
    relativeFeatures(matrix, scale, DEFAULT_SCALE).columns,
    1,
    scale,
  );
  assert.deepEqual((await fitted.predict(420, 28)).q, want.q);
});
