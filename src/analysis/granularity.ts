/**
 * Daily vs weekly granularity on the last fold. Compared: (a) a median model trained on weekly sums (rows at
 * horizons 1, 8, 15, 22: one per week ahead, features as of the origin and of the week's first day, target the
 * week's total demand) against (b) the daily median model's forecasts of the seven days summed. Both are scored
 * on the weekly actual sums of the fold's test window, on weeks whose seven days are all known demand. The sum of
 * daily medians is not the median of the weekly sum (for skewed demand it is lower), which is part of what the
 * comparison shows.
 */
import type { DailyPanel } from "../data/to-panel.ts";
import { buildFeatures } from "../features/build.ts";
import { trainingRows } from "../features/rows.ts";
import type { Booster } from "../gbdt/booster.ts";
import { type FitOptions, fitLevels } from "./fit-levels.ts";
import { type LastFoldData, rowShare, sampleKnown } from "./last-fold-data.ts";
import type { AnalysisInput, GranularityComparison } from "./types.ts";

/** Total demand of series i over days [from, from + 6]; NaN when any day is unknown or outside [.., last]. */
export function weekSum(daily: DailyPanel, i: number, from: number, last: number): number {
  if (from + 6 > last) return Number.NaN;
  const base = daily.indptr[i]!;
  const len = daily.indptr[i + 1]! - base;
  let s = 0;
  for (let d = from; d <= from + 6; d++) {
    const t = d - daily.start[i]!;
    if (t < 0 || t >= len) return Number.NaN;
    const v = daily.demand[base + t]!;
    if (Number.isNaN(v)) return Number.NaN;
    s += v;
  }
  return s;
}

/** Fits the weekly median model and compares it with the daily one summed to weeks. */
export async function granularity(
  input: AnalysisInput,
  data: LastFoldData,
  dailyMedian: Booster,
  maxRows: number,
  o: FitOptions,
): Promise<GranularityComparison | null> {
  const { daily, calendar, settings, weather } = input;
  const fold = data.fold;
  const all = trainingRows(daily, {
    trainStart: fold.trainStart,
    trainEnd: fold.trainEnd,
    origin: fold.trainEnd + settings.latencyDays,
    step: input.originStep,
    maxHorizon: data.horizon,
    // One row in 7 starts a week: draw 7 times the share the daily rows need.
    sample: Math.min(1, 7 * rowShare(input, fold, data.horizon, maxRows)),
    seed: input.seed + 7,
  });
  const sums = new Float32Array(all.series.length).fill(Number.NaN);
  for (let r = 0; r < sums.length; r++) {
    const h = all.horizon[r]!;
    if (h % 7 !== 1 || h + 6 > data.horizon) continue;
    sums[r] = weekSum(daily, all.series[r]!, all.origin[r]! + h, fold.trainEnd);
  }
  const keep = sampleKnown(sums, maxRows, input.seed + 7);
  if (keep.length < 100) return null;
  const rows = {
    series: Int32Array.from(keep, (r) => all.series[r]!),
    origin: Int32Array.from(keep, (r) => all.origin[r]!),
    horizon: Int32Array.from(keep, (r) => all.horizon[r]!),
  };
  const m = buildFeatures(daily, calendar, settings, rows, { weather });
  const weekly = await fitLevels(
    { columns: m.columns, target: Float32Array.from(keep, (r) => sums[r]!), rows },
    [0.5],
    { ...o, reference: undefined },
  );
  // Test weeks: every (series, week) of the test window whose seven days are known, with both forecasts.
  const test = data.test;
  const dailyPred = dailyMedian.predict(test.columns);
  const weeklyPred = weekly.boosters[0]!.predict(test.columns);
  const byCell = new Map<number, number>();
  for (let r = 0; r < test.target.length; r++)
    byCell.set(test.rows.series[r]! * 1000 + test.rows.horizon[r]!, r);
  const acc = { weekly: [0, 0, 0], daily: [0, 0, 0] };
  let weeks = 0;
  let total = 0;
  for (let r = 0; r < test.target.length; r++) {
    const h = test.rows.horizon[r]!;
    if (h % 7 !== 1 || h + 6 > data.horizon) continue;
    const i = test.rows.series[r]!;
    const y = weekSum(daily, i, fold.origin + h, fold.testEnd);
    if (Number.isNaN(y)) continue;
    let summed = 0;
    for (let d = 0; d < 7; d++) summed += dailyPred[byCell.get(i * 1000 + h + d)!]!;
    weeks++;
    total += y;
    for (const [key, f] of [
      ["weekly", weeklyPred[r]!],
      ["daily", summed],
    ] as const) {
      acc[key][0]! += Math.abs(f - y);
      acc[key][1]! += f - y;
    }
  }
  if (weeks === 0) return null;
  const row = (model: string, a: number[]) => ({
    model,
    wape: total > 0 ? a[0]! / total : Number.NaN,
    bias: total > 0 ? a[1]! / total : Number.NaN,
    mae: a[0]! / weeks,
  });
  return {
    compared:
      "median model trained on weekly sums vs the daily median model's 7 daily forecasts summed; both scored on weekly actual sums of the last fold's test window (weeks with all 7 days known)",
    weeks,
    rows: [
      row("weekly model (q0.5 of the week's total)", acc.weekly),
      row("daily model summed (sum of 7 daily q0.5)", acc.daily),
    ],
  };
}
