import type { Day } from "../core/days.ts";
import type { DailyPanel } from "../data/to-panel.ts";

/**
 * The series a forecast is made for: those in the assortment on the cutoff day (the last day of known data,
 * origin - latencyDays): the daily row of that day exists and has in_assortment. A delisted product, a closed
 * store or a series whose last row is older has no row (or a false flag) there and gets no forecast; a series
 * starting after the cutoff has no history and none either.
 */
export function activeSeries(daily: DailyPanel, cutoff: Day): Int32Array {
  const out: number[] = [];
  for (let i = 0; i < daily.storeId.length; i++) {
    const t = cutoff - daily.start[i]!;
    const len = daily.indptr[i + 1]! - daily.indptr[i]!;
    if (t >= 0 && t < len && daily.inAssortment[daily.indptr[i]! + t] === 1) out.push(i);
  }
  return Int32Array.from(out);
}
