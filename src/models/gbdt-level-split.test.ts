import assert from "node:assert/strict";
import { test } from "node:test";
import { DEFAULT_ZERO_RUN_RULE } from "../features/zero-runs.ts";
import { movingQuantiles } from "./baselines/moving-quantiles.ts";
import { seasonalNaive } from "./baselines/seasonal-naive.ts";
import { testFitInput } from "./fit-input.test-support.ts";
import { forecasterContract } from "./forecaster.contract.ts";
import { levelSplit } from "./gbdt-level-split.ts";
import { gbdtQuantile } from "./gbdt-quantile.ts";

const QUICK = { iterations: 20, learningRate: 0.2, maxLeaves: 15, minDataInLeaf: 20 };

test("levelSplit: the levels below `from` come from the lower model, the rest from the upper one", async () => {
  const input = testFitInput();
  const split = await levelSplit("split", movingQuantiles(), seasonalNaive(), 0.75).fit(input);
  const lower = await movingQuantiles().fit(input);
  const upper = await seasonalNaive().fit(input);
  const [s, a, b] = await Promise.all(
    [401, 401, 401].map((o, k) => [split, lower, upper][k]!.predict(o, 28)),
  );
  const L = input.levels.length;
  assert.equal(s!.q.length, a!.q.length);
  let fromUpper = 0;
  for (let cell = 0; cell < s!.q.length / L; cell++) {
    for (const [k, level] of input.levels.entries()) {
      const want = (level < 0.75 ? a! : b!).q[cell * L + k]!;
      assert.equal(s!.q[cell * L + k], want, `cell ${cell} level ${level}`);
      if (level >= 0.75 && want !== a!.q[cell * L + k]) fromUpper++;
    }
  }
  assert.ok(fromUpper > 0, "the two models differ, so the check bites");
});

// gbdt_quantile_split's shape (a default half and a 1095-day zero-run half) with quick learner settings.
forecasterContract(() =>
  levelSplit(
    "gbdt_quantile_split",
    gbdtQuantile({ params: QUICK, threads: 1 }),
    gbdtQuantile({ params: QUICK, threads: 1, trainDays: 1095, zeroRuns: DEFAULT_ZERO_RUN_RULE }),
    0.75,
  ),
);
