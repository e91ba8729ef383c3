import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { formatDay } from "../core/days.ts";
import { InputError } from "../core/errors.ts";
import { QUANTILE_COLUMNS, QUANTILES } from "../core/quantiles.ts";
import { FileSink, type WriterTable } from "../data/table-writer.ts";
import { sqlString, type Warehouse } from "../data/warehouse.ts";
import type { QuantileForecast } from "../models/forecaster.ts";
import { stageKeys } from "./stage-keys.ts";

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
  return (await startPartitionWrite(wh, p)).finish();
}

/** A partition's write in flight: rows staged, its transaction open, the INSERT of its rows running in DuckDB. */
export interface PartitionWrite {
  rows: number;
  /**
   * Waits for the INSERT and commits (or rolls back and throws); the staged rows are removed either way. Nothing
   * else may use the warehouse until it has returned.
   */
  finish(): Promise<number>;
}

/**
 * Starts writePartition: stages the rows, opens the transaction, replaces the partition's `forecast_partitions`
 * row, and starts the INSERT of its rows (~0.35 CPU-s per 300k rows, nearly all of writing them) without awaiting
 * it. DuckDB runs one statement on its own threads while JavaScript computes (the next partition), but each
 * statement's continuation waits for the main thread: so the heavy statement is the one left running.
 */
export async function startPartitionWrite(wh: Warehouse, p: PartitionRows): Promise<PartitionWrite> {
  const f = p.forecast;
  checkLevels(f.levels);
  const n = p.series.length * f.horizon;
  const keys = Array.from(p.series);
  const dir = mkdtempSync(join(tmpdir(), "mr-forecast-rows-"));
  let open = false;
  const cleanup = async () => {
    rmSync(dir, { recursive: true, force: true });
    await wh.run("DROP TABLE IF EXISTS temp.fc_series");
  };
  const fail = async (e: unknown) => {
    if (open) await wh.run("ROLLBACK").catch(() => {});
    open = false;
    await cleanup();
    return e;
  };
  try {
    await stageKeys(
      wh,
      "fc_series",
      keys.map((i) => p.storeId[i]!),
      keys.map((i) => p.productId[i]!),
    );
    const file = await stageRows(dir, p);
    await wh.run("BEGIN TRANSACTION");
    open = true;
    const { insert } = await replacePartition(wh, p, n, file);
    // Awaited by finish; handled here so a failure before then is not an unhandled rejection.
    insert.catch(() => {});
    return {
      rows: n,
      finish: async () => {
        try {
          await insert;
          await wh.run("COMMIT");
          open = false;
        } catch (e) {
          throw await fail(e);
        }
        await cleanup();
        return n;
      },
    };
  } catch (e) {
    throw await fail(e);
  }
}

/** The staged rows' columns: series index (into fc_series), horizon, the six quantiles and the mean. */
const ROW_TABLE: WriterTable = {
  name: "fc_rows",
  columns: [
    { name: "sid", type: "INTEGER", nullable: false },
    { name: "horizon", type: "INTEGER", nullable: false },
    ...QUANTILE_COLUMNS.map((name) => ({ name, type: "DOUBLE" as const })),
    { name: "mean", type: "DOUBLE" },
  ],
};

/**
 * Stages the partition's rows as one Parquet file (DuckDB block-copies the typed arrays and encodes it in C++),
 * which the insert then reads: much cheaper than appending value by value. Doubles round-trip exactly; NaN
 * (a missing mean) becomes null, as before.
 */
async function stageRows(dir: string, p: PartitionRows): Promise<string> {
  const f = p.forecast;
  const H = f.horizon;
  const L = QUANTILES.length;
  const n = p.series.length * H;
  const sink = await FileSink.open();
  try {
    // One part: room for every row (a writer refuses to fill its buffer to the last row).
    const w = await sink.writer(ROW_TABLE, { dir, format: "parquet", partRows: n + 1 });
    if (w.layout() !== `ii${"d".repeat(L + 1)}`)
      throw new Error("writePartition: unexpected staging layout (a bug)");
    const b = w.block();
    const [sid, horizon] = b.ints as [Int32Array, Int32Array];
    const q = b.doubles.slice(2, 2 + L);
    const mean = b.doubles[2 + L]!;
    for (let k = 0; k < p.series.length; k++) {
      const i = p.series[k]!;
      for (let h = 1; h <= H; h++) {
        const r = k * H + h - 1;
        const cell = i * H + h - 1;
        sid[r] = k;
        horizon[r] = h;
        for (let l = 0; l < L; l++) q[l]![r] = f.q[cell * L + l]!;
        mean[r] = f.mean ? f.mean[cell]! : Number.NaN;
      }
    }
    for (let r = 0; r < n; r++) w.end();
    const written = await w.finish();
    return written.files[0]!;
  } finally {
    sink.close();
  }
}

/**
 * Inside the open transaction: deletes what (origin, version, dc) held, writes its `forecast_partitions` row and
 * starts the INSERT of the staged rows, returned unawaited (in an object: an async function's returned promise
 * would be awaited). The INSERT has no parameters: with parameters it is prepared first, and its execution would
 * wait for the main thread to take the prepared statement back.
 */
async function replacePartition(
  wh: Warehouse,
  p: PartitionRows,
  n: number,
  file: string,
): Promise<{ insert: Promise<void> }> {
  const origin = formatDay(p.origin);
  const at = timestamp(p.createdAt);
  const key = [origin, p.modelVersion, p.dc];
  await wh.run("DELETE FROM forecasts WHERE origin = $1::DATE AND model_version = $2 AND dc_id = $3", key);
  await wh.run(
    "DELETE FROM forecast_partitions WHERE origin = $1::DATE AND model_version = $2 AND dc_id = $3",
    key,
  );
  await wh.run("INSERT INTO forecast_partitions VALUES ($1::DATE, $2, $3, $4, $5::TIMESTAMP)", [
    ...key,
    n,
    at,
  ]);
  const insert = wh.run(
    `INSERT INTO forecasts (origin, model_version, store_id, product_id, date, dc_id, horizon,
                            ${QUANTILE_COLUMNS.join(", ")}, mean, run_id, created_at)
     SELECT DATE '${origin}', ${Number(p.modelVersion)}, s.store_id, s.product_id, DATE '${origin}' + r.horizon,
            ${sqlString(p.dc)}, r.horizon, ${QUANTILE_COLUMNS.map((c) => `r.${c}`).join(", ")}, r.mean,
            ${sqlString(p.runId)}, TIMESTAMP '${at}'
     FROM read_parquet(${sqlString(file)}) r JOIN temp.fc_series s USING (sid)`,
  );
  return { insert };
}
