import { existsSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { InputError } from "../../core/errors.ts";
import { sqlString, type Warehouse } from "../warehouse.ts";

/** The files of one M5-layout directory that an import reads. */
export interface M5Files {
  dir: string;
  /** Wide sales files in priority order: a later file's value wins for a day both files hold. */
  sales: string[];
  calendar: string;
  prices: string;
}

/** A wide sales file's layout: which id columns it has and its `d_N` day columns. */
export interface WideLayout {
  file: string;
  columns: string[];
  dayColumns: string[];
  /** True when item_id/store_id/... are absent and must be derived from the `id` column. */
  deriveFromId: boolean;
}

/** The training file (one of these is required; evaluation holds more days, so it wins when both exist). */
const TRAIN_FILES = ["sales_train_evaluation.csv", "sales_train_validation.csv"];
/** Later actuals published after the competition, read after the training file when present. */
const LATER_FILES = ["sales_test_validation.csv", "sales_test_evaluation.csv"];
export const SALES_ID_COLUMNS = ["item_id", "dept_id", "cat_id", "store_id", "state_id"] as const;
const DAY_COLUMN = /^d_[0-9]+$/;

/** Finds the M5 files in `dir`, failing with what is missing and what to do. */
export function locateM5Files(dir: string): M5Files {
  const abs = resolve(dir);
  if (!existsSync(abs) || !statSync(abs).isDirectory()) {
    throw new InputError(
      "not a directory; pass the folder holding calendar.csv, sell_prices.csv and sales_train_*.csv",
      { file: abs },
    );
  }
  const has = (name: string) => existsSync(join(abs, name));
  const train = TRAIN_FILES.find(has);
  if (!train) {
    throw new InputError(
      `no ${TRAIN_FILES.join(" or ")} here; download the M5 files from the competition page into this folder`,
      { file: abs },
    );
  }
  for (const name of ["calendar.csv", "sell_prices.csv"]) {
    if (!has(name)) {
      throw new InputError(`${name} is missing; an M5 folder needs calendar.csv and sell_prices.csv`, {
        file: join(abs, name),
      });
    }
  }
  // The validation test file's days are inside the evaluation training file: reading it again adds nothing.
  const later = LATER_FILES.filter(
    (f) => has(f) && !(train === "sales_train_evaluation.csv" && f === "sales_test_validation.csv"),
  );
  return {
    dir: abs,
    sales: [train, ...later].map((f) => join(abs, f)),
    calendar: join(abs, "calendar.csv"),
    prices: join(abs, "sell_prices.csv"),
  };
}

/** `read_csv(...)` of a file, as a SQL table expression. */
export function csv(file: string): string {
  return `read_csv(${sqlString(file)}, header = true, auto_detect = true, sample_size = -1)`;
}

/** Column names and types of a CSV file as DuckDB reads it; an unreadable file is an InputError. */
export async function describeCsv(wh: Warehouse, file: string): Promise<Map<string, string>> {
  try {
    const rows = await wh.all<{ column_name: string; column_type: string }>(
      `DESCRIBE SELECT * FROM ${csv(file)}`,
    );
    return new Map(rows.map((r) => [r.column_name, r.column_type]));
  } catch (e) {
    throw new InputError(
      `cannot read as CSV: ${firstLine(e)}; check it is the comma-separated M5 file`,
      { file },
      {
        cause: e,
      },
    );
  }
}

/** Fails naming the file and the first missing column when `required` is not all there. */
export function requireColumns(file: string, have: Map<string, string>, required: readonly string[]): void {
  const missing = required.filter((c) => !have.has(c));
  if (missing.length > 0) {
    throw new InputError(
      `missing required column${missing.length > 1 ? "s" : ""} ${missing.map((m) => `"${m}"`).join(", ")} (found: ${[...have.keys()].slice(0, 8).join(", ")}${have.size > 8 ? ", ..." : ""}); use the file as published in the M5 layout`,
      { file, column: missing[0] },
    );
  }
}

/** Reads and checks a wide sales file's header: id columns (or `id` to derive them from) and `d_N` columns. */
export async function wideLayout(wh: Warehouse, file: string): Promise<WideLayout> {
  const cols = await describeCsv(wh, file);
  const dayColumns = [...cols.keys()].filter((c) => DAY_COLUMN.test(c));
  if (dayColumns.length === 0) {
    throw new InputError(
      "no day columns (d_1, d_2, ...); a wide M5 sales file has one column per day named d_N",
      { file },
    );
  }
  const deriveFromId = !SALES_ID_COLUMNS.every((c) => cols.has(c)) && cols.has("id");
  if (!deriveFromId) requireColumns(file, cols, SALES_ID_COLUMNS);
  for (const d of dayColumns) {
    const type = cols.get(d)!;
    if (!/^(BIGINT|INTEGER|SMALLINT|TINYINT|HUGEINT|DOUBLE|FLOAT|DECIMAL.*)$/.test(type)) {
      const bad = await firstNonNumeric(wh, file, d);
      throw new InputError(
        `unit sales must be numbers, found ${JSON.stringify(bad.value)}; fix or remove that cell`,
        { file, row: bad.line, column: d },
      );
    }
  }
  return { file, columns: [...cols.keys()], dayColumns, deriveFromId };
}

/** Checks a CSV's columns for the calendar or price file. */
export async function checkTable(
  wh: Warehouse,
  file: string,
  required: readonly string[],
): Promise<string[]> {
  const cols = await describeCsv(wh, file);
  requireColumns(file, cols, required);
  return [...cols.keys()];
}

async function firstNonNumeric(
  wh: Warehouse,
  file: string,
  column: string,
): Promise<{ line: number; value: string }> {
  const row = await wh.one<{ line: number; value: string }>(
    `SELECT line, value FROM (SELECT row_number() OVER () + 1 AS line, "${column}"::VARCHAR AS value FROM ${csv(file)})
     WHERE value IS NOT NULL AND TRY_CAST(value AS DOUBLE) IS NULL LIMIT 1`,
  );
  return row ?? { line: Number.NaN, value: "?" };
}

/** First line of an error's message (DuckDB messages run long). */
export function firstLine(e: unknown): string {
  return String((e as Error)?.message ?? e).split("\n")[0]!;
}
