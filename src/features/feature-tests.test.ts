import assert from "node:assert/strict";
import { test } from "node:test";
import { loadConfig } from "../config/load.ts";
import { Rng } from "../core/rng.ts";
import { buildFeatures, type FeatureMatrix } from "./build.ts";
import { FEATURE_GROUPS, featureGroup } from "./feature-groups.ts";
import {
  checkFeatures,
  checkFeatureUse,
  type FeatureTestLimits,
  formatFeatureIssues,
} from "./feature-tests.ts";
import { featureNames } from "./names.ts";
import { trainingRows } from "./rows.ts";
import { testPanel } from "./test-panel.ts";

const config = loadConfig({ env: {} });
const limits: FeatureTestLimits = config.featureTests;

/** A clean synthetic matrix: lag-like counts, a share, a weekday, an unbounded elasticity and a price. */
function matrix(n: number, seed = 1): FeatureMatrix {
  const rng = new Rng(seed);
  const names = ["demand_lag1", "demand_zero_share_w28", "weekday", "elasticity_w364", "price"];
  const columns = names.map(() => new Float32Array(n));
  for (let i = 0; i < n; i++) {
    columns[0]![i] = rng.poisson(3);
    columns[1]![i] = rng.next();
    columns[2]![i] = i % 7;
    columns[3]![i] = rng.normal() - 1;
    columns[4]![i] = 2 + rng.next();
  }
  return {
    names,
    categorical: ["weekday"],
    columns,
    target: new Float32Array(n),
    price: new Float32Array(n),
    rows: { series: new Int32Array(n), origin: new Int32Array(n), horizon: new Int32Array(n).fill(1) },
  };
}

/** The matrix with one more column. */
function withColumn(m: FeatureMatrix, name: string, col: Float32Array): FeatureMatrix {
  return { ...m, names: [...m.names, name], columns: [...m.columns, col] };
}

const codes = (m: FeatureMatrix, l: FeatureTestLimits = limits) =>
  checkFeatures(m, l).issues.map((i) => `${i.code}:${i.feature}${i.other ? `~${i.other}` : ""}`);

test("a clean matrix passes with no issue at all", () => {
  const r = checkFeatures(matrix(5000), limits);
  assert.equal(r.ok, true);
  assert.deepEqual(r.issues, [], formatFeatureIssues(r));
  const lag = r.stats.find((s) => s.name === "demand_lag1")!;
  assert.equal(lag.validMin, 0);
  assert.equal(lag.validMax, null);
  assert.ok(lag.mean > 2.8 && lag.mean < 3.2 && lag.min === 0 && lag.missingShare === 0);
});

test("a constant column is reported as a warning (the run goes on)", () => {
  const r = checkFeatures(withColumn(matrix(2000), "snap", new Float32Array(2000)), limits);
  assert.deepEqual(
    r.issues.map((i) => [i.code, i.feature, i.severity]),
    [["constant", "snap", "warning"]],
  );
  assert.equal(r.ok, true);
});

test("a duplicated column is listed as a correlated pair", () => {
  const m = matrix(3000);
  const r = checkFeatures(withColumn(m, "demand_mean_w7", Float32Array.from(m.columns[0]!)), limits);
  const pair = r.issues.find((i) => i.code === "correlated")!;
  assert.deepEqual([pair.feature, pair.other, pair.value], ["demand_lag1", "demand_mean_w7", 1]);
  assert.equal(r.issues.length, 1, formatFeatureIssues(r));
  // A noisy copy correlates at about 0.95: below the default limit, above a lower one.
  const rng = new Rng(9);
  const noisy = Float32Array.from(m.columns[0]!, (v) => v + 0.55 * rng.normal());
  assert.deepEqual(codes(withColumn(m, "elasticity_w91", noisy)), []);
  assert.deepEqual(codes(withColumn(m, "elasticity_w91", noisy), { ...limits, maxCorrelation: 0.9 }), [
    "correlated:demand_lag1~elasticity_w91",
  ]);
});

test("out-of-range values and infinities fail the run and say where", () => {
  const m = matrix(1000);
  m.columns[0]![17] = -1; // a negative lag
  m.columns[1]![3] = 1.5; // a share above 1
  m.columns[2]![40] = 7; // weekday 7
  m.columns[4]![5] = Number.POSITIVE_INFINITY;
  const r = checkFeatures(m, limits);
  assert.equal(r.ok, false);
  assert.deepEqual(
    r.issues.map((i) => `${i.severity}:${i.code}:${i.feature}`),
    [
      "error:out_of_range:demand_lag1",
      "error:out_of_range:demand_zero_share_w28",
      "error:out_of_range:weekday",
      "error:non_finite:price",
    ],
  );
  assert.match(r.issues[0]!.message, /first at row 17/);
  assert.match(r.issues[2]!.message, /\[0, 6\]/);
  // A non-integer weekday is out of range too; NaN (missing) never is.
  const m2 = matrix(1000);
  m2.columns[2]![0] = 2.5;
  m2.columns[0]![1] = Number.NaN;
  assert.deepEqual(codes(m2), ["out_of_range:weekday"]);
  // Made a warning by leaving the code out of failOn.
  assert.equal(checkFeatures(m, { ...limits, failOn: [] }).ok, true);
});

