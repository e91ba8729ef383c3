import assert from "node:assert/strict";
import { test } from "node:test";
import type { DailyPanel } from "../data/to-panel.ts";
import {
  GROUP_FEATURE_NAMES,
  GROUP_TREND_WINDOWS,
  groupTrendColumns,
  withGroupTrends,
} from "./group-demand.ts";
import { scrambleAfter } from "./leakage.ts";
import { rowsAtOrigins, testPanel } from "./test-panel.ts";

const LAT = 3;

function panel(): DailyPanel {
  return testPanel(8, 500, 5).panel;
}

/** Known demand and known series-days over days a..b of the series `keep` selects, the slow way. */
function slowSum(
  p: DailyPanel,
  keep: (i: number) => boolean,
  a: number,
  b: number,
): { sum: number; n: number } {
  let sum = 0;
  let n = 0;
  for (let i = 0; i < p.storeId.length; i++) {
    if (!keep(i)) continue;
    for (let d = a; d <= b; d++) {
      const t = d - p.start[i]!;
      if (t < 0 || t >= p.indptr[i + 1]! - p.indptr[i]!) continue;
      const v = p.demand[p.indptr[i]! + t]!;
      if (Number.isNaN(v)) continue;
      sum += v;
      n++;
    }
  }
  return { sum, n };
}

const close = (got: number, want: number, what: string) =>
  assert.ok(
    (Number.isNaN(got) && Number.isNaN(want)) || Math.abs(got - want) < 1e-4 * Math.max(1, Math.abs(want)),
    `${what}: ${got} vs ${want}`,
  );

test("group trends: store and store-department means per known series-day relative to 364 days, and the share", () => {
  const p = panel();
  const rows = rowsAtOrigins(p, [200, 320, 480]);
  const cols = groupTrendColumns(p, rows, LAT);
  assert.equal(cols.length, GROUP_FEATURE_NAMES.length);
  const dept = p.categoricals.find((c) => c.name === "category_l1")!.codes;
  const W = GROUP_TREND_WINDOWS.length;
  for (let r = 0; r < rows.series.length; r++) {
    const i = rows.series[r]!;
    const c = rows.origin[r]! - LAT;
    const inStore = (k: number) => p.storeId[k] === p.storeId[i];
    const inDept = (k: number) => inStore(k) && dept[k] === dept[i];
    const mean = (keep: (k: number) => boolean, a: number) => {
      const s = slowSum(p, keep, a, c);
      return s.n > 0 ? s.sum / s.n : Number.NaN;
    };
    const storeLevel = Math.max(0.05, mean(inStore, c - 363));
    const deptLevel = Math.max(0.05, mean(inDept, c - 363));
    for (const [w, window] of GROUP_TREND_WINDOWS.entries()) {
      close(cols[w]![r]!, mean(inStore, c - window + 1) / storeLevel, `row ${r} store w${window}`);
      close(cols[W + w]![r]!, mean(inDept, c - window + 1) / deptLevel, `row ${r} dept w${window}`);
    }
    const own = (a: number) => slowSum(p, (k) => k === i, a, c).sum;
    const all = (a: number) => slowSum(p, inDept, a, c).sum;
    const share28 = own(c - 27) / all(c - 27);
    close(cols[2 * W]![r]!, share28, `row ${r} share`);
    close(cols[2 * W + 1]![r]!, share28 / (own(c - 363) / all(c - 363)), `row ${r} share rel`);
  }
  // Two series of one store see the same store trend; the late series (starts at day 300) has a share of 0
  // before it starts and no share relative to its (empty) year.
  assert.equal(cols[1]![0], cols[1]![2 * 3], "series 0 and 2 share store S0");
  const late = rows.series.length - 3;
  assert.equal(cols[2 * W]![late], 0);
  assert.ok(Number.isNaN(cols[2 * W + 1]![late]!), "no relative share without a known year");
});

test("group trends leak nothing: scrambling every day after the cutoff leaves them unchanged, one day more does not", () => {
  const p = panel();
  const origin = 430;
  const rows = rowsAtOrigins(p, [origin]);
  const before = groupTrendColumns(p, rows, LAT);
  const safe = groupTrendColumns(scrambleAfter(p, origin - LAT, origin + 400), rows, LAT);
  assert.deepEqual(safe, before);
  // The same scramble from the cutoff day itself changes the 7-day trends: the check bites.
  const early = groupTrendColumns(scrambleAfter(p, origin - LAT - 1, origin + 400), rows, LAT);
  assert.notDeepEqual(early[0], before[0]);
  assert.notDeepEqual(early[GROUP_TREND_WINDOWS.length], before[GROUP_TREND_WINDOWS.length]);
});

test("withGroupTrends appends the named columns after the matrix's own", () => {
  const p = panel();
  const rows = rowsAtOrigins(p, [400]);
  const m = withGroupTrends(
    { names: ["a"], categorical: [], columns: [new Float32Array(rows.series.length)], rows } as never,
    p,
    LAT,
  );
  assert.deepEqual(m.names, ["a", ...GROUP_FEATURE_NAMES]);
  assert.equal(m.columns.length, 1 + GROUP_FEATURE_NAMES.length);
});
