import type { Progress } from "../../core/progress.ts";

/** Input formats ingest reads. */
export type IngestFormat = "csv" | "parquet";

/** Options of `ingestFiles`. */
export interface IngestOptions {
  /** Format of every file; by default from each file's extension (a directory or glob means Parquet parts). */
  format?: IngestFormat;
  /** Receives one `ingest <file>` step per file, done/total in percent of the file read. */
  progress?: Progress;
}

/** What ingest did with one file (or one directory/glob of Parquet parts). */
export interface FileSummary {
  file: string;
  rowsRead: number;
  accepted: number;
  quarantined: number;
  /** Quarantined rows by reason code (see reasons.ts). */
  byReason: Record<string, number>;
  /** The same content was ingested into this table before (same sha256): nothing was done. */
  alreadyIngested: boolean;
}

/** What one `ingestFiles` call did, in total and per file. */
export interface IngestSummary {
  table: string;
  rowsRead: number;
  accepted: number;
  quarantined: number;
  byReason: Record<string, number>;
  files: FileSummary[];
}

/** A column difference between a file and the table spec, recorded in `schema_drift`. */
export interface Drift {
  column: string;
  kind: "extra_column" | "missing_optional_column" | "wrong_type";
  detail: string;
}