test("outliers: a few values far outside the bulk are reported, a heavy but ordinary tail is not", () => {
  const m = matrix(5000);
  const e = Float32Array.from(m.columns[3]!);
  for (let i = 0; i < 5000; i += 500) e[i] = 1e4; // 0.2% gross errors
  assert.deepEqual(codes(withColumn(m, "elasticity_w91", e)), ["outliers:elasticity_w91"]);
  // Prices: mostly 2.0 with 10% promo prices at 1.6 and a long-tailed count: nothing to report.
  const p = Float32Array.from({ length: 5000 }, (_, i) => (i % 10 === 0 ? 1.6 : 2));
  const rng = new Rng(3);
  const counts = Float32Array.from({ length: 5000 }, () => (rng.chance(0.8) ? 0 : rng.negBinomial(5, 0.5)));
  const clean = withColumn(withColumn(m, "regular_price", p), "demand_lag2", counts);
  assert.deepEqual(codes(clean), []);
});

test("mostly missing features are reported", () => {
  const col = Float32Array.from({ length: 1000 }, (_, i) => (i % 50 === 0 ? i : Number.NaN));
  assert.deepEqual(codes(withColumn(matrix(1000), "demand_year_ago", col)), [
    "mostly_missing:demand_year_ago",
  ]);
});

test("a feature group over its time budget is reported; only with enough rows; failOn makes it fail", () => {
  const m = matrix(20_000);
  m.timings = Object.fromEntries(FEATURE_GROUPS.map((g) => [g, g === "rolling_order" ? 100 : 1]));
  const r = checkFeatures(m, limits);
  assert.deepEqual(
    r.issues.map((i) => [i.code, i.feature, i.value]),
    [["slow_group", "rolling_order", 5]],
  );
  assert.equal(r.ok, true);
  assert.equal(r.groups.length, FEATURE_GROUPS.length);
  assert.equal(checkFeatures(m, { ...limits, failOn: ["slow_group"] }).ok, false);
  assert.deepEqual(codes(m, { ...limits, groupBudgetsUs: { rolling_order: 6 } }), []);
  assert.deepEqual(codes(m, { ...limits, minTimedRows: 50_000 }), []);
});

test("after training: a feature no model splits on is reported", () => {
  const names = ["demand_lag1", "snap", "price"];
  const r = checkFeatureUse(names, Float64Array.from([12, 0, 3]), limits);
  assert.deepEqual(
    r.issues.map((i) => [i.code, i.feature, i.severity]),
    [["unused_feature", "snap", "warning"]],
  );
  assert.deepEqual(r.use, [
    { name: "demand_lag1", splits: 12 },
    { name: "snap", splits: 0 },
    { name: "price", splits: 3 },
  ]);
  assert.equal(r.ok, true);
  assert.equal(checkFeatureUse(names, [12, 0, 3], { ...limits, failOn: ["unused_feature"] }).ok, false);
  const before = checkFeatures(withColumn(matrix(500), "snap", new Float32Array(500)), limits);
  assert.match(checkFeatureUse(names, [1, 0, 1], limits, before).issues[0]!.message, /constant/);
  assert.throws(() => checkFeatureUse(names, [1, 2], limits), /2 split counts for 3 features/);
});

test("no rows fails the run", () => {
  const r = checkFeatures(matrix(0), limits);
  assert.equal(r.ok, false);
  assert.deepEqual(
    r.issues.map((i) => i.code),
    ["no_rows"],
  );
});

test("real features: declared ranges hold, every group is timed, every name has its group", () => {
  const { panel, calendar, weather } = testPanel(8, 500, 2);
  const rows = trainingRows(panel, {
    trainStart: 0,
    trainEnd: 470,
    origin: 473,
    step: 7,
    maxHorizon: 28,
    seed: 1,
  });
  const m = buildFeatures(panel, calendar, config.features, rows, { weather });
  const r = checkFeatures(m, limits);
  assert.equal(r.ok, true, formatFeatureIssues(r));
  assert.deepEqual(Object.keys(m.timings!), [...FEATURE_GROUPS]);
  for (const g of FEATURE_GROUPS) assert.ok(m.timings![g]! >= 0 && Number.isFinite(m.timings![g]!), g);
  const { names } = featureNames(config.features, panel);
  const statics = new Set([...panel.categoricals.map((c) => c.name), ...panel.numerics.map((c) => c.name)]);
  for (const name of names) assert.equal(featureGroup(name) === "statics", statics.has(name), name);
});
