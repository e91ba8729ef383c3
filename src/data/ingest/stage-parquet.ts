import { InputError } from "../../core/errors.ts";
import type { Progress } from "../../core/progress.ts";
import type { ColumnType, TableSpec } from "../schema.ts";
import { sqlString, type Warehouse } from "../warehouse.ts";
import { ident, matchColumns } from "./columns.ts";
import { withQueryProgress } from "./query-progress.ts";
import type { Staged } from "./staging.ts";
import { T } from "./staging.ts";

const INTEGER_TYPES = /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT)$/;
const NUMBER_TYPES =
  /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|FLOAT|DOUBLE|DECIMAL.*)$/;

/** Does a Parquet column of DuckDB type `have` hold values of spec type `want` without conversion doubts? */
function compatible(have: string, want: ColumnType): boolean {
  switch (want) {
    case "DOUBLE":
      return NUMBER_TYPES.test(have);
    case "INTEGER":
      return INTEGER_TYPES.test(have);
    case "TIMESTAMP":
      return have.startsWith("TIMESTAMP") || have === "DATE";
    default:
      return have === want;
  }
}

/**
 * Reads Parquet parts into the staging table. Parquet carries types, so a column of another type than the
 * spec is schema drift: its values are converted with TRY_CAST and the rows that do not convert are marked
 * in `_type_err` (the first such column) with their original text in `_raw`, for the quarantine.
 * Row numbers are 1-based per part file.
 */
export async function stageParquet(
  wh: Warehouse,
  spec: TableSpec,
  paths: string[],
  shownAs: string,
  progress?: Progress,
): Promise<Staged> {
  const read = `read_parquet([${paths.map(sqlString).join(", ")}], filename = true, file_row_number = true, union_by_name = true)`;
  let described: { column_name: string; column_type: string }[];
  try {
    described = await wh.all(`SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM ${read})`);
  } catch (e) {
    throw new InputError(
      `is not a readable Parquet file: ${(e as Error).message}`,
      { file: shownAs },
      { cause: e },
    );
  }
  const fileTypes = new Map<string, { name: string; type: string }>();
  for (const d of described) {
    if (d.column_name === "filename" || d.column_name === "file_row_number") continue;
    fileTypes.set(d.column_name.toLowerCase(), { name: d.column_name, type: d.column_type });
  }
  const match = matchColumns(spec, [...fileTypes.keys()], shownAs);
  const drift = [...match.drift];

  const select: string[] = [];
  const failures: string[] = [];
  const originals: string[] = [];
  for (const c of spec.columns) {
    const src = fileTypes.get(c.name);
    if (!src || !match.present.includes(c)) {
      select.push(`NULL::${c.type} AS ${ident(c.name)}`);
      continue;
    }
    const col = ident(src.name);
    originals.push(`coalesce(${col}::VARCHAR, '')`);
    if (src.type === c.type) {
      select.push(`${col} AS ${ident(c.name)}`);
      continue;
    }
    const cast =
      c.type === "DATE" && src.type === "VARCHAR"
        ? `TRY_STRPTIME(${col}, '%Y-%m-%d')::DATE`
        : `TRY_CAST(${col} AS ${c.type})`;
    select.push(`${cast} AS ${ident(c.name)}`);
    failures.push(`WHEN ${col} IS NOT NULL AND ${cast} IS NULL THEN ${sqlString(c.name)}`);
    if (!compatible(src.type, c.type)) {
      drift.push({
        column: c.name,
        kind: "wrong_type",
        detail: `file has ${src.type}, table expects ${c.type}; values converted, failures quarantined`,
      });
    }
  }
  const typeErr = failures.length > 0 ? `CASE ${failures.join(" ")} END` : "NULL::VARCHAR";
  try {
    await withQueryProgress(wh, `ingest ${shownAs}`, progress, () =>
      wh.run(`CREATE TEMP TABLE ${T.stg} AS
        SELECT ${select.join(", ")}, filename AS _src, file_row_number + 1 AS _pos, _type_err,
          CASE WHEN _type_err IS NOT NULL THEN concat_ws(',', ${originals.join(", ")}) END AS _raw
        FROM (SELECT *, ${typeErr} AS _type_err FROM ${read})`),
    );
  } catch (e) {
    throw new InputError(
      `cannot be read as Parquet: ${(e as Error).message}`,
      { file: shownAs },
      { cause: e },
    );
  }
  const rows = await wh.scalar(`SELECT count(*) FROM ${T.stg}`);
  return {
    rows,
    rejected: 0,
    drift,
    hasTypeErrors: failures.length > 0,
    locateBadSql: `SELECT b.rid, b._row._src AS source_file, b._row._pos::INTEGER AS line, b._row._raw AS raw
      FROM ${T.bad} b`,
  };
}
