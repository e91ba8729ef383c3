import assert from "node:assert/strict";
import { test } from "node:test";
import type { DailyPanel } from "../data/to-panel.ts";
import { scrambleAfter } from "../features/leakage.ts";
import { forecastMatrix, trainingData } from "./feature-model-data.ts";
import { testFitInput } from "./fit-input.test-support.ts";
import { forecasterContract } from "./forecaster.contract.ts";
import { gbdtQuantile } from "./gbdt-quantile.ts";
import {
  DEFAULT_SCALE,
  rowScales,
  type ScaleSpec,
  scaledCountTargets,
  unscaleCount,
} from "./series-scale.ts";

const quick = { iterations: 40, maxLeaves: 15, minDataInLeaf: 20 };
// gbdt.test.ts runs the contract on the default (scaled) model and its censored variant; here the unscaled one.
forecasterContract(() => gbdtQuantile({ params: quick, threads: 1, scale: null, name: "unscaled" }));

const fitInput = (daily?: DailyPanel) => testFitInput({ shape: [6, 500, 4], daily });

test("scale round trip: a jittered scaled count unscales to the count itself", () => {
  const y = Float32Array.from([0, 1, 2, 7, 40, 1234]);
  const scale = Float32Array.from([0.25, 0.25, 3.7, 0.9, 12.5, 101]);
  const t = scaledCountTargets(y, scale, 3);
  for (let r = 0; r < y.length; r++) {
    assert.ok(t[r]! * scale[r]! >= y[r]! - 1e-3 && t[r]! * scale[r]! < y[r]! + 1, `row ${r}`);
    // Float32 rounding of the jittered value must not cross the next integer.
    assert.equal(unscaleCount(t[r]!, scale[r]!), y[r], `row ${r}`);
  }
  assert.equal(unscaleCount(-0.3, 5), 0, "never negative");
  assert.deepEqual(scaledCountTargets(y, scale, 3), t, "seeded");
});

test("row scales: the window's mean up to the cutoff, floored; weights; relative level features", async () => {
  const spec: ScaleSpec = { window: 91, floor: 0.25, weight: "scale", relative: true };
  const data = await trainingData(fitInput(), { scale: spec });
  const raw = (await trainingData(fitInput(), {})).trainMatrix;
  const m = data.trainMatrix;
  const s = data.scaling!.scale;
  const col = (mm: typeof m, name: string) => mm.columns[mm.names.indexOf(name)]!;
  const w91 = col(raw, "demand_mean_w91");
  for (let r = 0; r < s.length; r++) {
    assert.ok(Number.isFinite(w91[r]!), "the test panel has known days before every training cutoff");
    assert.equal(s[r], Math.max(spec.floor, w91[r]!));
    // Level features are relative to the scale; the scale's own window and non-level features stay raw.
    assert.equal(col(m, "demand_lag7")[r], Math.fround(col(raw, "demand_lag7")[r]! / s[r]!));
    assert.equal(col(m, "demand_mean_w91")[r], w91[r]);
    assert.equal(col(m, "price")[r], col(raw, "price")[r]);
  }
  assert.deepEqual(data.scaling!.weight, s, "weight 'scale': the objective is the raw pinball");
  const sqrt = (await trainingData(fitInput(), { scale: { ...spec, weight: "sqrt" } })).scaling!.weight!;
  assert.ok(sqrt.every((w, r) => Math.abs(w - Math.sqrt(s[r]!)) < 1e-6));
  const unweighted = await trainingData(fitInput(), { scale: DEFAULT_SCALE });
  assert.equal(unweighted.scaling!.weight, null, "weight 'none': no weight array (the unweighted kernels)");
  assert.equal(unweighted.train.weight, null);
  const noMeans = rowScales(
    {
      ...raw,
      columns: raw.columns.map((c, f) => (raw.names[f]!.startsWith("demand_mean") ? c.map(() => NaN) : c)),
    },
    spec,
  );
  assert.ok(
    noMeans.every((v) => v === spec.floor),
    "no known mean: the floor",
  );
});

test("no leakage of the scale: data after the cutoff (and plans after the origin) leave it unchanged", () => {
  const input = fitInput();
  const origin = 300;
  const cutoff = origin - input.features.settings.latencyDays;
  const scrambled = scrambleAfter(input.features.daily, cutoff, origin);
  const at = (daily = input.features.daily) =>
    rowScales(
      forecastMatrix({ ...input, features: { ...input.features, daily } }, origin, 28).matrix,
      DEFAULT_SCALE,
    );
  const before = at();
  assert.ok(before.length > 0);
  assert.deepEqual(at(scrambled), before);
  // The same check bites when the scale could see the future: scrambling from the cutoff itself changes it.
  assert.notDeepEqual(at(scrambleAfter(input.features.daily, cutoff - 1, origin)), before);
});
