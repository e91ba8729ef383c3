/** The ingest stage's public surface: load CSV/Parquet files into source tables, with quarantine. */
export { ingestFiles } from "./ingest.ts";
export { REASON_CODES, type ReasonCode, reasonCodeList } from "./reasons.ts";
export type { Drift, FileSummary, IngestFormat, IngestOptions, IngestSummary } from "./types.ts";
