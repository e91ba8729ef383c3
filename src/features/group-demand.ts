import type { DailyPanel } from "../data/to-panel.ts";
import type { FeatureMatrix, FeatureRows } from "./build.ts";

/** Windows (days) of the store and store-department demand trends. */
export const GROUP_TREND_WINDOWS = [7, 28, 91] as const;

/** Names of the group-level features, in column order. */
export const GROUP_FEATURE_NAMES: readonly string[] = [
  ...GROUP_TREND_WINDOWS.map((w) => `store_rel_w${w}`),
  ...GROUP_TREND_WINDOWS.map((w) => `store_dept_rel_w${w}`),
  "store_dept_share_w28",
  "store_dept_share_rel_w28",
];

/** Smallest 364-day group mean (units per series-day) a trend is divided by. */
const FLOOR = 0.05;

/**
 * Per group, prefix sums over absolute days (from the panel's first day) of known demand and of known
 * series-days; unknown days (stockouts, not in assortment) count in neither.
 */
class GroupSums {
  private readonly base: number;
  private readonly sums: Float64Array[];
  private readonly days: Float64Array[];

  constructor(panel: DailyPanel, groupOf: Int32Array, nGroups: number) {
    let base = 2 ** 30;
    for (let i = 0; i < groupOf.length; i++) base = Math.min(base, panel.start[i]!);
    this.base = base;
    const len = Math.max(0, panel.end - base + 1);
    this.sums = Array.from({ length: nGroups }, () => new Float64Array(len + 1));
    this.days = Array.from({ length: nGroups }, () => new Float64Array(len + 1));
    for (let i = 0; i < groupOf.length; i++) {
      const s = this.sums[groupOf[i]!]!;
      const d = this.days[groupOf[i]!]!;
      const off = panel.start[i]! - base + 1 - panel.indptr[i]!;
      for (let j = panel.indptr[i]!; j < panel.indptr[i + 1]!; j++) {
        const v = panel.demand[j]!;
        if (Number.isNaN(v)) continue;
        s[off + j]! += v;
        d[off + j]! += 1;
      }
    }
    for (let g = 0; g < nGroups; g++) {
      const s = this.sums[g]!;
      const d = this.days[g]!;
      for (let t = 1; t < s.length; t++) {
        s[t]! += s[t - 1]!;
        d[t]! += d[t - 1]!;
      }
    }
  }

  /** Known demand and known series-days of group g over absolute days a..b (inclusive). */
  window(g: number, a: number, b: number): { sum: number; days: number } {
    const s = this.sums[g]!;
    const lo = Math.max(0, a - this.base);
    const hi = Math.min(s.length - 2, b - this.base);
    if (hi < lo) return { sum: 0, days: 0 };
    const d = this.days[g]!;
    return { sum: s[hi + 1]! - s[lo]!, days: d[hi + 1]! - d[lo]! };
  }

  /** Mean demand per known series-day of group g over a..b; NaN without a known day. */
  mean(g: number, a: number, b: number): number {
    const w = this.window(g, a, b);
    return w.days > 0 ? w.sum / w.days : Number.NaN;
  }
}

/**
 * Per series, prefix sums of known demand over its own days (one flat array over the panel, one extra slot per
 * series), so a series' window sum costs O(1) without a day axis per series.
 */
class SeriesSums {
  private readonly prefix: Float64Array;

  constructor(private readonly panel: DailyPanel) {
    const n = panel.storeId.length;
    this.prefix = new Float64Array(panel.demand.length + n);
    for (let i = 0; i < n; i++) {
      let acc = 0;
      const at = panel.indptr[i]! + i;
      for (let j = panel.indptr[i]!; j < panel.indptr[i + 1]!; j++) {
        const v = panel.demand[j]!;
        if (!Number.isNaN(v)) acc += v;
        this.prefix[at + j - panel.indptr[i]! + 1] = acc;
      }
    }
  }

