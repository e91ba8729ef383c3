import type { TableSpec } from "../schema.ts";
import type { Warehouse } from "../warehouse.ts";
import { ident } from "./columns.ts";
import { T } from "./staging.ts";

/**
 * Adds to `bad` every staged row (not already in `bad`) whose key repeats an earlier row of the file, as
 * `duplicate_key`; the first row of each key (lowest line) stays.
 */
export async function markDuplicates(wh: Warehouse, spec: TableSpec): Promise<void> {
  const key = spec.key.map(ident).join(", ");
  const hasBad = (await wh.scalar(`SELECT count(*) FROM ${T.bad}`)) > 0;
  const valid = hasBad ? `WHERE rowid NOT IN (SELECT rid FROM ${T.bad})` : "WHERE true";
  if (await keysIncrease(wh, spec, valid)) return;
  const keyText = spec.key.map((k) => `coalesce(${ident(k)}::VARCHAR, 'NULL')`).join(" || ', ' || ");
  // First pass on one 64-bit hash per row: sorting hashes and comparing neighbours costs about half of
  // partitioning by the (string) key columns. Equal hashes are candidates; the exact key decides.
  await wh.run(`DROP TABLE IF EXISTS _ing_dup_hashes`);
  await wh.run(`CREATE TEMP TABLE _ing_dup_hashes AS
    SELECT DISTINCT h FROM (
      SELECT h, lag(h) OVER (ORDER BY h) AS prev FROM (SELECT hash(${key}) AS h FROM ${T.stg} ${valid})
    ) WHERE h = prev`);
  if ((await wh.scalar("SELECT count(*) FROM _ing_dup_hashes")) > 0) {
    await wh.run(`INSERT INTO ${T.bad}
      SELECT rid, 'duplicate_key', NULL,
        'key (${spec.key.join(", ")}) = (' || ${keyText} || ') repeats an earlier row of this file', _row
      FROM (
        SELECT rowid AS rid, ${key}, _stg_row AS _row FROM ${T.stg} _stg_row ${valid}
          AND hash(${key}) IN (SELECT h FROM _ing_dup_hashes)
      )
      QUALIFY row_number() OVER (PARTITION BY ${key} ORDER BY rid) > 1`);
  }
  await wh.run("DROP TABLE _ing_dup_hashes");
}

/**
 * True when the valid rows' keys strictly increase from each row to the next, which proves them all
 * distinct. Exports are often sorted by key (a day's file by store and product), and this streaming check
 * costs about a third of the hash sort. It holds for whatever order DuckDB feeds the rows in, as long as
 * it is one chain: a chain start (no previous row) after the first, a NULL in a key or in the previous
 * key, or a step that does not increase each count as a break, and two breaks stop the scan early and
 * send the file to the hash sort.
 */
async function keysIncrease(wh: Warehouse, spec: TableSpec, valid: string): Promise<boolean> {
  const cols = spec.key.map(ident);
  const prevs = cols.map((c, i) => `lag(${c}) OVER () AS _p${i}`).join(", ");
  const nulls = cols.flatMap((c, i) => [`${c} IS NULL`, `_p${i} IS NULL`]).join(" OR ");
  // Not greater than the previous key, in lexicographic order; written as plain comparisons joined by
  // OR, which DuckDB evaluates about twice as fast as the negation of "greater".
  const notAfter = (i: number): string =>
    i === cols.length - 1
      ? `${cols[i]} <= _p${i}`
      : `${cols[i]} < _p${i} OR (${cols[i]} = _p${i} AND (${notAfter(i + 1)}))`;
  const breaks = await wh.scalar(`SELECT count(*) FROM (
      SELECT 1 FROM (SELECT ${cols.join(", ")}, ${prevs} FROM ${T.stg} ${valid})
      WHERE ${nulls} OR ${notAfter(0)} LIMIT 2
    )`);
  return breaks <= 1;
}
