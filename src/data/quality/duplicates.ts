import { TABLES } from "../schema.ts";
import { hasColumns, hasRows, keyText, pickKey, q } from "./context.ts";
import type { CheckResult, QualityCheck } from "./types.ts";

/**
 * Keys repeated in a table: every source and derived table promises one row per natural key (schema.ts), so
 * a repeated key means a row was loaded twice or two sources disagree. Counts the surplus rows.
 */
export const duplicatesCheck: QualityCheck = {
  name: "duplicates",
  description: "natural keys that occur more than once in a source or derived table",
  async run(ctx) {
    const out: CheckResult[] = [];
    for (const spec of TABLES) {
      if (spec.kind === "system" || !hasRows(ctx, spec.name) || !hasColumns(ctx, spec.name, spec.key))
        continue;
      const key = spec.key.map(q).join(", ");
      const dupes = `SELECT ${key}, count(*) AS n FROM ${q(spec.name)} GROUP BY ALL HAVING count(*) > 1`;
      const total = await ctx.wh.one<{ keys: number; surplus: number | null }>(
        `SELECT count(*) AS keys, sum(n - 1) AS surplus FROM (${dupes})`,
      );
      const surplus = total?.surplus ?? 0;
      if (surplus === 0) continue;
      const rows = await ctx.wh.all(`${dupes} ORDER BY n DESC, ${key} LIMIT ${ctx.options.examples}`);
      out.push({
        code: "duplicate-key",
        check: "duplicates",
        severity: "error",
        table: spec.name,
        title: `${spec.name}: ${total?.keys} keys (${spec.key.join(", ")}) occur more than once, ${surplus} surplus rows`,
        count: surplus,
        examples: rows.map((r) => {
          const k = pickKey(r, spec.key);
          return {
            code: "duplicate-key",
            table: spec.name,
            key: k,
            message: `${keyText(k)} occurs ${r.n} times`,
          };
        }),
      });
    }
    return out;
  },
};
