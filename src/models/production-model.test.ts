import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { test } from "node:test";
import { loadConfig } from "../config/load.ts";
import { InputError } from "../core/errors.ts";
import { QUANTILES } from "../core/quantiles.ts";
import type { DailyPanel } from "../data/to-panel.ts";
import { testPanel } from "../features/test-panel.ts";
import { serialize } from "../gbdt/serialize.ts";
import { testFitInput } from "./fit-input.test-support.ts";
import { forecasterContract } from "./forecaster.contract.ts";
import { DEFAULT_TAILS } from "./gbdt-quantile.ts";
import { FEATURE_SET_VERSION, featureSchemaOf, ProductionModel } from "./production-model.ts";
import { quantileIntegral } from "./production-model-mean.ts";

const quick = { iterations: 15, maxLeaves: 7, minDataInLeaf: 20 };
const settings = loadConfig({ env: {} }).features;

const fitInput = (daily: DailyPanel, withWeather = true) => testFitInput({ daily, seed: 3, withWeather });

// The production model passes the same contract as every backtest forecaster (shape, determinism, no leakage).
forecasterContract(() => ({
  name: "production_gbdt",
  async fit(input) {
    const model = await ProductionModel.fit(input, { params: quick, threads: 1, tweedie: true });
    return { predict: (origin, horizon) => model.predict(input.features!, origin, horizon) };
  },
}));

test("production model: a serialize/deserialize round trip gives the same bytes and byte-identical forecasts", async () => {
  const daily = testPanel().panel;
  const input = fitInput(daily);
  const model = await ProductionModel.fit(input, { params: quick, threads: 1, tweedie: true });
  const json = model.serialize();
  const back = ProductionModel.deserialize(json, "model.json");
  assert.equal(back.serialize(), json, "serialize is deterministic and lossless");
  assert.deepEqual(back.schema, model.schema);
  assert.equal(back.levels.length, 6);
  assert.ok(back.tweedie, "the Tweedie model is kept");
  const a = await model.predict(input.features!, 403, 28);
  const b = await back.predict(input.features!, 403, 28);
  assert.deepEqual(Buffer.from(b.q.buffer), Buffer.from(a.q.buffer));
  assert.deepEqual(Buffer.from(b.mean!.buffer), Buffer.from(a.mean!.buffer));
  // Fitting again with the same seed gives the same file.
  const again = await ProductionModel.fit(input, { params: quick, threads: 1, tweedie: true });
  assert.equal(again.serialize(), json);
});

/** A model file with its content edited and its sha256 recomputed (a well-formed file with bad content). */
function resealed(json: string, edit: (m: Record<string, unknown>) => Record<string, unknown>): string {
  const o = JSON.parse(json);
  const content = JSON.stringify(edit(o.model));
  return JSON.stringify({
    ...o,
    sha256: createHash("sha256").update(content).digest("hex"),
    model: JSON.parse(content),
  });
}

