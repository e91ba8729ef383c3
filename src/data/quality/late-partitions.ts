import { hasColumns, hasRows } from "./context.ts";
import type { QualityCheck } from "./types.ts";

/** A partition counts as late when it arrived more than this long after it was due. */
const TOLERANCE_HOURS = 1;

/**
 * Late partitions: daily feed partitions that arrived well after they were due, from the `feed_arrivals`
 * log. Late data is repaired by the ETL's rewrite window (or `--full` when older than it), so a late
 * partition is a warning: forecasts made before it arrived saw an incomplete day.
 */
export const latePartitionsCheck: QualityCheck = {
  name: "late-partitions",
  description: `feed partitions that arrived more than ${TOLERANCE_HOURS} h after they were due (feed_arrivals)`,
  async run(ctx) {
    if (
      !hasRows(ctx, "feed_arrivals") ||
      !hasColumns(ctx, "feed_arrivals", ["table_name", "date", "expected_at", "arrived_at"])
    )
      return [];
    const late = `date_diff('second', expected_at, arrived_at) > ${TOLERANCE_HOURS * 3600}`;
    const total = await ctx.wh.one<{ n: number; worst: number | null }>(
      `SELECT count(*) AS n, max(date_diff('second', expected_at, arrived_at)) / 3600 AS worst
       FROM feed_arrivals WHERE ${late}`,
    );
    const n = total?.n ?? 0;
    if (n === 0) return [];
    const rows = await ctx.wh.all<{ table_name: string; date: string; hours: number }>(
      `SELECT table_name, date::VARCHAR AS date, round(date_diff('second', expected_at, arrived_at) / 3600, 1) AS hours
       FROM feed_arrivals WHERE ${late} ORDER BY date, table_name LIMIT ${ctx.options.examples}`,
    );
    return [
      {
        code: "late-partition",
        check: "late-partitions",
        severity: "warning",
        table: "feed_arrivals",
        title: `feed_arrivals: ${n} partitions arrived late (up to ${Math.round((total?.worst ?? 0) * 10) / 10} h)`,
        count: n,
        figures: { worstHours: total?.worst ?? null },
        examples: rows.map((r) => ({
          code: "late-partition",
          table: r.table_name,
          key: { table_name: r.table_name, date: r.date },
          message: `${r.table_name} ${r.date} arrived ${r.hours} h late`,
        })),
      },
    ];
  },
};
