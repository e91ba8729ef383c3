import { configSchema } from "../config/schema.ts";
import { UsageError } from "../core/errors.ts";
import type { Progress } from "../core/progress.ts";
import { boundsSql, dailyRowsSql, dailySalesSql, dateLit, pairsSql, promoDaysSql } from "./etl-sql.ts";
import { withBulkInsert } from "./ingest/bulk-insert.ts";
import { withQueryProgress } from "./ingest/query-progress.ts";
import type { Warehouse } from "./warehouse.ts";

/** Options of `runEtl`. */
export interface EtlOptions {
  /** Days at the end of `daily` re-written (default: config `etl.rewriteDays`, 3). */
  rewriteDays?: number;
  /** Rebuild `daily` from scratch (needed for late data older than the rewrite window). */
  full?: boolean;
  progress?: Progress;
}

/** What one ETL run did. */
export interface EtlSummary {
  mode: "full" | "incremental";
  /** First day re-written (null when there was nothing to write). */
  from: string | null;
  /** The data end: last day with sales or transactions (null without any). */
  to: string | null;
  rowsDeleted: number;
  rowsWritten: number;
  /** Rows of `daily` after the run. */
  dailyRows: number;
}

const DEFAULT_REWRITE_DAYS = configSchema.parse({}).etl.rewriteDays;

/**
 * Builds the daily fact table `daily` from the source tables, in one transaction.
 *
 * Incremental (the default): deletes and re-writes every day from `rewriteDays` days before the end of
 * `daily` up to the data end, so new days are appended and late or corrected data of the last days is
 * absorbed. Late data older than that window is NOT picked up: run with `full` (`--full`) after loading
 * it. Full (with `full`, or when `daily` is empty): re-writes everything. Both give the same rows for the
 * days they write, and re-running either gives identical tables. Rows: every (date, store, product) from
 * the pair's first sale or first price to the data end; see etl-sql.ts for each column.
 */
export async function runEtl(wh: Warehouse, options: EtlOptions = {}): Promise<EtlSummary> {
  const rewriteDays = options.rewriteDays ?? DEFAULT_REWRITE_DAYS;
  if (!Number.isInteger(rewriteDays) || rewriteDays < 0) {
    throw new UsageError(`rewrite days must be a whole number >= 0 (got ${rewriteDays})`);
  }
  return wh.transaction(async () => {
    const withTx = (await wh.scalar("SELECT count(*) FROM (SELECT 1 FROM transactions LIMIT 1)")) > 0;
    const end = await wh.one<{ d: string | null }>(
      `SELECT max(d)::VARCHAR AS d FROM (SELECT max(date) AS d FROM sales
        ${withTx ? "UNION ALL SELECT max(ts)::DATE FROM transactions" : ""})`,
    );
    const dailyEnd = await wh.one<{ d: string | null }>("SELECT max(date)::VARCHAR AS d FROM daily");
    const full = options.full === true || !dailyEnd?.d;
    const mode = full ? "full" : "incremental";
    const to = end?.d ?? null;
    await wh.run("DROP TABLE IF EXISTS _etl_pairs");
    await wh.run(`CREATE TEMP TABLE _etl_pairs AS ${pairsSql(withTx)}`);
    let from: string | null = null;
    if (!full && dailyEnd?.d) {
      from = await firstRewrittenDay(wh, dailyEnd.d, rewriteDays);
    } else if (to) {
      from = await wh
        .one<{ d: string }>("SELECT min(first)::VARCHAR AS d FROM _etl_pairs")
        .then((r) => r?.d ?? to);
    }

    const before = await wh.scalar("SELECT count(*) FROM daily");
    if (full) await wh.run("DELETE FROM daily");
    else if (from) await wh.run(`DELETE FROM daily WHERE date >= ${dateLit(from)}`);
    const rowsDeleted = before - (await wh.scalar("SELECT count(*) FROM daily"));

    let rowsWritten = 0;
    if (to && from && from <= to)
      rowsWritten = await writeWindow(wh, dateLit(from), dateLit(to), withTx, options);
    const dailyRows = await wh.scalar("SELECT count(*) FROM daily");
    await wh.run("DROP TABLE _etl_pairs");
    return { mode, from: rowsWritten > 0 ? from : null, to, rowsDeleted, rowsWritten, dailyRows };
  });
}

async function firstRewrittenDay(wh: Warehouse, dailyEnd: string, rewriteDays: number): Promise<string> {
  const r = await wh.one<{ d: string }>(
    `SELECT (${dateLit(dailyEnd)} - ${rewriteDays - 1}::INT)::VARCHAR AS d`,
  );
  return r!.d;
}

async function writeWindow(
  wh: Warehouse,
  from: string,
  to: string,
  withTx: boolean,
  options: EtlOptions,
): Promise<number> {
  const requirePrice = (await wh.scalar("SELECT count(*) FROM (SELECT 1 FROM prices LIMIT 1)")) > 0;
  const temps = ["_etl_promos", "_etl_bounds"];
  for (const t of temps) await wh.run(`DROP TABLE IF EXISTS ${t}`);
  await wh.run(`CREATE TEMP TABLE _etl_promos AS ${promoDaysSql(from, to)}`);
  await wh.run(`CREATE TEMP TABLE _etl_bounds AS ${boundsSql(from, to)}`);
  const before = await wh.scalar("SELECT count(*) FROM daily");
  // Daily sales from `sales` alone are a scan, cheaper to repeat than to materialize; aggregated
  // transactions are worth computing once.
  const rows = dailyRowsSql(from, to, requirePrice, dailySalesSql(from, to, withTx), withTx);
  // `daily`'s text columns are store/product ids and promo types: dictionaries, no FSST.
  await withBulkInsert(
    wh,
    () =>
      withQueryProgress(wh, "etl daily", options.progress, () => wh.run(`INSERT INTO daily BY NAME ${rows}`)),
    { codesOnly: true },
  );
  for (const t of temps) await wh.run(`DROP TABLE ${t}`);
  return (await wh.scalar("SELECT count(*) FROM daily")) - before;
}
