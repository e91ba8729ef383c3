/**
 * Entry of the stage worker (stage-rows.ts RowStager.start): opens its own DuckDB sink, writes each partition's
 * rows it is sent as a Parquet file and answers with the file (or the error), one request after another.
 */
import { isMainThread } from "node:worker_threads";
import { serveRequests } from "../core/worker-entry.ts";
import { FileSink } from "../data/table-writer.ts";
import { type StageRequest, writeStagedRows } from "./stage-rows.ts";

if (!isMainThread) {
  const sink = await FileSink.open();
  serveRequests<StageRequest>(async (m) => ({ staged: await writeStagedRows(sink, m.rows) }));
}
