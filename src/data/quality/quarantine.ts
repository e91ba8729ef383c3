import { hasColumns, hasRows } from "./context.ts";
import type { CheckResult, QualityCheck } from "./types.ts";

/**
 * Rows refused at ingest, by table and reason code (duplicated rows, bad values, unknown ids, malformed
 * lines): they are not in the tables, so the data there is incomplete by that much.
 */
export const quarantineCheck: QualityCheck = {
  name: "quarantine",
  description: "rows quarantined at ingest, by table and reason",
  async run(ctx) {
    if (!hasRows(ctx, "quarantine") || !hasColumns(ctx, "quarantine", ["table_name", "reason"])) return [];
    const groups = await ctx.wh.all<{ table_name: string; reason: string; n: number }>(
      "SELECT table_name, reason, count(*) AS n FROM quarantine GROUP BY ALL ORDER BY table_name, reason",
    );
    const out: CheckResult[] = [];
    for (const g of groups) {
      const rows = await ctx.wh.all<{
        source_file: string;
        line: number;
        column_name: string | null;
        message: string;
      }>(
        `SELECT source_file, line, column_name, message FROM quarantine WHERE table_name = $1 AND reason = $2
         ORDER BY source_file, line LIMIT ${ctx.options.examples}`,
        [g.table_name, g.reason],
      );
      out.push({
        code: "quarantined",
        check: "quarantine",
        severity: "warning",
        table: g.table_name,
        title: `${g.table_name}: ${g.n} rows quarantined at ingest with reason ${g.reason}`,
        count: g.n,
        figures: { reason: g.reason },
        examples: rows.map((r) => ({
          code: g.reason,
          table: g.table_name,
          source: r.source_file,
          row: r.line,
          column: r.column_name ?? undefined,
          message: r.message,
        })),
      });
    }
    return out;
  },
};
