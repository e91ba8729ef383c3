import type { ColumnType } from "../schema.ts";
import type { Warehouse } from "../warehouse.ts";
import type { Drift } from "./types.ts";

/**
 * Names of the temporary tables one file's ingest works in. They live in the connection's temp schema,
 * inside the ingest transaction, and are dropped after each file.
 */
export const T = {
  /** Parsed rows, one column per spec column (typed), in file order (rowid = order). */
  stg: "_ing_stg",
  /** Rows of `stg` refused by validation: rid (stg rowid), reason, column_name, message, _row (the row). */
  bad: "_ing_bad",
  /** Lines the CSV parser refused: line, reason, column_name, message, raw. */
  rejected: "_ing_rejected",
  /** DuckDB's own CSV reject tables. */
  rejErrors: "_ing_rej_errors",
  rejScans: "_ing_rej_scans",
  /** CSV: per reject-gap g, the number of parser-rejected lines before a good row (for line numbers). */
  rejGaps: "_ing_rej_gaps",
} as const;

/** What staging one file produced. */
export interface Staged {
  /** Rows parsed into `stg`. */
  rows: number;
  /** Lines the parser refused (already in `rejected`). */
  rejected: number;
  /** Schema drift found while reading (extra/missing optional columns, wrong types). */
  drift: Drift[];
  /**
   * A SELECT giving `rid, source_file, line, raw` for every row of `bad` (raw: the row as read, or NULL
   * to rebuild it from the typed values).
   */
  locateBadSql: string;
  /** Parquet only: `stg` has a `_type_err` column naming the first column whose value failed to convert. */
  hasTypeErrors: boolean;
}

/** Drops every temp table of one file's ingest. */
export async function dropStaging(wh: Warehouse): Promise<void> {
  for (const name of Object.values(T)) await wh.run(`DROP TABLE IF EXISTS ${name}`);
}

/** Reason code for a value that does not convert to `type`. */
export function typeReason(type: ColumnType): "bad_date" | "bad_type" {
  return type === "DATE" || type === "TIMESTAMP" ? "bad_date" : "bad_type";
}
