/**
 * Entry of the stage worker (stage-rows.ts RowStager.start): opens its own DuckDB sink, writes each partition's
 * rows it is sent as a Parquet file and answers with the file (or the error), one request after another.
 */
import { parentPort } from "node:worker_threads";
import { FileSink } from "../data/table-writer.ts";
import { type StageRequest, writeStagedRows } from "./stage-rows.ts";

const port = parentPort;
if (port) {
  const sink = await FileSink.open();
  let chain = Promise.resolve();
  port.on("message", (m: StageRequest) => {
    chain = chain.then(async () => {
      try {
        port.postMessage({ id: m.id, staged: await writeStagedRows(sink, m.rows) });
      } catch (e) {
        port.postMessage({ id: m.id, error: e instanceof Error ? (e.stack ?? e.message) : String(e) });
      }
    });
  });
  port.postMessage({ ready: true });
}
