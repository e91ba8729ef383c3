import type { TableSpec } from "../schema.ts";
import { sqlString, type Warehouse } from "../warehouse.ts";
import { withBulkInsert } from "./bulk-insert.ts";
import { ident } from "./columns.ts";
import { type Staged, T } from "./staging.ts";
import type { Drift } from "./types.ts";

/** Who/what one file's ingest is, for the system tables. */
export interface IngestRun {
  ingestId: string;
  table: string;
  /** Absolute path (or pattern) recorded in ingest_log, schema_drift and quarantine. */
  sourceFile: string;
}

/**
 * Writes the refused rows of one file to `quarantine`: parser rejects (CSV) and validation failures, each
 * with its file, line, reason, column, message and raw text. Returns the count per reason code.
 */
export async function writeQuarantine(
  wh: Warehouse,
  spec: TableSpec,
  run: IngestRun,
  staged: Staged,
): Promise<Record<string, number>> {
  const head = `${sqlString(run.ingestId)}, ${sqlString(run.table)}`;
  if (staged.rejected > 0) {
    await wh.run(`INSERT INTO quarantine
      SELECT ${head}, ${sqlString(run.sourceFile)}, line, reason, column_name, message, raw FROM ${T.rejected}`);
  }
  const rebuilt = spec.columns.map((c) => `coalesce(b._row.${ident(c.name)}::VARCHAR, '')`).join(", ");
  await wh.run(`INSERT INTO quarantine
    SELECT ${head}, l.source_file, l.line, b.reason, b.column_name, b.message,
      coalesce(l.raw, concat_ws(',', ${rebuilt}))
    FROM ${T.bad} b JOIN (${staged.locateBadSql}) l ON l.rid = b.rid`);
  const rows = await wh.all<{ reason: string; n: number }>(
    `SELECT reason, count(*) AS n FROM quarantine WHERE ingest_id = $1 GROUP BY reason ORDER BY reason`,
    [run.ingestId],
  );
  return Object.fromEntries(rows.map((r) => [r.reason, r.n]));
}

/**
 * Writes the accepted rows of one file (`rows` staged, `badRows` of them refused) to the target table,
 * replacing existing rows with the same key (delete-by-key, then insert: DuckDB key constraints would slow
 * bulk loads). The delete is skipped when no existing row can share a key: an empty table, or, for a
 * dated table, no existing row in the file's date span (a new day's file). Returns the rows written.
 */
export async function writeAccepted(
  wh: Warehouse,
  spec: TableSpec,
  rows: number,
  badRows: number,
): Promise<number> {
  const cols = spec.columns.map((c) => ident(c.name)).join(", ");
  const accepted =
    badRows > 0 ? `(SELECT * FROM ${T.stg} WHERE rowid NOT IN (SELECT rid FROM ${T.bad}))` : T.stg;
  const target = ident(spec.name);
  const count = rows - badRows;
  if (count === 0) return 0;
  const existing = await wh.scalar(`SELECT count(*) FROM ${target}`);
  if (existing > 0) {
    const on = spec.key.map((k) => `t.${ident(k)} = n.${ident(k)}`).join(" AND ");
    // With a date in the key, only the file's date span can overlap: zone maps skip the rest of the table.
    let span = "";
    let overlaps = true;
    if (spec.key.includes("date")) {
      const r = await wh.one<{ lo: string; hi: string }>(
        `SELECT min(date)::VARCHAR AS lo, max(date)::VARCHAR AS hi FROM ${accepted}`,
      );
      span = ` AND t.date BETWEEN DATE '${r!.lo}' AND DATE '${r!.hi}'`;
      overlaps =
        (await wh.scalar(`SELECT count(*) FROM (SELECT 1 FROM ${target} t WHERE true${span} LIMIT 1)`)) > 0;
    }
    if (overlaps) await wh.run(`DELETE FROM ${target} t USING ${accepted} n WHERE ${on}${span}`);
  }
  // Text columns that are all ids or allowed values compress to dictionaries; free text keeps FSST.
  const codesOnly = spec.columns.every((c) => c.type !== "VARCHAR" || c.ref !== undefined || c.values);
  await withBulkInsert(wh, () => wh.run(`INSERT INTO ${target} (${cols}) SELECT ${cols} FROM ${accepted}`), {
    codesOnly,
  });
  return count;
}

/** Records schema drift of one file. */
export async function writeDrift(wh: Warehouse, run: IngestRun, drift: Drift[]): Promise<void> {
  for (const d of drift) {
    await wh.run("INSERT INTO schema_drift VALUES ($1, $2, $3, $4, $5, $6)", [
      run.ingestId,
      run.table,
      run.sourceFile,
      d.column,
      d.kind,
      d.detail,
    ]);
  }
}

/** Records one file's ingest in `ingest_log` (what makes a re-ingest of the same content a no-op). */
export async function writeLog(
  wh: Warehouse,
  run: IngestRun,
  sha256: string,
  counts: { rowsRead: number; accepted: number; quarantined: number },
): Promise<void> {
  await wh.run("INSERT INTO ingest_log VALUES ($1, $2, $3, $4, $5, $6, $7, $8::TIMESTAMP)", [
    run.ingestId,
    run.table,
    run.sourceFile,
    sha256,
    counts.rowsRead,
    counts.accepted,
    counts.quarantined,
    new Date().toISOString().replace("T", " ").replace("Z", ""),
  ]);
}
