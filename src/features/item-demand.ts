import type { DailyPanel } from "../data/to-panel.ts";
import type { FeatureMatrix, FeatureRows } from "./build.ts";

/** Windows (days) of the item-level demand trends. */
export const ITEM_TREND_WINDOWS = [7, 28, 91] as const;

/** Names of the item-level features, in column order. */
export const ITEM_FEATURE_NAMES: readonly string[] = ITEM_TREND_WINDOWS.map((w) => `item_rel_w${w}`);

/** Smallest 364-day item mean (units per store-day) a trend is divided by: new or near-dead items. */
const FLOOR = 0.05;

/**
 * Item-level demand trends as of each row's cutoff (origin − latency): the product's mean demand per known
 * store-day over all stores in the last 7/28/91 days, divided by its 364-day mean. A product's stores share
 * its shocks (a price change, a trend, a delisting), and their sum is far less noisy than one store's series,
 * so this is what one series' own rolling means cannot show (M5: one item in seven stores is a third of the
 * demand). Unknown days (stockouts, not in assortment) count in neither the sum nor the days; NaN where the
 * product has no known day in a window. Only observed demand up to the cutoff is read (no leakage).
 */
export function itemTrendColumns(panel: DailyPanel, rows: FeatureRows, latencyDays: number): Float32Array[] {
  // Per product: prefix sums, over absolute days from its first series' start, of known demand and known days.
  const products = new Map<string, number>();
  const productOf = Int32Array.from(panel.productId, (id) => {
    let k = products.get(id);
    if (k === undefined) {
      k = products.size;
      products.set(id, k);
    }
    return k;
  });
  const nProducts = products.size;
  const base = new Int32Array(nProducts).fill(2 ** 30);
  for (let i = 0; i < productOf.length; i++)
    base[productOf[i]!] = Math.min(base[productOf[i]!]!, panel.start[i]!);
  const sums: Float64Array[] = [];
  const days: Float64Array[] = [];
  for (let k = 0; k < nProducts; k++) {
    const len = Math.max(0, panel.end - base[k]! + 1);
    sums.push(new Float64Array(len + 1));
    days.push(new Float64Array(len + 1));
  }
  for (let i = 0; i < productOf.length; i++) {
    const k = productOf[i]!;
    const s = sums[k]!;
    const d = days[k]!;
    const off = panel.start[i]! - base[k]! + 1;
    for (let j = panel.indptr[i]!; j < panel.indptr[i + 1]!; j++) {
      const v = panel.demand[j]!;
      if (Number.isNaN(v)) continue;
      const t = off + j - panel.indptr[i]!;
      s[t]! += v;
      d[t]! += 1;
    }
  }
  for (let k = 0; k < nProducts; k++) {
    const s = sums[k]!;
    const d = days[k]!;
    for (let t = 1; t < s.length; t++) {
      s[t]! += s[t - 1]!;
      d[t]! += d[t - 1]!;
    }
  }
  // Mean per known store-day over absolute days a..b (inclusive) of product k.
  const mean = (k: number, a: number, b: number) => {
    const s = sums[k]!;
    const lo = Math.max(0, a - base[k]!);
    const hi = Math.min(s.length - 2, b - base[k]!);
    if (hi < lo) return Number.NaN;
    const n = days[k]![hi + 1]! - days[k]![lo]!;
    return n > 0 ? (s[hi + 1]! - s[lo]!) / n : Number.NaN;
  };
  const n = rows.series.length;
  const columns = ITEM_TREND_WINDOWS.map(() => new Float32Array(n));
  for (let r = 0; r < n; r++) {
    const k = productOf[rows.series[r]!]!;
    const c = rows.origin[r]! - latencyDays;
    const level = Math.max(FLOOR, mean(k, c - 363, c));
    for (const [w, window] of ITEM_TREND_WINDOWS.entries()) {
      columns[w]![r] = mean(k, c - window + 1, c) / level;
    }
  }
  return columns;
}

/** The matrix with the item-level trend columns appended (numeric features). */
export function withItemTrends(m: FeatureMatrix, panel: DailyPanel, latencyDays: number): FeatureMatrix {
  return {
    ...m,
    names: [...m.names, ...ITEM_FEATURE_NAMES],
    columns: [...m.columns, ...itemTrendColumns(panel, m.rows, latencyDays)],
  };
}
