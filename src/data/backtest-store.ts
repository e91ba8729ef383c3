import { mkdirSync, renameSync, rmSync } from "node:fs";
import { dirname, extname } from "node:path";
import { formatDay } from "../core/days.ts";
import { InputError, NotFoundError } from "../core/errors.ts";
import { QUANTILE_COLUMNS } from "../core/quantiles.ts";
import { stageSeriesKeys } from "./series-keys.ts";
import { sqlString, type Warehouse } from "./warehouse.ts";

/** A backtest run's record (the `backtest_runs` row). */
export interface BacktestRun {
  runId: string;
  createdAt: Date;
  dataEnd: number;
  models: string[];
  folds: unknown;
  settings: unknown;
  metrics: unknown;
}

/** The long CV table in columns, as `saveBacktest` writes it (series index into storeId/productId). */
export interface BacktestRows {
  storeId: string[];
  productId: string[];
  series: Int32Array;
  origin: Int32Array;
  horizon: Int32Array;
  model: Int32Array;
  actual: ArrayLike<number>;
  /** The six quantile columns, in QUANTILE_COLUMNS order. */
  q: ArrayLike<number>[];
  mean: ArrayLike<number>;
}

/** Stores a run and its long table in one transaction (re-saving a run id replaces it). */
export async function saveBacktest(wh: Warehouse, run: BacktestRun, rows: BacktestRows): Promise<void> {
  if (rows.q.length !== QUANTILE_COLUMNS.length)
    throw new Error("saveBacktest: expected the six quantile columns");
  await wh.transaction(async () => {
    await wh.run("DELETE FROM backtest_forecasts WHERE run_id = $1", [run.runId]);
    await wh.run("DELETE FROM backtest_runs WHERE run_id = $1", [run.runId]);
    await wh.run(`INSERT INTO backtest_runs VALUES ($1, $2::TIMESTAMP, $3::DATE, $4, $5, $6, $7)`, [
      run.runId,
      run.createdAt.toISOString().replace("T", " ").replace("Z", ""),
      formatDay(run.dataEnd),
      run.models.join(","),
      JSON.stringify(run.folds),
      JSON.stringify(run.settings),
      JSON.stringify(run.metrics),
    ]);
    await wh.run("DROP TABLE IF EXISTS temp.bt_models");
    await wh.run("CREATE TEMP TABLE bt_models (mid INTEGER, model VARCHAR)");
    const models = [...new Set(rows.model)].sort((a, b) => a - b);
    for (const m of models) await wh.run("INSERT INTO temp.bt_models VALUES ($1, $2)", [m, run.models[m]!]);
    await stageSeriesKeys(wh, "bt_series", rows.storeId, rows.productId);
    const cols: Record<string, { type: "INTEGER" | "DOUBLE"; values: ArrayLike<number> }> = {
      sid: { type: "INTEGER", values: rows.series },
      origin: { type: "INTEGER", values: rows.origin },
      horizon: { type: "INTEGER", values: rows.horizon },
      mid: { type: "INTEGER", values: rows.model },
      actual: { type: "DOUBLE", values: rows.actual },
      mean: { type: "DOUBLE", values: rows.mean },
    };
    QUANTILE_COLUMNS.forEach((c, k) => {
      cols[c] = { type: "DOUBLE", values: rows.q[k]! };
    });
    await wh.stageNumbers("bt_rows", cols);
    await wh.run(
      `INSERT INTO backtest_forecasts
       SELECT $1, s.store_id, s.product_id, DATE '1970-01-01' + (r.origin + r.horizon), DATE '1970-01-01' + r.origin,
              r.horizon, r.actual, m.model, ${QUANTILE_COLUMNS.map((c) => `r.${c}`).join(", ")}, r.mean
       FROM temp.bt_rows r JOIN temp.bt_series s USING (sid) JOIN temp.bt_models m USING (mid)`,
      [run.runId],
    );
    for (const t of ["bt_rows", "bt_series", "bt_models"]) await wh.run(`DROP TABLE IF EXISTS temp.${t}`);
  });
}

/** The documented export columns of a backtest's long table. */
export const EXPORT_COLUMNS = [
  "store_id",
  "product_id",
  "date",
  "origin",
  "horizon",
  "actual",
  "model",
  ...QUANTILE_COLUMNS,
  "mean",
] as const;

/**
 * Writes a run's long table to a .parquet or .csv file (written to a temporary file, then renamed, so a
 * failure never leaves half a file). Returns the number of rows.
 */
export async function exportBacktest(wh: Warehouse, runId: string, file: string): Promise<number> {
  const ext = extname(file).toLowerCase();
  if (ext !== ".parquet" && ext !== ".csv") {
    throw new InputError("export format is taken from the extension: use .parquet or .csv", { file });
  }
  const rows = await wh.scalar("SELECT count(*) FROM backtest_forecasts WHERE run_id = $1", [runId]);
  if (!(rows > 0)) throw new NotFoundError(`backtest run ${runId} has no rows in this warehouse`);
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.tmp-${process.pid}${ext}`;
  try {
    await wh.run(
      `COPY (SELECT ${EXPORT_COLUMNS.join(", ")} FROM backtest_forecasts WHERE run_id = ${sqlString(runId)}
             ORDER BY model, store_id, product_id, origin, date)
       TO ${sqlString(tmp)} (FORMAT ${ext === ".parquet" ? "parquet" : "csv, HEADER true"})`,
    );
    renameSync(tmp, file);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
  return rows;
}
