/**
 * Elasticity curves: the fitted median model's mean predicted demand when the target day's price is set to r
 * times the usual price (r = 0.6 .. 1.4), per category, on sampled test rows. "Usual" is the 28-day mean price the
 * feature builder divides by; every price feature is recomputed from the new price exactly as the builder
 * defines it (price, discount depth against the regular price, price relative to the 28- and 91-day means, and
 * to the last price), so the model sees a consistent row.
 */
import type { Categorical } from "../data/to-panel.ts";
import type { Booster } from "../gbdt/booster.ts";
import { type RowSet, sampleKnown, selectRows } from "./last-fold-data.ts";
import type { ElasticityCurve } from "./types.ts";

/** Relative prices the curves are read at. */
export const REL_PRICES = [0.6, 0.7, 0.8, 0.9, 1, 1.1, 1.2, 1.3, 1.4];

/** The price columns of a row set set to `rel` times each row's 28-day mean price (a copy; NaN rows kept NaN). */
export function repriceColumns(names: string[], columns: Float32Array[], rel: number): Float32Array[] {
  const col = (n: string) => names.indexOf(n);
  const [p, reg, depth, r28, r91, change] = [
    "price",
    "regular_price",
    "discount_depth",
    "price_rel_mean_w28",
    "price_rel_mean_w91",
    "price_change",
  ].map(col) as [number, number, number, number, number, number];
  if (p < 0 || r28 < 0) throw new Error("repriceColumns: the features have no price / price_rel_mean_w28");
  const out = columns.slice();
  const n = columns[p]!.length;
  const next = {
    p: new Float32Array(n),
    depth: new Float32Array(n),
    r28: new Float32Array(n),
    r91: new Float32Array(n),
    change: new Float32Array(n),
  };
  for (let i = 0; i < n; i++) {
    const old = columns[p]![i]!;
    const usual = old / columns[r28]![i]!; // the 28-day mean price
    const np = rel * usual;
    next.p[i] = np;
    next.r28[i] = np / usual;
    next.r91[i] = r91 >= 0 ? (np * columns[r91]![i]!) / old : Number.NaN;
    next.change[i] = change >= 0 ? (np * columns[change]![i]!) / old : Number.NaN;
    const regular = reg >= 0 ? columns[reg]![i]! : Number.NaN;
    next.depth[i] = regular > 0 && np >= 0 ? 1 - np / regular : Number.NaN;
  }
  out[p] = next.p;
  out[r28] = next.r28;
  if (r91 >= 0) out[r91] = next.r91;
  if (change >= 0) out[change] = next.change;
  if (depth >= 0) out[depth] = next.depth;
  return out;
}

/** Curves per category of `category` (one "all" curve without it), on at most `maxRows` priced test rows. */
export function elasticityCurves(
  model: Booster,
  names: string[],
  test: RowSet,
  category: Categorical | undefined,
  maxRows: number,
  seed: number,
): ElasticityCurve[] {
  const p = names.indexOf("price");
  const r28 = names.indexOf("price_rel_mean_w28");
  if (p < 0 || r28 < 0) return [];
  // Rows with a usable price and usual price (both known and positive).
  const priced = Float32Array.from(test.target, (_, r) =>
    test.columns[p]![r]! > 0 && test.columns[r28]![r]! > 0 ? 1 : Number.NaN,
  );
  const rows = selectRows(test, sampleKnown(priced, maxRows, seed));
  const n = rows.target.length;
  if (n === 0) return [];
  const groupOf = (r: number) =>
    category ? (category.labels[category.codes[rows.rows.series[r]!]!] ?? "unknown") : "all";
  const groups = [...new Set(Array.from({ length: n }, (_, r) => groupOf(r)))].sort();
  // Raw (unfloored) quantiles: with count jitter the floored median moves in whole units and hides the slope.
  const preds = REL_PRICES.map((rel) =>
    model.predict(repriceColumns(names, rows.columns, rel), { raw: true }),
  );
  return groups.map((g) => {
    const members = Array.from({ length: n }, (_, r) => r).filter((r) => groupOf(r) === g);
    const points = REL_PRICES.map((relPrice, k) => ({
      relPrice,
      demand: members.reduce((s, r) => s + preds[k]![r]!, 0) / members.length,
    }));
    const at = (rel: number) => points.find((x) => Math.abs(x.relPrice - rel) < 1e-9)!.demand;
    const lo = at(0.8);
    const hi = at(1.2);
    const elasticity = lo > 0 && hi > 0 ? Math.log(hi / lo) / Math.log(1.2 / 0.8) : null;
    return { category: g, rows: members.length, points, elasticity };
  });
}
