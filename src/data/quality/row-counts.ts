import { TABLES } from "../schema.ts";
import { hasColumns, hasRows, q } from "./context.ts";
import type { CheckResult, QualityCheck, QualityContext } from "./types.ts";

/**
 * Tables that should receive a partition every day, with the expression giving a row's day. A thin or
 * empty day among them is how a missing or late partition shows. Others (competitor prices, events) are
 * sparse by nature and get figures only.
 */
const DAILY_PARTITIONS: Record<string, { day: string; where?: string; warn: boolean }> = {
  sales: { day: "date", warn: true },
  transactions: { day: "CAST(ts AS DATE)", warn: true },
  stock: { day: "date", warn: true },
  prices: { day: "date", warn: true },
  store_traffic: { day: "date", warn: true },
  daily: { day: "date", warn: true },
  // Forecast rows thin out towards the horizon; history rows (issued on the day) arrive daily.
  weather: { day: "date", where: "issued_date = date", warn: true },
  competitor_prices: { day: "date", warn: false },
};

interface DayStats {
  days: number;
  min: number;
  median: number;
  max: number;
  first: string;
  last: string;
}

/**
 * Row counts: rows per table, and rows per day for the daily sources: min/median/max per day, days with no
 * rows between the first and last day, and thin days whose count is below `lowDayRatio` times the median
 * of the `windowDays` days either side (a local median, so a growing assortment is not a thin day).
 */
export const rowCountsCheck: QualityCheck = {
  name: "row-counts",
  description: "rows per table and per day; empty or unusually thin days",
  async run(ctx) {
    const out: CheckResult[] = [];
    for (const spec of TABLES) {
      if (!(spec.name in ctx.counts)) continue;
      out.push({
        code: "row-count",
        check: "row-counts",
        severity: "info",
        table: spec.name,
        title: `${spec.name}: ${ctx.counts[spec.name]} rows`,
        count: ctx.counts[spec.name] ?? 0,
        examples: [],
      });
    }
    for (const [table, part] of Object.entries(DAILY_PARTITIONS)) {
      if (!hasRows(ctx, table) || !hasColumns(ctx, table, table === "transactions" ? ["ts"] : ["date"]))
        continue;
      out.push(...(await perDay(ctx, table, part)));
    }
    return out;
  },
};

async function perDay(
  ctx: QualityContext,
  table: string,
  part: { day: string; where?: string; warn: boolean },
): Promise<CheckResult[]> {
  const { lowDayRatio, windowDays, examples } = ctx.options;
  await ctx.wh.run(
    `CREATE OR REPLACE TEMP TABLE _quality_days AS
     WITH counts AS (
       SELECT ${part.day} AS day, count(*) AS n FROM ${q(table)} ${part.where ? `WHERE ${part.where}` : ""} GROUP BY ALL),
     span AS (SELECT min(day) AS lo, max(day) AS hi FROM counts),
     days AS (SELECT CAST(unnest(generate_series(lo, hi, INTERVAL 1 DAY)) AS DATE) AS day FROM span)
     SELECT d.day, coalesce(c.n, 0) AS n,
       median(coalesce(c.n, 0)) OVER (ORDER BY d.day ROWS BETWEEN ${windowDays} PRECEDING AND ${windowDays} FOLLOWING) AS local
     FROM days d LEFT JOIN counts c USING (day)`,
  );
  try {
    const s = await ctx.wh.one<DayStats & Record<string, number | string>>(
      `SELECT count(*) AS days, min(n) AS min, median(n) AS median, max(n) AS max,
         min(day)::VARCHAR AS first, max(day)::VARCHAR AS last FROM _quality_days`,
    );
    const out: CheckResult[] = [];
    out.push({
      code: "rows-per-day",
      check: "row-counts",
      severity: "info",
      table,
      title: `${table}: ${s?.days} days ${s?.first}..${s?.last}, rows per day min ${s?.min} / median ${s?.median} / max ${s?.max}`,
      count: s?.days ?? 0,
      figures: {
        days: s?.days ?? 0,
        min: s?.min ?? 0,
        median: s?.median ?? 0,
        max: s?.max ?? 0,
        first: s?.first ?? null,
        last: s?.last ?? null,
      },
      examples: [],
    });
    if (!part.warn) return out;
    for (const [code, where, what] of [
      ["missing-day", "n = 0", "no rows at all"],
      [
        "thin-day",
        `n > 0 AND n < ${lowDayRatio} * local`,
        `fewer than ${lowDayRatio * 100}% of the local median`,
      ],
    ] as const) {
      const n = await ctx.wh.scalar(`SELECT count(*) FROM _quality_days WHERE ${where}`);
      if (n === 0) continue;
      const rows = await ctx.wh.all<{ day: string; n: number; local: number }>(
        `SELECT day::VARCHAR AS day, n, local FROM _quality_days WHERE ${where} ORDER BY day LIMIT ${examples}`,
      );
      out.push({
        code,
        check: "row-counts",
        severity: "warning",
        table,
        title: `${table}: ${n} days with ${what} (a missing or late partition)`,
        count: n,
        examples: rows.map((r) => ({
          code,
          table,
          key: { date: r.day },
          message: `${r.day}: ${r.n} rows, local median ${r.local}`,
        })),
      });
    }
    return out;
  } finally {
    await ctx.wh.run("DROP TABLE IF EXISTS _quality_days");
  }
}
