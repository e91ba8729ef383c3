import { mkdirSync, renameSync, rmSync } from "node:fs";
import { dirname, extname } from "node:path";
import { type Day, formatDay } from "../core/days.ts";
import { InputError } from "../core/errors.ts";
import { QUANTILE_COLUMNS } from "../core/quantiles.ts";
import { sqlString, type Warehouse } from "../data/warehouse.ts";

/** Columns of the forecast export file, in order. */
export const FORECAST_EXPORT_COLUMNS = [
  "store_id",
  "product_id",
  "date",
  "origin",
  "horizon",
  ...QUANTILE_COLUMNS,
  "mean",
  "model_version",
  "run_id",
] as const;

/**
 * Writes the forecasts of (origin, version) from the table to a .parquet or .csv file: a temporary file renamed
 * into place, so readers never see half a file. Returns the rows written.
 */
export async function exportForecasts(
  wh: Warehouse,
  origin: Day,
  modelVersion: number,
  file: string,
): Promise<{ file: string; rows: number }> {
  const ext = extname(file).toLowerCase();
  if (ext !== ".parquet" && ext !== ".csv")
    throw new InputError("the export format is taken from the extension: use .parquet or .csv", { file });
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.tmp-${process.pid}${ext}`;
  try {
    await wh.run(
      `COPY (SELECT ${FORECAST_EXPORT_COLUMNS.join(", ")} FROM forecasts
             WHERE origin = DATE '${formatDay(origin)}' AND model_version = ${Math.trunc(modelVersion)}
             ORDER BY store_id, product_id, date)
       TO ${sqlString(tmp)} (FORMAT ${ext === ".parquet" ? "parquet" : "csv, HEADER true"})`,
    );
    renameSync(tmp, file);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
  const rows = await wh.scalar(
    "SELECT count(*) FROM forecasts WHERE origin = $1::DATE AND model_version = $2",
    [formatDay(origin), modelVersion],
  );
  return { file, rows };
}
