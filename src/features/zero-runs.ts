import type { Day } from "../core/days.ts";
import type { DailyPanel } from "../data/to-panel.ts";
import type { FeatureRows } from "./build.ts";

/** Settings of the likely-stockout rule (see likelyStockoutDays). */
export interface ZeroRunRule {
  /** Shortest run of zero days considered (shorter runs are ordinary intermittency). */
  minRun: number;
  /** A run is flagged when the expected number of runs this long, by chance, in the window is below this. */
  maxExpected: number;
}

/** The rule used by the opt-in model: 7+ zero days that chance would give fewer than 0.05 times in the window. */
export const DEFAULT_ZERO_RUN_RULE: ZeroRunRule = { minRun: 7, maxExpected: 0.05 };

/**
 * Days of likely (unrecorded) stockouts on data without a stock column (M5): runs of known zero demand in
 * [from, to] that the series' own zero share makes very unlikely: with z the share of zero days among its n
 * known days there (runs included, which only makes the rule more careful), chance gives about n (1 − z) z^L
 * zero runs of length L or more (a run starts after a sale); a run is flagged when that is below maxExpected.
 * A series that sells every day has z = 0, so any minRun-day run of zeros is flagged; one selling on half its
 * days needs ~13 zero days in two years, a nearly dead one (z = 0.95) ~130. Only days in [from, to] are read: a
 * fit passes its training window, so the decision uses nothing after its cutoff. Returns a mask over the
 * panel's positions (1 = likely stockout).
 */
export function likelyStockoutDays(
  panel: DailyPanel,
  from: Day,
  to: Day,
  rule: ZeroRunRule = DEFAULT_ZERO_RUN_RULE,
): Uint8Array {
  const mask = new Uint8Array(panel.demand.length);
  const runs: number[] = [];
  for (let i = 0; i < panel.storeId.length; i++) {
    const base = panel.indptr[i]!;
    const len = panel.indptr[i + 1]! - base;
    const lo = Math.max(0, from - panel.start[i]!);
    const hi = Math.min(len - 1, to - panel.start[i]!);
    if (hi < lo) continue;
    // Zero runs (start, length) over known days; unknown days neither extend nor break a run.
    runs.length = 0;
    let known = 0;
    let zeros = 0;
    let runStart = -1;
    let runLen = 0;
    const close = () => {
      if (runLen >= rule.minRun) runs.push(runStart, runLen);
      zeros += runLen;
      known += runLen;
      runLen = 0;
      runStart = -1;
    };
    for (let t = lo; t <= hi; t++) {
      const v = panel.demand[base + t]!;
      if (Number.isNaN(v)) continue;
      if (v === 0) {
        if (runStart < 0) runStart = t;
        runLen++;
      } else {
        close();
        known++;
      }
    }
    close();
    if (runs.length === 0) continue;
    const z = zeros / known;
    for (let k = 0; k < runs.length; k += 2) {
      const start = runs[k]!;
      const length = runs[k + 1]!;
      if (known * (1 - z) * z ** length >= rule.maxExpected) continue;
      // Mark the run's known zero days (unknown days inside it stay what they are).
      let left = length;
      for (let t = start; left > 0; t++) {
        if (Number.isNaN(panel.demand[base + t]!)) continue;
        mask[base + t] = 1;
        left--;
      }
    }
  }
  return mask;
}

/** Indices of the rows whose target day (origin + horizon) is not flagged in `mask`, in order. */
export function rowsOutsideMask(panel: DailyPanel, rows: FeatureRows, mask: Uint8Array): Int32Array {
  const keep = new Int32Array(rows.series.length);
  let n = 0;
  for (let r = 0; r < rows.series.length; r++) {
    const i = rows.series[r]!;
    const t = rows.origin[r]! + rows.horizon[r]! - panel.start[i]!;
    if (t >= 0 && t < panel.indptr[i + 1]! - panel.indptr[i]! && mask[panel.indptr[i]! + t] === 1) continue;
    keep[n++] = r;
  }
  return keep.slice(0, n);
}
