import { hasColumns, hasRows } from "./context.ts";
import type { CheckResult, QualityCheck, QualityContext } from "./types.ts";

function info(table: string, title: string, count: number, figures: CheckResult["figures"]): CheckResult {
  return {
    code: "coverage",
    check: "coverage",
    severity: "info",
    table,
    title,
    count,
    figures,
    examples: [],
  };
}

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

/**
 * Coverage of each source: share of products with competitor prices, share of series-days with a price
 * and with stock data, share of days with weather history per region. Information, not issues: the
 * sources are partial by nature (competitor prices cover about a quarter of products).
 */
export const coverageCheck: QualityCheck = {
  name: "coverage",
  description: "share of products, series-days and regions each source covers",
  async run(ctx) {
    const out: CheckResult[] = [];
    if (hasRows(ctx, "products")) out.push(await competitorCoverage(ctx));
    // Series-days: the daily fact table when the ETL has run, else the sales rows.
    const base = hasRows(ctx, "daily") ? "daily" : hasRows(ctx, "sales") ? "sales" : undefined;
    if (base && hasColumns(ctx, base, ["date", "store_id", "product_id"])) {
      const r = await ctx.wh.one<{ n: number; priced: number; stocked: number }>(
        base === "daily"
          ? `SELECT count(*) AS n, count(regular_price) AS priced, count(opening_stock) AS stocked FROM daily`
          : `SELECT count(*) AS n,
               count(*) FILTER (WHERE EXISTS (SELECT 1 FROM prices p WHERE p.date = s.date
                 AND p.store_id = s.store_id AND p.product_id = s.product_id)) AS priced,
               count(*) FILTER (WHERE EXISTS (SELECT 1 FROM stock k WHERE k.date = s.date
                 AND k.store_id = s.store_id AND k.product_id = s.product_id)) AS stocked
             FROM sales s`,
      );
      const n = r?.n ?? 0;
      const priced = n > 0 ? (r?.priced ?? 0) / n : 0;
      const stocked = n > 0 ? (r?.stocked ?? 0) / n : 0;
      out.push(
        info("prices", `prices: ${pct(priced)} of ${base} series-days have a price`, r?.priced ?? 0, {
          share: priced,
        }),
        info("stock", `stock: ${pct(stocked)} of ${base} series-days have stock data`, r?.stocked ?? 0, {
          share: stocked,
        }),
      );
      out.push(...(await weatherCoverage(ctx, base)));
    }
    return out;
  },
};

async function competitorCoverage(ctx: QualityContext): Promise<CheckResult> {
  const r = await ctx.wh.one<{ products: number; covered: number }>(
    `SELECT count(*) AS products,
       count(*) FILTER (WHERE product_id IN (SELECT product_id FROM competitor_prices)) AS covered
     FROM products`,
  );
  const share = (r?.products ?? 0) > 0 ? (r?.covered ?? 0) / (r?.products ?? 1) : 0;
  return info(
    "competitor_prices",
    `competitor_prices: ${pct(share)} of products have competitor prices (${r?.covered} of ${r?.products})`,
    r?.covered ?? 0,
    { share, products: r?.products ?? 0 },
  );
}

/** Share of the days of the sales span with a weather history row, for each store region. */
async function weatherCoverage(ctx: QualityContext, base: string): Promise<CheckResult[]> {
  if (!hasRows(ctx, "stores")) return [];
  const rows = await ctx.wh.all<{ region: string; days: number; covered: number }>(
    `WITH span AS (SELECT min(date) AS lo, max(date) AS hi, datediff('day', min(date), max(date)) + 1 AS days FROM "${base}"),
     regions AS (SELECT DISTINCT region FROM stores WHERE region IS NOT NULL)
     SELECT r.region, any_value(span.days) AS days,
       count(DISTINCT w.date) AS covered
     FROM regions r CROSS JOIN span
     LEFT JOIN weather w ON w.region = r.region AND w.issued_date = w.date AND w.date BETWEEN span.lo AND span.hi
     GROUP BY r.region ORDER BY r.region`,
  );
  if (rows.length === 0) return [];
  const figures: Record<string, number> = {};
  for (const r of rows) figures[r.region] = r.days > 0 ? r.covered / r.days : 0;
  const text = rows.map((r) => `${r.region} ${pct(figures[r.region] ?? 0)}`).join(", ");
  const covered = rows.reduce((s, r) => s + r.covered, 0);
  return [
    info("weather", `weather: share of days with weather history per region: ${text}`, covered, figures),
  ];
}
