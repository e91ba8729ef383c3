import type { DailyPanel } from "../data/to-panel.ts";

/** A series' price band: the tercile of its mean price among all series with prices. */
export type PriceBand = "low" | "mid" | "high";

/** Price band of each series (null when the series has no price), shared by breakdowns and error analysis. */
export function priceBands(daily: DailyPanel): (PriceBand | null)[] {
  const mean = daily.storeId.map((_, i) => {
    let s = 0;
    let k = 0;
    for (let j = daily.indptr[i]!; j < daily.indptr[i + 1]!; j++) {
      if (!Number.isNaN(daily.price[j]!)) {
        s += daily.price[j]!;
        k++;
      }
    }
    return k > 0 ? s / k : Number.NaN;
  });
  const sorted = mean.filter((v) => !Number.isNaN(v)).sort((a, b) => a - b);
  const t1 = sorted[Math.floor(sorted.length / 3)] ?? 0;
  const t2 = sorted[Math.floor((2 * sorted.length) / 3)] ?? 0;
  return mean.map((p) => (Number.isNaN(p) ? null : p < t1 ? "low" : p < t2 ? "mid" : "high"));
}
