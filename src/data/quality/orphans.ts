import { TABLES } from "../schema.ts";
import { hasColumns, hasRows, q } from "./context.ts";
import type { CheckResult, QualityCheck } from "./types.ts";

/**
 * Unknown ids: rows whose store, product or DC id (every column with a `ref` in schema.ts) is not in the
 * referenced table, e.g. sales of a product that `products` does not know. Such rows join to nothing.
 */
export const orphansCheck: QualityCheck = {
  name: "orphans",
  description: "ids (store, product, DC) that the referenced table does not hold",
  async run(ctx) {
    const out: CheckResult[] = [];
    for (const spec of TABLES) {
      if (spec.kind === "system" || !hasRows(ctx, spec.name)) continue;
      for (const col of spec.columns) {
        const ref = col.ref;
        if (!ref || !hasColumns(ctx, spec.name, [col.name]) || !hasColumns(ctx, ref.table, [ref.column]))
          continue;
        const orphans = `SELECT t.${q(col.name)} AS id, count(*) AS n FROM ${q(spec.name)} t
          ANTI JOIN ${q(ref.table)} r ON t.${q(col.name)} = r.${q(ref.column)}
          WHERE t.${q(col.name)} IS NOT NULL GROUP BY ALL`;
        const total = await ctx.wh.one<{ ids: number; rows: number | null }>(
          `SELECT count(*) AS ids, sum(n) AS rows FROM (${orphans})`,
        );
        const rows = total?.rows ?? 0;
        if (rows === 0) continue;
        const examples = await ctx.wh.all<{ id: string; n: number }>(
          `${orphans} ORDER BY n DESC, id LIMIT ${ctx.options.examples}`,
        );
        out.push({
          code: "unknown-id",
          check: "orphans",
          severity: "error",
          table: spec.name,
          title: `${spec.name}: ${rows} rows with a ${col.name} unknown to ${ref.table} (${total?.ids} distinct ids)`,
          count: rows,
          examples: examples.map((e) => ({
            code: "unknown-id",
            table: spec.name,
            column: col.name,
            key: { [col.name]: e.id },
            message: `${col.name} ${e.id} is not in ${ref.table} (${e.n} rows)`,
          })),
        });
      }
    }
    return out;
  },
};
