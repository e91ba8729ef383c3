import type { DailyPanel } from "../data/to-panel.ts";

/**
 * Demand summed over the 28 (store) and 91 (category level 1-3 in store) days before each distinct cutoff, for the
 * store-volume and penetration features, as plain typed arrays so a feature worker can receive them. They
 * aggregate over series, so they are computed once (on the calling thread, in series order: the float sums must
 * not depend on how the rows are later split between threads).
 */
export interface GroupVolumes {
  /** First origin of `originIndex`. */
  originBase: number;
  /** Origin - originBase -> its index k among the distinct origins (-1 when absent). */
  originIndex: Int32Array;
  /** Distinct origins. */
  nOrigins: number;
  /** Per series, its 4 group ids: store, then category levels 1-3 within the store. */
  groups: Int32Array;
  /** store[g * nOrigins + k]: summed 28-day mean demand of store group g at origin k. */
  store: Float64Array;
  /** cat91[g * nOrigins + k]: summed 91-day demand of category group g at origin k. */
  cat91: Float64Array;
}

/** Computes the group volumes of every distinct origin in `origins` (rows' origins) at latency `lat`. */
export function groupVolumes(panel: DailyPanel, rowOrigins: Int32Array, lat: number): GroupVolumes {
  const origins = [...new Set(rowOrigins)].sort((a, b) => a - b);
  const originBase = origins.length > 0 ? origins[0]! : 0;
  const originIndex = new Int32Array(
    origins.length > 0 ? origins[origins.length - 1]! - originBase + 1 : 0,
  ).fill(-1);
  origins.forEach((o, k) => {
    originIndex[o - originBase] = k;
  });
  const nSeries = panel.storeId.length;
  const keyIds = new Map<string, number>();
  const id = (k: string) => {
    let v = keyIds.get(k);
    if (v === undefined) {
      v = keyIds.size;
      keyIds.set(k, v);
    }
    return v;
  };
  const cat = (name: string) => panel.categoricals.find((c) => c.name === name);
  const levels = [cat("category_l1"), cat("category_l2"), cat("category_l3")];
  const groups = new Int32Array(nSeries * 4);
  for (let i = 0; i < nSeries; i++) {
    groups[4 * i] = id(`s|${panel.storeId[i]}`);
    levels.forEach((l, j) => {
      groups[4 * i + 1 + j] = id(`${j}|${panel.storeId[i]}|${l ? l.codes[i] : "-"}`);
    });
  }
  const nOrigins = origins.length;
  const store = new Float64Array(keyIds.size * nOrigins);
  const cat91 = new Float64Array(keyIds.size * nOrigins);
  // Prefix sums of known demand only (the count, square and zero sums of PrefixScratch are not needed here);
  // the same additions in the same order as PrefixScratch.total, so the same values.
  let sum = new Float64Array(0);
  const total = (len: number, a: number, b: number) => {
    const lo = Math.max(0, a);
    const hi = Math.min(len - 1, b);
    return hi < lo ? 0 : sum[hi + 1]! - sum[lo]!;
  };
  for (let i = 0; i < nSeries; i++) {
    const base = panel.indptr[i]!;
    const len = panel.indptr[i + 1]! - base;
    if (sum.length < len + 1) sum = new Float64Array(Math.max(len + 1, 2 * sum.length));
    sum[0] = 0;
    for (let t = 0; t < len; t++) {
      const v = panel.demand[base + t]!;
      sum[t + 1] = sum[t]! + (Number.isNaN(v) ? 0 : v);
    }
    const s = groups[4 * i]!;
    const s0 = panel.start[i]!;
    for (let k = 0; k < nOrigins; k++) {
      const c = origins[k]! - lat - s0;
      store[s * nOrigins + k] += total(len, c - 27, c) / 28;
      const t91 = total(len, c - 90, c);
      for (let j = 1; j <= 3; j++) cat91[groups[4 * i + j]! * nOrigins + k] += t91;
    }
  }
  return { originBase, originIndex, nOrigins, groups, store, cat91 };
}
