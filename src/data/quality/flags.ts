import { hasColumns, hasRows } from "./context.ts";
import type { CheckResult, QualityCheck } from "./types.ts";

/**
 * Shares of censored days in the daily fact table: stockout days (sales are a lower bound of demand) and
 * not-in-assortment days (no demand to learn from). Information for modelling, not issues.
 */
export const flagsCheck: QualityCheck = {
  name: "flags",
  description: "share of stockout and not-in-assortment days in `daily`",
  async run(ctx): Promise<CheckResult[]> {
    if (!hasRows(ctx, "daily") || !hasColumns(ctx, "daily", ["stockout", "in_assortment"])) return [];
    const r = await ctx.wh.one<{ rows: number; stockout: number; out: number; series_out: number }>(
      `SELECT count(*) AS rows, count(*) FILTER (WHERE stockout) AS stockout,
         count(*) FILTER (WHERE NOT in_assortment) AS out,
         count(DISTINCT (store_id, product_id)) FILTER (WHERE stockout) AS series_out
       FROM daily`,
    );
    const rows = r?.rows ?? 0;
    const share = (n: number) => (rows > 0 ? n / rows : 0);
    const pct = (n: number) => `${(100 * share(n)).toFixed(1)}%`;
    return [
      {
        code: "stockout-share",
        check: "flags",
        severity: "info",
        table: "daily",
        title: `daily: ${pct(r?.stockout ?? 0)} of rows are stockout days (${r?.stockout} rows in ${r?.series_out} series)`,
        count: r?.stockout ?? 0,
        figures: { share: share(r?.stockout ?? 0), series: r?.series_out ?? 0 },
        examples: [],
      },
      {
        code: "not-in-assortment-share",
        check: "flags",
        severity: "info",
        table: "daily",
        title: `daily: ${pct(r?.out ?? 0)} of rows are not-in-assortment days (${r?.out} rows)`,
        count: r?.out ?? 0,
        figures: { share: share(r?.out ?? 0) },
        examples: [],
      },
    ];
  },
};
