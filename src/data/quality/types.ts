import type { DataIssue } from "../../core/errors.ts";
import type { Cell, Warehouse } from "../warehouse.ts";

/**
 * How bad a finding is. "error": the data is wrong (duplicate keys, negative units, unknown ids);
 * "warning": something is probably missing or was refused (gaps, thin days, quarantined rows, schema drift);
 * "info": a measurement, never an issue (row counts, coverage, stockout share).
 */
export type Severity = "error" | "warning" | "info";

/** One example row behind a finding: a DataIssue plus, for warehouse rows, the row's key values. */
export interface QualityExample extends DataIssue {
  key?: Record<string, Cell>;
}

/** One finding of one check. */
export interface CheckResult {
  /** Stable code, e.g. "duplicate-key", "gap", "negative", "unknown-id" (docs/data-model.md lists them). */
  code: string;
  /** The check (file) that produced it, e.g. "duplicates". */
  check: string;
  severity: Severity;
  /** Table the finding is about, when one is. */
  table?: string;
  /** What was found, for a person. */
  title: string;
  /** Offending rows / keys / days for issues; the measured quantity for info results. */
  count: number;
  /** A few offending rows (at most `examples` of the options). */
  examples: QualityExample[];
  /** Measured figures (shares in 0..1, min/median/max), mostly for info results. */
  figures?: Record<string, number | string | null>;
}

/** Settings of a quality run. */
export interface QualityOptions {
  /** Example rows kept per finding (default 5). */
  examples?: number;
  /** A day whose row count is below this fraction of the surrounding days' median is "thin" (default 0.5). */
  lowDayRatio?: number;
  /** Half-width in days of the window whose median a day's row count is compared with (default 14). */
  windowDays?: number;
}

/** What every check receives: the warehouse, the options and what the warehouse holds. */
export interface QualityContext {
  wh: Warehouse;
  options: Required<QualityOptions>;
  /** Row count of every table in the warehouse (absent: the table does not exist). */
  counts: Record<string, number>;
  /** Column name -> DuckDB type, per existing table. */
  columns: Map<string, Map<string, string>>;
}

/** A family of checks; register new ones in checks.ts. */
export interface QualityCheck {
  name: string;
  description: string;
  run(ctx: QualityContext): Promise<CheckResult[]>;
}

/** The quality report of a warehouse. */
export interface QualityReport {
  db: string;
  /** True when no error or warning result has a non-zero count. */
  clean: boolean;
  /** Number of error/warning results with a non-zero count. */
  issues: number;
  /** Row counts of every table. */
  tables: Record<string, number>;
  /** Every check that ran, with its number of issues (0: passed). */
  checks: { name: string; description: string; issues: number }[];
  results: CheckResult[];
}

/** True for a result that counts as an issue (not informational, count above zero). */
export function isIssue(r: CheckResult): boolean {
  return r.severity !== "info" && r.count > 0;
}
