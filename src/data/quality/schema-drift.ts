import { TABLES } from "../schema.ts";
import { hasRows } from "./context.ts";
import type { CheckResult, QualityCheck, QualityContext, QualityExample } from "./types.ts";

/**
 * Schema drift, from two sides: the warehouse's tables against schema.ts (a missing table or column, an
 * extra column, a changed type), and the drift ingest saw in incoming files (the `schema_drift` table,
 * when ingest records one: files with missing or new columns or wrong types).
 */
export const schemaDriftCheck: QualityCheck = {
  name: "schema-drift",
  description: "warehouse tables vs schema.ts, and column drift recorded by ingest",
  async run(ctx) {
    const out: CheckResult[] = [];
    const found = warehouseDrift(ctx);
    if (found.length > 0) {
      out.push({
        code: "schema-drift",
        check: "schema-drift",
        severity: "error",
        title: `${found.length} differences between the warehouse and src/data/schema.ts (run a newer megaretail, or migrate)`,
        count: found.length,
        examples: found.slice(0, ctx.options.examples),
      });
    }
    if (hasRows(ctx, "schema_drift")) {
      const rows = await ctx.wh.all(`SELECT * FROM schema_drift LIMIT ${ctx.options.examples}`);
      const text = (v: unknown) => (v === null || v === undefined ? undefined : String(v));
      out.push({
        code: "ingest-drift",
        check: "schema-drift",
        severity: "warning",
        title: `${ctx.counts.schema_drift} column differences recorded by ingest in incoming files`,
        count: ctx.counts.schema_drift ?? 0,
        examples: rows.map((r) => ({
          code: text(r.kind) ?? "ingest-drift",
          table: text(r.table_name) ?? "?",
          source: text(r.source_file),
          column: text(r.column_name),
          message:
            text(r.message) ??
            [text(r.kind), text(r.column_name), text(r.detail)].filter((x) => x !== undefined).join(": "),
        })),
      });
    }
    return out;
  },
};

/** Differences between the warehouse's tables and schema.ts. */
function warehouseDrift(ctx: QualityContext): QualityExample[] {
  const found: QualityExample[] = [];
  for (const spec of TABLES) {
    const cols = ctx.columns.get(spec.name);
    if (!cols) {
      found.push({ code: "schema-drift", table: spec.name, message: `table ${spec.name} is missing` });
      continue;
    }
    for (const c of spec.columns) {
      const type = cols.get(c.name);
      if (type === undefined) {
        found.push({ code: "schema-drift", table: spec.name, column: c.name, message: "column missing" });
      } else if (type !== c.type) {
        found.push({
          code: "schema-drift",
          table: spec.name,
          column: c.name,
          message: `type ${type}, schema says ${c.type}`,
        });
      }
    }
    for (const name of cols.keys()) {
      if (!spec.columns.some((c) => c.name === name)) {
        found.push({
          code: "schema-drift",
          table: spec.name,
          column: name,
          message: "column not in the schema",
        });
      }
    }
  }
  return found;
}
