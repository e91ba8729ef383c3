import { tableSpec } from "../schema.ts";
import type { Warehouse } from "../warehouse.ts";

/**
 * Writes every row of `staging` (same column names as `table`) into `table`, first deleting the rows whose
 * natural key (schema.ts) the staging table holds, so loading the same rows twice leaves the table as after
 * the first load. Returns the number of rows written. Call it inside a transaction.
 */
export async function replaceByKey(wh: Warehouse, table: string, staging: string): Promise<number> {
  const spec = tableSpec(table);
  if (!spec) throw new Error(`replaceByKey: unknown table ${table}`);
  // An empty target (a first import) needs no delete; skipping it saves a join over every staged row.
  const existing = await wh.scalar(`SELECT count(*) FROM (SELECT 1 FROM "${table}" LIMIT 1)`);
  if (existing > 0) {
    const on = spec.key.map((k) => `"${table}"."${k}" = s."${k}"`).join(" AND ");
    await wh.run(`DELETE FROM "${table}" USING "${staging}" s WHERE ${on}`);
  }
  const cols = spec.columns.map((c) => `"${c.name}"`).join(", ");
  await wh.run(`INSERT INTO "${table}" (${cols}) SELECT ${cols} FROM "${staging}"`);
  return wh.scalar(`SELECT count(*) FROM "${staging}"`);
}
