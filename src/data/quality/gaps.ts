import { hasColumns, hasRows, q } from "./context.ts";
import type { CheckResult, QualityCheck } from "./types.ts";

/** Tables with one row per series and day inside the series' active window. */
const SERIES_TABLES = ["sales", "daily"] as const;
const SERIES = ["store_id", "product_id"];

/**
 * Gaps: days missing inside a series' active window (its first to last day) in `sales` and `daily`. A day
 * missing from every series shows in the row counts; a day missing from some series only shows here.
 * A `sales` table without a single zero-unit row leaves out no-sale days by design, so its gaps are
 * reported as information there, not as issues.
 */
export const gapsCheck: QualityCheck = {
  name: "gaps",
  description: "missing days per (store, product) series inside its first..last day",
  async run(ctx) {
    const out: CheckResult[] = [];
    for (const table of SERIES_TABLES) {
      if (!hasRows(ctx, table) || !hasColumns(ctx, table, ["date", ...SERIES, "units"])) continue;
      const t = q(table);
      const perSeries = `SELECT store_id, product_id, min(date) AS first, max(date) AS last,
          datediff('day', min(date), max(date)) + 1 - count(DISTINCT date) AS missing
        FROM ${t} GROUP BY ALL HAVING missing > 0`;
      const total = await ctx.wh.one<{ series: number; missing: number | null }>(
        `SELECT count(*) AS series, sum(missing) AS missing FROM (${perSeries})`,
      );
      const missing = total?.missing ?? 0;
      if (missing === 0) continue;
      const sparse =
        table === "sales" &&
        (await ctx.wh.scalar(`SELECT count(*) FROM (SELECT 1 FROM ${t} WHERE units = 0 LIMIT 1)`)) === 0;
      // The first missing day of each example series: the day after a row whose next row is > 1 day later.
      const rows = await ctx.wh.all<{
        store_id: string;
        product_id: string;
        first: string;
        last: string;
        missing: number;
        first_missing: string;
      }>(
        `WITH worst AS (${perSeries} ORDER BY missing DESC, store_id, product_id LIMIT ${ctx.options.examples}),
         steps AS (
           SELECT s.store_id, s.product_id, s.date,
             lead(s.date) OVER (PARTITION BY s.store_id, s.product_id ORDER BY s.date) AS next
           FROM (SELECT DISTINCT store_id, product_id, date FROM ${t}) s SEMI JOIN worst USING (store_id, product_id))
         SELECT w.*, (min(s.date) + 1)::VARCHAR AS first_missing
         FROM worst w JOIN steps s USING (store_id, product_id)
         WHERE datediff('day', s.date, s.next) > 1 GROUP BY ALL ORDER BY w.missing DESC, w.store_id, w.product_id`,
      );
      out.push({
        code: "gap",
        check: "gaps",
        severity: sparse ? "info" : "warning",
        table,
        title: `${table}: ${missing} missing series-days in ${total?.series} series${sparse ? " (no zero-unit rows: probably days without sales, left out by design)" : ""}`,
        count: missing,
        figures: { series: total?.series ?? 0 },
        examples: rows.map((r) => ({
          code: "gap",
          table,
          key: { store_id: r.store_id, product_id: r.product_id },
          message: `store ${r.store_id}, product ${r.product_id}: ${r.missing} days missing between ${r.first} and ${r.last}, first ${r.first_missing}`,
        })),
      });
    }
    return out;
  },
};
