import { createHash } from "node:crypto";
import { TABLES } from "./schema.ts";
import type { Warehouse } from "./warehouse.ts";

/** One table's fingerprint: row count, date range (null when the table has no date) and content checksum. */
export interface TableFingerprint {
  name: string;
  rows: number;
  minDate: string | null;
  maxDate: string | null;
  /** Order-independent checksum of every row (sum of DuckDB row hashes, as a decimal string). */
  checksum: string;
}

/** The data a run saw: one entry per source table and `daily`, and the sha256 of their canonical JSON. */
export interface DataFingerprint {
  tables: TableFingerprint[];
  hash: string;
}

/** Tables that make up a run's input: every source table plus the ETL's `daily`. */
export const FINGERPRINT_TABLES: readonly string[] = TABLES.filter(
  (t) => t.kind === "source" || t.name === "daily",
).map((t) => t.name);

/**
 * Fingerprints the warehouse's input tables, one query per table. The checksum sums 64-bit row hashes as
 * HUGEINT: independent of row order (DuckDB returns rows in no fixed order) and, unlike XOR, a duplicated
 * row does not cancel out. DuckDB's hash may change between DuckDB versions, so compare fingerprints made
 * by the same megaretail version.
 */
export async function dataFingerprint(wh: Warehouse): Promise<DataFingerprint> {
  const tables: TableFingerprint[] = [];
  for (const name of [...FINGERPRINT_TABLES].sort()) {
    const cols = await wh.all<{ column_name: string; data_type: string }>(
      "SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = 'main' AND table_name = $1 ORDER BY ordinal_position",
      [name],
    );
    if (cols.length === 0) continue;
    const dateCol = pickDateColumn(cols);
    const quoted = cols.map((c) => `"${c.column_name}"`).join(", ");
    const range = dateCol
      ? `CAST(min("${dateCol}") AS VARCHAR) AS min_date, CAST(max("${dateCol}") AS VARCHAR) AS max_date`
      : "NULL AS min_date, NULL AS max_date";
    const row = await wh.one<{
      rows: number;
      min_date: string | null;
      max_date: string | null;
      checksum: string;
    }>(
      `SELECT count(*) AS rows, ${range}, CAST(coalesce(sum(CAST(hash(${quoted}) AS HUGEINT)), 0) AS VARCHAR) AS checksum FROM "${name}"`,
    );
    tables.push({
      name,
      rows: Number(row?.rows ?? 0),
      minDate: row?.min_date ?? null,
      maxDate: row?.max_date ?? null,
      checksum: String(row?.checksum ?? "0"),
    });
  }
  return { tables, hash: sha256(canonicalJson(tables)) };
}

/** The column that dates a table's rows: `date`, else the first DATE, else the first TIMESTAMP column. */
function pickDateColumn(cols: { column_name: string; data_type: string }[]): string | null {
  if (cols.some((c) => c.column_name === "date")) return "date";
  const d = cols.find((c) => c.data_type === "DATE") ?? cols.find((c) => c.data_type.startsWith("TIMESTAMP"));
  return d?.column_name ?? null;
}

/** JSON with object keys sorted at every depth, so equal values give byte-equal text. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === "object" && !ArrayBuffer.isView(v)) {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) out[k] = sortKeys((v as Record<string, unknown>)[k]);
    return out;
  }
  return v;
}

function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}
