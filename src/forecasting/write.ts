import { formatDay } from "../core/days.ts";
import { InputError } from "../core/errors.ts";
import { QUANTILE_COLUMNS, QUANTILES } from "../core/quantiles.ts";
import { stageSeriesKeys } from "../data/series-keys.ts";
import type { Warehouse } from "../data/warehouse.ts";
import type { QuantileForecast } from "../models/forecaster.ts";

/** One partition's forecasts, indexed like its panel, and where they go. */
export interface PartitionRows {
  origin: number;
  modelVersion: number;
  runId: string;
  dc: string;
  createdAt: Date;
  storeId: readonly string[];
  productId: readonly string[];
  /** Panel indices of the series to write (the active ones). */
  series: Int32Array;
  forecast: QuantileForecast;
}

/** The forecasts table holds the six levels of SPEC.md: a model with other levels is refused before any work. */
export function checkLevels(levels: readonly number[]): void {
  if (levels.length !== QUANTILES.length || levels.some((l, k) => l !== QUANTILES[k])) {
    throw new InputError(
      `the model forecasts levels ${levels.join(", ")} but the forecasts table holds ${QUANTILES.join(", ")}; use a model trained on those levels`,
      { column: "levels" },
    );
  }
}

/** A timestamp literal DuckDB reads as UTC. */
function timestamp(d: Date): string {
  return d.toISOString().replace("T", " ").replace("Z", "");
}

/**
 * Writes a partition's rows and its `forecast_partitions` row in one transaction, after deleting whatever that
 * (origin, version, dc) held: a rerun of a partition replaces it, never duplicates it. Returns the rows written.
 */
export async function writePartition(wh: Warehouse, p: PartitionRows): Promise<number> {
  const f = p.forecast;
  checkLevels(f.levels);
  const H = f.horizon;
  const L = QUANTILES.length;
  const n = p.series.length * H;
  const sid = new Int32Array(n);
  const horizon = new Int32Array(n);
  const q = QUANTILE_COLUMNS.map(() => new Float64Array(n));
  const mean = new Float64Array(n);
  p.series.forEach((i, k) => {
    for (let h = 1; h <= H; h++) {
      const r = k * H + h - 1;
      const cell = i * H + h - 1;
      sid[r] = k;
      horizon[r] = h;
      for (let l = 0; l < L; l++) q[l]![r] = f.q[cell * L + l]!;
      mean[r] = f.mean ? f.mean[cell]! : Number.NaN;
    }
  });
  const keys = Array.from(p.series);
  await stageSeriesKeys(
    wh,
    "fc_series",
    keys.map((i) => p.storeId[i]!),
    keys.map((i) => p.productId[i]!),
  );
  const cols: Record<string, { type: "INTEGER" | "DOUBLE"; values: ArrayLike<number> }> = {
    sid: { type: "INTEGER", values: sid },
    horizon: { type: "INTEGER", values: horizon },
  };
  QUANTILE_COLUMNS.forEach((c, l) => {
    cols[c] = { type: "DOUBLE", values: q[l]! };
  });
  cols.mean = { type: "DOUBLE", values: mean };
  await wh.stageNumbers("fc_rows", cols);
  const origin = formatDay(p.origin);
  const at = timestamp(p.createdAt);
  const key = [origin, p.modelVersion, p.dc];
  await wh.transaction(async () => {
    await wh.run("DELETE FROM forecasts WHERE origin = $1::DATE AND model_version = $2 AND dc_id = $3", key);
    await wh.run(
      "DELETE FROM forecast_partitions WHERE origin = $1::DATE AND model_version = $2 AND dc_id = $3",
      key,
    );
    await wh.run(
      `INSERT INTO forecasts (origin, model_version, store_id, product_id, date, dc_id, horizon,
                              ${QUANTILE_COLUMNS.join(", ")}, mean, run_id, created_at)
       SELECT $1::DATE, $2, s.store_id, s.product_id, $1::DATE + r.horizon, $3, r.horizon,
              ${QUANTILE_COLUMNS.map((c) => `r.${c}`).join(", ")}, r.mean, $4, $5::TIMESTAMP
       FROM temp.fc_rows r JOIN temp.fc_series s USING (sid)`,
      [...key, p.runId, at],
    );
    await wh.run("INSERT INTO forecast_partitions VALUES ($1::DATE, $2, $3, $4, $5::TIMESTAMP)", [
      ...key,
      n,
      at,
    ]);
  });
  for (const t of ["fc_rows", "fc_series"]) await wh.run(`DROP TABLE IF EXISTS temp.${t}`);
  return n;
}
