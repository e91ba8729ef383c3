import { formatDay } from "../core/days.ts";
import { InputError } from "../core/errors.ts";
import { QUANTILE_COLUMNS, QUANTILES } from "../core/quantiles.ts";
import { sqlString, type Warehouse } from "../data/warehouse.ts";
import { stageKeys } from "./stage-keys.ts";
import { removeStaged, type StagedRows } from "./stage-rows.ts";

/** The table of a job's series keys (sid, store_id, product_id), staged once by stageJobKeys. */
const KEYS = "fc_series";

/**
 * Stages the series keys of a whole job once (sid = position in `storeId`/`productId`), for every partition's
 * write: a partition's staged rows give each series as its offset in these lists plus its panel index.
 */
export async function stageJobKeys(
  wh: Warehouse,
  storeId: readonly string[],
  productId: readonly string[],
): Promise<void> {
  await stageKeys(wh, KEYS, storeId, productId);
}

/** Drops the job's series keys. */
export async function dropJobKeys(wh: Warehouse): Promise<void> {
  await wh.run(`DROP TABLE IF EXISTS temp.${KEYS}`);
}

/** A partition's staged rows (stage-rows.ts) and where they go. */
export interface PartitionRows {
  origin: number;
  modelVersion: number;
  runId: string;
  dc: string;
  createdAt: Date;
  /** The rows, keyed by the job's staged series keys (stageJobKeys). */
  staged: StagedRows;
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

/** A partition's write in flight: its transaction open, the INSERT of its rows running in DuckDB. */
export interface PartitionWrite {
  rows: number;
  /**
   * Waits for the INSERT and commits (or rolls back and throws); the staged file is removed either way. Nothing
   * else may use the warehouse until it has returned.
   */
  finish(): Promise<number>;
}

/**
 * Writes a partition's staged rows and its `forecast_partitions` row in one transaction, after deleting whatever
 * that (origin, version, dc) held: a rerun of a partition replaces it, never duplicates it. This opens the
 * transaction and starts the INSERT of the rows (~0.35 CPU-s per 300k rows, nearly all of writing them)
 * without awaiting it: DuckDB runs one statement on its own threads while JavaScript computes (the next
 * partition), but each statement's continuation waits for the main thread, so the heavy statement is the one
 * left running, and the statements before it go as one round trip.
 */
export async function startPartitionWrite(wh: Warehouse, p: PartitionRows): Promise<PartitionWrite> {
  const n = p.staged.rows;
  let open = false;
  const fail = async (e: unknown) => {
    if (open) await wh.run("ROLLBACK").catch(() => {});
    open = false;
    removeStaged(p.staged);
    return e;
  };
  try {
    open = true;
    const { insert } = await replacePartition(wh, p, n);
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
        removeStaged(p.staged);
        return n;
      },
    };
  } catch (e) {
    throw await fail(e);
  }
}

/**
 * Opens the transaction, deletes what (origin, version, dc) held and writes its `forecast_partitions` row in one
 * round trip (values as literals), then starts the INSERT of the staged rows, returned unawaited (in an object:
 * an async function's returned promise would be awaited). No statement has parameters: with parameters a
 * statement is prepared first, and its execution would wait for the main thread to take it back.
 */
async function replacePartition(
  wh: Warehouse,
  p: PartitionRows,
  n: number,
): Promise<{ insert: Promise<void> }> {
  const origin = `DATE '${formatDay(p.origin)}'`;
  const at = `TIMESTAMP '${timestamp(p.createdAt)}'`;
  const version = Number(p.modelVersion);
  const dc = sqlString(p.dc);
  const key = `origin = ${origin} AND model_version = ${version} AND dc_id = ${dc}`;
  await wh.run(`BEGIN TRANSACTION;
    DELETE FROM forecasts WHERE ${key};
    DELETE FROM forecast_partitions WHERE ${key};
    INSERT INTO forecast_partitions VALUES (${origin}, ${version}, ${dc}, ${n}, ${at})`);
  const insert = wh.run(
    `INSERT INTO forecasts (origin, model_version, store_id, product_id, date, dc_id, horizon,
                            ${QUANTILE_COLUMNS.join(", ")}, mean, run_id, created_at)
     SELECT ${origin}, ${version}, s.store_id, s.product_id, ${origin} + r.horizon,
            ${dc}, r.horizon, ${QUANTILE_COLUMNS.map((c) => `r.${c}`).join(", ")}, r.mean,
            ${sqlString(p.runId)}, ${at}
     FROM read_parquet(${sqlString(p.staged.file)}) r JOIN temp.${KEYS} s USING (sid)`,
  );
  return { insert };
}
