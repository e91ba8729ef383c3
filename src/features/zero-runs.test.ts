import assert from "node:assert/strict";
import { test } from "node:test";
import type { DailyPanel } from "../data/to-panel.ts";
import type { FeatureRows } from "./build.ts";
import { testPanel } from "./test-panel.ts";
import { DEFAULT_ZERO_RUN_RULE, likelyStockoutDays, rowsOutsideMask } from "./zero-runs.ts";

/** The test panel with series 0 (selling daily) zeroed over days 200..219 and series 1 over 300..305. */
function withRuns(): DailyPanel {
  const { panel } = testPanel(4, 500, 7);
  const p = { ...panel, demand: panel.demand.slice() };
  for (let d = 200; d < 220; d++) p.demand[p.indptr[0]! + d] = 0;
  for (let d = 300; d < 306; d++) p.demand[p.indptr[1]! + d] = 0;
  // An unknown day inside the run neither breaks nor extends it.
  p.demand[p.indptr[0]! + 210] = Number.NaN;
  return p;
}

const flagged = (p: DailyPanel, mask: Uint8Array, i: number) => {
  const days: number[] = [];
  for (let j = p.indptr[i]!; j < p.indptr[i + 1]!; j++)
    if (mask[j]) days.push(p.start[i]! + j - p.indptr[i]!);
  return days;
};

test("zero runs: a long run of zeros in a series that sells every day is flagged, short runs are not", () => {
  const p = withRuns();
  const mask = likelyStockoutDays(p, 0, 499);
  const run = Array.from({ length: 20 }, (_, k) => 200 + k).filter((d) => d !== 210);
  assert.deepEqual(flagged(p, mask, 0), run);
  assert.deepEqual(flagged(p, mask, 1), [], "6 zero days are below minRun");
  // The same 8-day run is flagged in a series that sells every day but not in one with half its days zero.
  const q = { ...p, demand: p.demand.slice() };
  for (let j = q.indptr[2]!; j < q.indptr[3]!; j++) if (j % 2 === 0) q.demand[j] = 0;
  // Days 400..407 (series 3 starts at day 300).
  for (const i of [2, 3]) for (let d = 400; d < 408; d++) q.demand[q.indptr[i]! + d - q.start[i]!] = 0;
  const m = likelyStockoutDays(q, 0, 499);
  assert.deepEqual(flagged(q, m, 2), []);
  assert.deepEqual(
    flagged(q, m, 3),
    Array.from({ length: 8 }, (_, k) => 400 + k),
  );
  assert.equal(DEFAULT_ZERO_RUN_RULE.minRun, 7);
});

test("zero runs are decided on [from, to] only: data after `to` changes nothing, a run cut by `to` still counts", () => {
  const p = withRuns();
  const before = likelyStockoutDays(p, 0, 214);
  const q = { ...p, demand: p.demand.slice() };
  for (let i = 0; i < q.storeId.length; i++) {
    for (let j = q.indptr[i]!; j < q.indptr[i + 1]!; j++)
      if (q.start[i]! + j - q.indptr[i]! > 214) q.demand[j] = 0;
  }
  assert.deepEqual(likelyStockoutDays(q, 0, 214), before);
  assert.deepEqual(
    flagged(p, before, 0),
    Array.from({ length: 15 }, (_, k) => 200 + k).filter((d) => d !== 210),
  );
  // Nothing after `to` is ever flagged.
  assert.ok(flagged(q, before, 2).every((d) => d <= 214));
});

test("rowsOutsideMask drops exactly the rows whose target day is flagged", () => {
  const p = withRuns();
  const mask = likelyStockoutDays(p, 0, 499);
  const rows: FeatureRows = {
    series: Int32Array.from([0, 0, 0, 1]),
    origin: Int32Array.from([190, 195, 230, 295]),
    horizon: Int32Array.from([5, 10, 1, 7]),
  };
  // Targets: 195 (kept), 205 (run), 231 (kept), 302 (short run: kept).
  assert.deepEqual([...rowsOutsideMask(p, rows, mask)], [0, 2, 3]);
});
