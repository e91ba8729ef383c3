import assert from "node:assert/strict";
import { test } from "node:test";
import { loadConfig } from "../config/load.ts";
import { QUANTILES } from "../core/quantiles.ts";
import { Rng } from "../core/rng.ts";
import { testPanel } from "../features/test-panel.ts";
import type { CvTable } from "../validation/backtest.ts";
import { rollingFolds } from "../validation/splits.ts";
import { coverage, horizonBuckets } from "./calibration.ts";
import { caseTraits } from "./case-traits.ts";
import { caseSets } from "./cases.ts";
import { complexityVariants } from "./complexity.ts";
import { REL_PRICES, repriceColumns } from "./elasticity.ts";
import { applyIsotonic, fitIsotonic, scoreLevel } from "./isotonic.ts";
import { HOLDOUT_DAYS, lastFoldData, sampleKnown } from "./last-fold-data.ts";
import { iterationGrid } from "./learning-curves.ts";
import { residualSummary } from "./residuals.ts";
import type { RowAttributes } from "./row-attributes.ts";

const all = (n: number) => Int32Array.from({ length: n }, (_, i) => i);

test("calibration: the true quantiles of a known distribution are calibrated, shifted ones are not", () => {
  // y uniform on {0, 1, 2, 3}: the 0.5-quantile is 1 (P(y < 1) = 0.25 <= 0.5 <= P(y <= 1) = 0.5).
  const rng = new Rng(3);
  const n = 20_000;
  const y = Float32Array.from({ length: n }, () => rng.int(4));
  const q = (v: number) => new Float32Array(n).fill(v);
  const right = coverage(y, q(1), all(n), 0.5);
  assert.ok(Math.abs(right.lt - 0.25) < 0.02 && Math.abs(right.le - 0.5) < 0.02);
  assert.equal(right.calibrated, true);
  // 0.9-quantile is 3: P(y < 3) = 0.75 <= 0.9 <= 1.
  assert.equal(coverage(y, q(3), all(n), 0.9).calibrated, true);
  // Too low: q = 0 covers only a quarter; too high: q = 3 for tau 0.5 (P(y < 3) = 0.75 > 0.5).
  assert.equal(coverage(y, q(0), all(n), 0.5).calibrated, false);
  assert.equal(coverage(y, q(3), all(n), 0.5).calibrated, false);
  // NaN actuals are not counted.
  const withNaN = Float32Array.from(y, (v, i) => (i % 2 ? Number.NaN : v));
  assert.equal(coverage(withNaN, q(1), all(n), 0.5).n, n / 2);
  assert.deepEqual(
    horizonBuckets(28).map((b) => b.label),
    ["1-7", "8-14", "15-21", "22-28"],
  );
  assert.deepEqual(
    horizonBuckets(10).map((b) => b.label),
    ["1-7", "8-10"],
  );
});

test("residuals: the side a quantile errs on, with ties counted for neither side", () => {
  const rng = new Rng(5);
  const n = 10_000;
  const y = Float32Array.from({ length: n }, () => rng.int(10)); // uniform 0..9: q0.95 is 9
  const at = (v: number, level: number) =>
    residualSummary(y, new Float32Array(n).fill(v), all(n), level, { seed: 1 });
  const right = at(9, 0.95);
  assert.equal(right.side, "balanced");
  assert.equal(right.underShare, 0);
  const low = at(6, 0.95); // 30% of actuals above: a stock level this low runs out
  assert.equal(low.side, "under");
  assert.match(low.reading, /lost sales/);
  assert.ok(Math.abs(low.underShare - 0.3) < 0.02);
  assert.ok(low.unitsShort > 0 && low.unitsOver > 0);
  const high = at(8, 0.5); // 80% strictly below: over-forecast
  assert.equal(high.side, "over");
  assert.match(high.reading, /leaves more stock/);
  // The median of 0..9 is 4 or 5: with ties either is balanced.
  assert.equal(at(4, 0.5).side, "balanced");
  assert.equal(right.sample.length, 2000);
  assert.deepEqual(at(6, 0.95), low, "seeded sample: same input, same summary");
});

