import assert from "node:assert/strict";
import { test } from "node:test";
import type { DailyPanel } from "../data/to-panel.ts";
import { ITEM_FEATURE_NAMES, ITEM_TREND_WINDOWS, itemTrendColumns, withItemTrends } from "./item-demand.ts";
import { scrambleAfter } from "./leakage.ts";
import { rowsAtOrigins, testPanel } from "./test-panel.ts";

// The test panel has one product per series; here series 2k and 2k+1 (stores S0 and S1) sell product P{k}.
function sharedProducts(): DailyPanel {
  const { panel } = testPanel(6, 500, 3);
  return { ...panel, productId: panel.productId.map((_, i) => `P${i >> 1}`) };
}

const LAT = 3;

/** The product's mean demand per known store-day over days a..b, the slow way. */
function slowMean(p: DailyPanel, product: string, a: number, b: number): number {
  let s = 0;
  let n = 0;
  for (let i = 0; i < p.storeId.length; i++) {
    if (p.productId[i] !== product) continue;
    for (let d = a; d <= b; d++) {
      const t = d - p.start[i]!;
      if (t < 0 || t >= p.indptr[i + 1]! - p.indptr[i]!) continue;
      const v = p.demand[p.indptr[i]! + t]!;
      if (Number.isNaN(v)) continue;
      s += v;
      n++;
    }
  }
  return n > 0 ? s / n : Number.NaN;
}

test("item trends: the product's mean over all its stores in each window, relative to its 364-day mean", () => {
  const p = sharedProducts();
  const rows = rowsAtOrigins(p, [300, 420, 480]);
  const cols = itemTrendColumns(p, rows, LAT);
  assert.equal(cols.length, ITEM_TREND_WINDOWS.length);
  for (let r = 0; r < rows.series.length; r++) {
    const product = p.productId[rows.series[r]!]!;
    const c = rows.origin[r]! - LAT;
    const level = Math.max(0.05, slowMean(p, product, c - 363, c));
    for (const [w, window] of ITEM_TREND_WINDOWS.entries()) {
      const want = slowMean(p, product, c - window + 1, c) / level;
      const got = cols[w]![r]!;
      assert.ok(Math.abs(got - want) < 1e-4 * Math.max(1, want), `row ${r} w${window}: ${got} vs ${want}`);
    }
  }
  // Both stores of a product see the same item trend.
  assert.equal(cols[1]![0], cols[1]![3], "series 0 and 1 share product P0");
});

test("item trends leak nothing: scrambling every day after the cutoff leaves them unchanged, one day more does not", () => {
  const p = sharedProducts();
  const origin = 430;
  const rows = rowsAtOrigins(p, [origin]);
  const before = itemTrendColumns(p, rows, LAT);
  const safe = itemTrendColumns(scrambleAfter(p, origin - LAT, origin + 400), rows, LAT);
  assert.deepEqual(safe, before);
  // The same scramble one day earlier changes the 7-day trend: the test would see a feature reading day c.
  const early = itemTrendColumns(scrambleAfter(p, origin - LAT - 1, origin + 400), rows, LAT);
  assert.notDeepEqual(early[0], before[0]);
});

test("withItemTrends appends the named numeric columns", () => {
  const p = sharedProducts();
  const rows = rowsAtOrigins(p, [400]);
  const m = withItemTrends(
    {
      names: ["x"],
      categorical: [],
      columns: [new Float32Array(6)],
      target: new Float32Array(6),
      price: new Float32Array(6),
      rows,
    },
    p,
    LAT,
  );
  assert.deepEqual(m.names, ["x", ...ITEM_FEATURE_NAMES]);
  assert.equal(m.columns.length, 1 + ITEM_FEATURE_NAMES.length);
  assert.deepEqual(m.categorical, []);
});
