import { InputError } from "../../core/errors.ts";
import type { Progress } from "../../core/progress.ts";
import type { TableSpec } from "../schema.ts";
import { sqlString, type Warehouse } from "../warehouse.ts";
import { ident, matchColumns } from "./columns.ts";
import { readCsvHeader } from "./csv-header.ts";
import { withQueryProgress } from "./query-progress.ts";
import { type Staged, T, typeReason } from "./staging.ts";

/**
 * Parses a CSV file into the staging table with DuckDB's reader, typed as the spec says. Lines the reader
 * cannot use (wrong number of fields, values that do not convert, invalid UTF-8) land in DuckDB's rejects
 * table and from there in `rejected` with a reason code, so one bad line never fails the file.
 *
 * Line numbers: the reader drops rejected lines, so a staged row's file line is its ordinal + 1 (header)
 * + the rejected lines before it. Blank lines (skipped by the reader) and quoted line breaks are not
 * counted, so line numbers after them are off by that many; files from exports have neither.
 */
export async function stageCsv(
  wh: Warehouse,
  spec: TableSpec,
  path: string,
  shownAs: string,
  progress?: Progress,
): Promise<Staged> {
  const header = readCsvHeader(path, shownAs);
  const match = matchColumns(spec, header, shownAs);
  const typeOf = new Map(spec.columns.map((c) => [c.name, c.type]));
  // Extra columns are declared as VARCHAR and never selected: projection pushdown skips parsing them.
  const columns = header.map((n) => `${sqlString(n)}: '${typeOf.get(n) ?? "VARCHAR"}'`).join(", ");
  const select = spec.columns
    .map((c) => (match.present.includes(c) ? ident(c.name) : `NULL::${c.type} AS ${ident(c.name)}`))
    .join(", ");
  const read = `read_csv(${sqlString(path)}, header = true, auto_detect = false, delim = ',', quote = '"',
    escape = '"', dateformat = '%Y-%m-%d', columns = {${columns}},
    store_rejects = true, rejects_table = '${T.rejErrors}', rejects_scan = '${T.rejScans}')`;
  try {
    await withQueryProgress(wh, `ingest ${shownAs}`, progress, () =>
      wh.run(`CREATE TEMP TABLE ${T.stg} AS SELECT ${select} FROM ${read}`),
    );
  } catch (e) {
    throw new InputError(`cannot be read as CSV: ${(e as Error).message}`, { file: shownAs }, { cause: e });
  }

  const dateCols = spec.columns
    .filter((c) => typeReason(c.type) === "bad_date")
    .map((c) => sqlString(c.name));
  const isDate = dateCols.length > 0 ? `column_name IN (${dateCols.join(", ")})` : "false";
  // One reason per line: structural problems first (they make every value suspect), then the first column.
  await wh.run(`CREATE TEMP TABLE ${T.rejected} AS
    SELECT line::INTEGER AS line,
      CASE WHEN error_type = 'CAST' AND ${isDate} THEN 'bad_date'
           WHEN error_type = 'CAST' THEN 'bad_type'
           WHEN error_type = 'INVALID UNICODE' THEN 'bad_encoding'
           ELSE 'malformed_line' END AS reason,
      CASE WHEN error_type = 'CAST' THEN column_name END AS column_name,
      CASE WHEN error_type IN ('MISSING COLUMNS', 'TOO MANY COLUMNS')
           THEN 'wrong number of fields: ' || error_message ELSE error_message END AS message,
      raw
    FROM (
      SELECT line,
        arg_min(error_type, (error_type = 'CAST')::INT * 100000 + column_idx) AS error_type,
        arg_min(column_name, (error_type = 'CAST')::INT * 100000 + column_idx) AS column_name,
        arg_min(error_message, (error_type = 'CAST')::INT * 100000 + column_idx) AS error_message,
        any_value(csv_line) AS raw
      FROM ${T.rejErrors} GROUP BY line
    )`);
  await wh.run(`CREATE TEMP TABLE ${T.rejGaps} AS
    SELECT g, max(j) AS n FROM (
      SELECT line - 1 - row_number() OVER (ORDER BY line) AS g, row_number() OVER (ORDER BY line) AS j
      FROM ${T.rejected}
    ) GROUP BY g`);

  const stats = await wh.one<{ rows: number; base: string | null }>(
    `SELECT count(*) AS rows, min(rowid)::VARCHAR AS base FROM ${T.stg}`,
  );
  const rows = stats?.rows ?? 0;
  const base = stats?.base ?? "0";
  const rejected = await wh.scalar(`SELECT count(*) FROM ${T.rejected}`);

  const drift = [...match.drift];
  const castFails = await wh.all<{ column_name: string; n: number }>(
    `SELECT column_name, count(*) AS n FROM ${T.rejected} WHERE column_name IS NOT NULL GROUP BY ALL ORDER BY column_name`,
  );
  for (const { column_name, n } of castFails) {
    // A column where most values fail to convert has the wrong type, not a few bad values.
    if (n * 2 > rows + rejected) {
      drift.push({
        column: column_name,
        kind: "wrong_type",
        detail: `${n} of ${rows + rejected} values do not convert to ${typeOf.get(column_name)}`,
      });
    }
  }

  const ordinal = `(b.rid - ${base}::BIGINT + 1)`;
  return {
    rows,
    rejected,
    drift,
    hasTypeErrors: false,
    locateBadSql: `SELECT b.rid, ${sqlString(path)} AS source_file,
        (${ordinal} + 1 + coalesce(r.n, 0))::INTEGER AS line, NULL::VARCHAR AS raw
      FROM ${T.bad} b ASOF LEFT JOIN ${T.rejGaps} r ON ${ordinal} > r.g`,
  };
}