test("production model: a damaged or edited file is an InputError naming the file", async () => {
  const model = await ProductionModel.fit(fitInput(testPanel().panel), { params: quick, threads: 1 });
  const json = model.serialize();
  const cases: [string, string][] = [
    ["truncated", json.slice(0, -10)],
    [
      "one byte of a tree changed",
      json.replace(/"value":"(.)/, (_m, c: string) => `"value":"${c === "A" ? "B" : "A"}`),
    ],
    ["a field edited", json.replace(`"horizon":28`, `"horizon":27`)],
    ["another format", json.replace("megaretail-production-model", "megaretail-gbdt")],
    ["a later version", json.replace(`"version":2`, `"version":3`)],
    ["a bad scale (intact checksum)", resealed(json, (m) => ({ ...m, scale: { window: -1 } }))],
  ];
  for (const [what, text] of cases) {
    assert.notEqual(text, json, what);
    assert.throws(
      () => ProductionModel.deserialize(text, "runs/r1/model.json"),
      (e: unknown) => e instanceof InputError && e.message.startsWith("runs/r1/model.json"),
      what,
    );
  }
});

test("production model: quantile models on scaled targets by default; a version-1 file is an unscaled model", async () => {
  const input = fitInput(testPanel().panel);
  const scaled = await ProductionModel.fit(input, { params: quick, threads: 1 });
  const units = await ProductionModel.fit(input, { params: quick, threads: 1, scale: null });
  assert.match(scaled.serialize(), /"scale":\{"window":364,"floor":0.25,"weight":"none","relative":true\}/);
  const json = units.serialize();
  assert.match(json, /"version":2,.*"scale":null/);
  const a = await scaled.predict(input.features!, 403, 28);
  const b = await units.predict(input.features!, 403, 28);
  assert.notDeepEqual(a.q, b.q, "the scaled models are other models");
  assert.ok(
    a.q.every((v) => Number.isInteger(v) && v >= 0),
    "scaled quantiles come back as counts",
  );
  // A file written before scaling existed (version 1, no scale field) reads as what it is: an unscaled model.
  const v1 = ProductionModel.deserialize(json.replace(`"version":2`, `"version":1`), "old.json");
  const c = await v1.predict(input.features!, 403, 28);
  assert.deepEqual(Buffer.from(c.q.buffer), Buffer.from(b.q.buffer));
});

test("production model: the upper-tail boosters get gbdt_quantile's tail settings by default, the others not", async () => {
  const input = fitInput(testPanel().panel);
  const tailed = await ProductionModel.fit(input, { params: quick, threads: 1 });
  const plain = await ProductionModel.fit(input, { params: quick, threads: 1, tails: null });
  for (const [k, tau] of input.levels.entries()) {
    const same = serialize(tailed.boosters[k]!) === serialize(plain.boosters[k]!);
    assert.equal(same, !DEFAULT_TAILS.levels.includes(tau), `level ${tau}`);
  }
});

test("production model: without weather it has no weather features; with it, it does", async () => {
  const model = await ProductionModel.fit(fitInput(testPanel().panel, false), { params: quick, threads: 1 });
  assert.deepEqual(model.schema, featureSchemaOf(settings, false));
  assert.ok(!model.schema.names.some((n) => n.startsWith("weather_")));
  assert.deepEqual(model.boosters[0]!.model.featureNames, model.schema.names);
  assert.ok(featureSchemaOf(settings, true).names.includes("weather_temp_forecast"));
  assert.notEqual(featureSchemaOf(settings, true).hash, model.schema.hash);
});

test("feature schema: changed settings give another hash; equal settings the same", () => {
  const base = featureSchemaOf(settings, true);
  assert.equal(base.version, FEATURE_SET_VERSION);
  assert.equal(featureSchemaOf(structuredClone(settings), true).hash, base.hash);
  const moreLags = featureSchemaOf({ ...settings, lags: [...settings.lags, 35] }, true);
  assert.notEqual(moreLags.hash, base.hash);
  assert.ok(moreLags.names.includes("demand_lag35") && !base.names.includes("demand_lag35"));
  assert.notEqual(featureSchemaOf({ ...settings, meanWindows: [7] }, true).hash, base.hash);
  assert.match(base.hash, /^[0-9a-f]{64}$/);
});

test("production model: forecasts do not depend on how the serving panel codes its categories", async () => {
  const daily = testPanel().panel;
  const input = fitInput(daily);
  const model = await ProductionModel.fit(input, { params: quick, threads: 1 });
  // The same chain loaded differently: category labels in another order (other codes), one attribute constant.
  const recoded: DailyPanel = {
    ...daily,
    categoricals: daily.categoricals.map((c) => ({
      name: c.name,
      labels: [...c.labels].reverse(),
      codes: Int32Array.from(c.codes, (k) => c.labels.length - 1 - k),
    })),
  };
  const a = await model.predict(input.features!, 403, 28);
  const b = await model.predict({ ...input.features!, daily: recoded }, 403, 28);
  assert.deepEqual(b.q, a.q);
  // Only some series: the same numbers for those, nothing for the others.
  const some = await model.predict(input.features!, 403, 28, { series: [1, 4] });
  const L = QUANTILES.length;
  for (const i of [0, 1, 4]) {
    const cells = (x: Float32Array) => [...x.subarray(i * 28 * L, (i + 1) * 28 * L)];
    if (i === 0) assert.ok(cells(some.q).every((v) => v === 0));
    else assert.deepEqual(cells(some.q), cells(a.q));
  }
});

test("mean from quantiles: the integral of the piecewise-linear quantile function", () => {
  assert.equal(quantileIntegral([0.5], [3]), 3);
  // Constant quantiles: the mean is that constant.
  assert.equal(quantileIntegral(QUANTILES, [2, 2, 2, 2, 2, 2]), 2);
  // Uniform(0, 1) has Q(tau) = tau; the interior is exact, the flat ends err by tau0^2/2 and (1-tauL)^2/2.
  const u = quantileIntegral(QUANTILES, QUANTILES);
  assert.ok(Math.abs(u - 0.5) < 0.001, `${u}`);
});