test("isotonic: recovers a monotone map, pools violators, and lowers pinball of a biased forecast", () => {
  // y = 2 q exactly: the map is q -> 2q.
  const q = Float64Array.from({ length: 500 }, (_, i) => 1 + (i % 10));
  const y = Float64Array.from(q, (v) => 2 * v);
  const map = fitIsotonic(q, y, 0.5);
  for (let v = 1; v <= 10; v++) assert.equal(applyIsotonic(map, v), 2 * v);
  assert.equal(applyIsotonic(map, 0), 2, "below the first block: its value");
  // A decreasing relation is pooled into one block: the map is constant, never decreasing.
  const down = fitIsotonic(
    q,
    Float64Array.from(q, (v) => 20 - v),
    0.5,
  );
  assert.equal(down.value.length, 1);
  for (let k = 1; k < map.value.length; k++) assert.ok(map.value[k]! >= map.value[k - 1]!);
  // A 0.9 forecast that is too low (the median of y ~ U{0..9} + base) improves after calibration.
  const rng = new Rng(9);
  const base = Float64Array.from({ length: 4000 }, () => rng.int(5) * 10);
  const yy = Float64Array.from(base, (b) => b + rng.int(10));
  const biased = Float64Array.from(base, (b) => b + 4);
  const m = fitIsotonic(biased.subarray(0, 2000), yy.subarray(0, 2000), 0.9);
  const after = Float64Array.from(biased.subarray(2000), (v) => applyIsotonic(m, v));
  const before = scoreLevel(biased.subarray(2000), yy.subarray(2000), 0.9);
  const now = scoreLevel(after, yy.subarray(2000), 0.9);
  assert.ok(now.pinball < before.pinball);
  assert.ok(Math.abs(now.coverage - 0.9) < Math.abs(before.coverage - 0.9));
});

/** A CV table of one model over 4 series x 10 horizons, one fold; row 7 has a huge under-forecast. */
function tinyCv(): { cv: CvTable; attrs: RowAttributes } {
  const n = 40;
  const levels = QUANTILES;
  const actual = Float32Array.from({ length: n }, (_, r) => (r === 7 ? 50 : 3 + (r % 3)));
  const cv: CvTable = {
    models: ["m"],
    levels,
    folds: [{ fold: 0, trainStart: 0, trainEnd: 96, origin: 99, testStart: 100, testEnd: 109 }],
    fold: new Int32Array(n),
    model: new Int32Array(n),
    series: Int32Array.from({ length: n }, (_, r) => Math.floor(r / 10)),
    origin: new Int32Array(n).fill(99),
    horizon: Int32Array.from({ length: n }, (_, r) => (r % 10) + 1),
    actual,
    price: Float32Array.from({ length: n }, (_, r) => 1 + Math.floor(r / 10)),
    q: levels.map((l) => new Float32Array(n).fill(Math.round(4 + 4 * (l - 0.5)))),
    mean: new Float32Array(n).fill(Number.NaN),
    crossings: [0],
    seconds: [0],
    actualSource: "observed",
  };
  const idx = all(n);
  const attrs: RowAttributes = {
    idx,
    day: Int32Array.from(idx, (r) => 99 + cv.horizon[r]!),
    historyDays: Int32Array.from(idx, (r) => (cv.series[r] === 3 ? 30 : 400)),
    weekend: Uint8Array.from(idx, (r) => ((99 + cv.horizon[r]!) % 7 >= 5 ? 1 : 0)),
    event: Uint8Array.from(idx, (r) => (r === 7 ? 1 : 0)),
    promo: new Uint8Array(n),
    labels: {
      category: Array.from(idx, (r) => (cv.series[r]! < 2 ? "dairy" : "bakery")),
      store: Array.from(idx, () => "S1"),
      price_band: Array.from(idx, (r) => (cv.series[r] === 0 ? "low" : cv.series[r] === 3 ? "high" : "mid")),
    },
  };
  return { cv, attrs };
}

test("cases: the largest residual leads the under-forecast CSV; corner sets select their rows", () => {
  const { cv, attrs } = tinyCv();
  const daily = { storeId: ["S1", "S1", "S1", "S1"], productId: ["P0", "P1", "P,2", "P3"] };
  const sets = caseSets(cv, attrs, daily, 5);
  const by = new Map(sets.map((s) => [s.name, s]));
  const under = by.get("under-forecast")!;
  const lines = under.csv.trim().split("\n");
  assert.match(lines[0]!, /^store_id,product_id,date,horizon,fold,actual,q0.015,.*,residual,price,/);
  assert.ok(lines[1]!.startsWith("S1,P0,1970-04-18,8,0,50,"), lines[1]);
  assert.equal(lines.length, 6, "capped at 5 rows");
  assert.equal(by.get("holiday")!.summary.matching, 1);
  assert.equal(by.get("short-history")!.summary.matching, 10);
  assert.ok(by.get("short-history")!.csv.includes('"P,2"') === false, "series 3 is P3");
  assert.ok(by.get("under-forecast")!.summary.meanResidual! > 0);
  assert.ok(by.get("over-forecast")!.summary.meanResidual! < 0);
  assert.equal(by.get("promo")!.summary.rows, 0);
  assert.equal(by.get("low-price")!.summary.matching, 10);
  assert.equal(by.get("high-price")!.summary.matching, 10);
  // The short-history rows are all series 3, priced high: the trait shows it (lift 4 against the population).
  const trait = by.get("short-history")!.summary.traits.find((t) => t.dimension === "price_band")!;
  assert.deepEqual([trait.value, trait.lift], ["high", 4]);
  // A product id with a comma is quoted.
  const all3 = caseSets(cv, attrs, daily, 40).find((s) => s.name === "over-forecast")!;
  assert.ok(all3.csv.includes('"P,2"'));
});