  /** Known demand of series i over absolute days a..b (inclusive). */
  sum(i: number, a: number, b: number): number {
    const len = this.panel.indptr[i + 1]! - this.panel.indptr[i]!;
    const lo = Math.max(0, a - this.panel.start[i]!);
    const hi = Math.min(len - 1, b - this.panel.start[i]!);
    if (hi < lo) return 0;
    const at = this.panel.indptr[i]! + i;
    return this.prefix[at + hi + 1]! - this.prefix[at + lo]!;
  }
}

/** Dense group codes of string keys. */
function codes(keys: string[]): { of: Int32Array; n: number } {
  const ids = new Map<string, number>();
  const of = Int32Array.from(keys, (k) => {
    let c = ids.get(k);
    if (c === undefined) {
      c = ids.size;
      ids.set(k, c);
    }
    return c;
  });
  return { of, n: ids.size };
}

/** The deepest category level the panel has (M5: category_l2 = department), or null. */
function departmentCodes(panel: DailyPanel): Int32Array | null {
  for (const name of ["category_l3", "category_l2", "category_l1"]) {
    const c = panel.categoricals.find((x) => x.name === name);
    if (c) return c.codes;
  }
  return null;
}

/**
 * Store and store-department demand as of each row's cutoff (origin − latency): the store's (all its series')
 * and the store-department's mean demand per known series-day over the last 7/28/91 days divided by the same
 * over 364 days (`store_rel_w*`, `store_dept_rel_w*`), and the series' share of its store-department's known
 * demand over 28 days (`store_dept_share_w28`) and that share divided by its 364-day share
 * (`store_dept_share_rel_w28`). They show the shocks a store or a department shares (traffic, a remodel, a
 * competitor) that one series' own windows see only through noise, and whether the item is gaining or losing
 * ground in its aisle. Only observed demand up to the cutoff is read (no leakage); NaN where a window has no
 * known day. Without a category level the department is the store.
 */
export function groupTrendColumns(panel: DailyPanel, rows: FeatureRows, latencyDays: number): Float32Array[] {
  const store = codes(panel.storeId);
  const dept = departmentCodes(panel);
  const storeDept = codes(panel.storeId.map((s, i) => `${s}\u0000${dept ? dept[i] : ""}`));
  const series = new SeriesSums(panel);
  const stores = new GroupSums(panel, store.of, store.n);
  const depts = new GroupSums(panel, storeDept.of, storeDept.n);
  const n = rows.series.length;
  const columns = GROUP_FEATURE_NAMES.map(() => new Float32Array(n));
  const W = GROUP_TREND_WINDOWS.length;
  for (let r = 0; r < n; r++) {
    const i = rows.series[r]!;
    const c = rows.origin[r]! - latencyDays;
    const s = store.of[i]!;
    const g = storeDept.of[i]!;
    const storeLevel = Math.max(FLOOR, stores.mean(s, c - 363, c));
    const deptLevel = Math.max(FLOOR, depts.mean(g, c - 363, c));
    for (const [w, window] of GROUP_TREND_WINDOWS.entries()) {
      columns[w]![r] = stores.mean(s, c - window + 1, c) / storeLevel;
      columns[W + w]![r] = depts.mean(g, c - window + 1, c) / deptLevel;
    }
    const own28 = series.sum(i, c - 27, c);
    const all28 = depts.window(g, c - 27, c).sum;
    const own364 = series.sum(i, c - 363, c);
    const all364 = depts.window(g, c - 363, c).sum;
    const share28 = all28 > 0 ? own28 / all28 : Number.NaN;
    const share364 = all364 > 0 ? own364 / all364 : Number.NaN;
    columns[2 * W]![r] = share28;
    columns[2 * W + 1]![r] = share364 > 0 ? share28 / share364 : Number.NaN;
  }
  return columns;
}

/** The matrix with the store and store-department trend columns appended (numeric features). */
export function withGroupTrends(m: FeatureMatrix, panel: DailyPanel, latencyDays: number): FeatureMatrix {
  return {
    ...m,
    names: [...m.names, ...GROUP_FEATURE_NAMES],
    columns: [...m.columns, ...groupTrendColumns(panel, m.rows, latencyDays)],
  };
}
