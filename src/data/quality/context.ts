import { tableSpec } from "../schema.ts";
import type { Cell, Warehouse } from "../warehouse.ts";
import type { QualityContext, QualityOptions } from "./types.ts";

/** Builds the context of a quality run: options with defaults, table row counts and column types. */
export async function qualityContext(wh: Warehouse, options: QualityOptions = {}): Promise<QualityContext> {
  const counts = await wh.tableCounts();
  const cols = await wh.all<{ table_name: string; column_name: string; data_type: string }>(
    `SELECT table_name, column_name, data_type FROM information_schema.columns
     WHERE table_schema = 'main' ORDER BY table_name, ordinal_position`,
  );
  const columns = new Map<string, Map<string, string>>();
  for (const c of cols) {
    if (!columns.has(c.table_name)) columns.set(c.table_name, new Map());
    columns.get(c.table_name)!.set(c.column_name, c.data_type);
  }
  return {
    wh,
    counts,
    columns,
    options: { examples: 5, lowDayRatio: 0.5, windowDays: 14, ...options },
  };
}

/** True when the table exists and has rows. */
export function hasRows(ctx: QualityContext, table: string): boolean {
  return (ctx.counts[table] ?? 0) > 0;
}

/** True when the table exists with every named column (so a check can run on a drifted warehouse). */
export function hasColumns(ctx: QualityContext, table: string, names: readonly string[]): boolean {
  const cols = ctx.columns.get(table);
  return cols !== undefined && names.every((n) => cols.has(n));
}

/** The key columns of a schema table (empty when unknown). */
export function keyOf(table: string): string[] {
  return tableSpec(table)?.key ?? [];
}

/** Quotes an identifier for SQL. */
export function q(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** `k1=v1, k2=v2` for messages. */
export function keyText(key: Record<string, Cell>): string {
  return Object.entries(key)
    .map(([k, v]) => `${k}=${v}`)
    .join(", ");
}

/** Splits a row into its key columns and the rest. */
export function pickKey(row: Record<string, Cell>, key: readonly string[]): Record<string, Cell> {
  const out: Record<string, Cell> = {};
  for (const k of key) out[k] = row[k] ?? null;
  return out;
}