test("case traits: over-represented values with their lift, never a value every row shares", () => {
  const labels = { category: ["a", "a", "a", "b", "b", "b", "b", "b"], store: Array(8).fill("S") };
  const traits = caseTraits(labels, [0, 1, 3]);
  assert.deepEqual(traits, [
    {
      dimension: "category",
      value: "a",
      count: 2,
      share: 2 / 3,
      populationShare: 3 / 8,
      lift: 2 / 3 / (3 / 8),
    },
  ]);
});

test("repricing keeps every price feature consistent with the builder's definitions", () => {
  const names = [
    "x",
    "price",
    "regular_price",
    "discount_depth",
    "price_rel_mean_w28",
    "price_rel_mean_w91",
    "price_change",
  ];
  // price 8, 28-day mean 10, 91-day mean 8, last price 8, regular 10.
  const cols = [[1], [8], [10], [0.2], [0.8], [1], [1]].map((v) => Float32Array.from(v));
  for (const rel of REL_PRICES) {
    const out = repriceColumns(names, cols, rel);
    const p = 10 * rel;
    assert.ok(Math.abs(out[1]![0]! - p) < 1e-5);
    assert.ok(Math.abs(out[4]![0]! - rel) < 1e-6);
    assert.ok(Math.abs(out[5]![0]! - p / 8) < 1e-5);
    assert.ok(Math.abs(out[6]![0]! - p / 8) < 1e-5);
    assert.ok(Math.abs(out[3]![0]! - (1 - p / 10)) < 1e-5);
    assert.equal(out[0], cols[0], "other columns are shared, not copied");
  }
  assert.equal(cols[1]![0], 8, "the input is left alone");
});

test("variants, grids and samples", () => {
  const names = [
    "demand_lag1",
    "demand_lag7",
    "demand_lag14",
    "demand_lag28",
    "demand_mean_w7",
    "demand_mean_w91",
    "demand_known_share_w28",
    "demand_q50_w364",
    "penetration_l1_w91",
    "price",
  ];
  const vs = complexityVariants(names, 63);
  assert.deepEqual(
    vs.map((v) => v.variant),
    ["lags <= 7", "windows <= 28 days", "15 leaves", "lags <= 14", "255 leaves"],
  );
  assert.deepEqual(
    names.filter(vs[0]!.keep),
    names.filter((n) => n !== "demand_lag14" && n !== "demand_lag28"),
  );
  assert.deepEqual(
    names.filter(vs[1]!.keep),
    names.filter((n) => n !== "demand_mean_w91" && n !== "demand_q50_w364"),
  );
  assert.equal(vs[2]!.maxLeaves, 15);
  assert.deepEqual(iterationGrid(60, 12), [5, 10, 15, 20, 25, 30, 35, 40, 45, 50, 55, 60]);
  assert.deepEqual(iterationGrid(7, 12), [1, 2, 3, 4, 5, 6, 7]);
  const t = Float32Array.from({ length: 100 }, (_, i) => (i % 4 === 0 ? Number.NaN : i));
  const s = sampleKnown(t, 10, 1);
  assert.equal(s.length, 10);
  for (let k = 0; k < s.length; k++) {
    assert.ok(!Number.isNaN(t[s[k]!]!));
    if (k > 0) assert.ok(s[k]! > s[k - 1]!);
  }
  assert.deepEqual(sampleKnown(t, 10, 1), s);
  assert.equal(sampleKnown(t, 1000, 1).length, 75);
});

test("last-fold data: capped fit rows, a holdout at the end of the window, whole test series", () => {
  const config = loadConfig({ env: {} });
  const { panel: daily, calendar, weather } = testPanel(8, 400, 2);
  const folds = rollingFolds(0, daily.end, 2, config.validation);
  const input = {
    daily,
    calendar,
    weather,
    settings: config.features,
    folds,
    originStep: 7,
    rowSample: 1,
    seed: 1,
  } as Parameters<typeof lastFoldData>[0];
  const d = lastFoldData(input, 600, 28 * 3);
  const fold = folds[1]!;
  assert.ok(d.fit.target.length + d.holdout.target.length <= 600);
  assert.ok(d.holdout.target.length > 0 && d.fit.target.length > 300);
  const day = (s: typeof d.fit, r: number) => s.rows.origin[r]! + s.rows.horizon[r]!;
  for (let r = 0; r < d.fit.target.length; r++) assert.ok(day(d.fit, r) <= fold.trainEnd - HOLDOUT_DAYS);
  for (let r = 0; r < d.holdout.target.length; r++) {
    assert.ok(day(d.holdout, r) > fold.trainEnd - HOLDOUT_DAYS && day(d.holdout, r) <= fold.trainEnd);
  }
  const series = new Set(d.test.rows.series);
  assert.equal(series.size, 3, "three whole series fit 84 test rows");
  for (let r = 0; r < d.test.target.length; r++) {
    assert.equal(d.test.rows.origin[r], fold.origin);
    assert.ok(!Number.isNaN(d.test.target[r]!));
  }
});
