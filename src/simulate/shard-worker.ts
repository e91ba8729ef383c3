/**
 * Worker thread entry of the simulator: opens its own DuckDB sink, then runs each shard it is sent and
 * answers with the shard's result (or its error), posting a tick per simulated day for progress.
 */
import { parentPort } from "node:worker_threads";
import { FileSink } from "../data/table-writer.ts";
import type { SimParams } from "./params.ts";
import { runShard, type ShardSpec } from "./shard.ts";

/** A message to a shard worker: a shard to run, or null to close. */
export type ShardJob = { p: SimParams; dir: string; spec: ShardSpec } | null;

const port = parentPort!;
const sink = await FileSink.open();
let chain = Promise.resolve();
port.on("message", (job: ShardJob) => {
  // Jobs run one after another even if the pool sends the next one early.
  chain = chain.then(async () => {
    if (job === null) {
      sink.close();
      port.close();
      return;
    }
    try {
      const result = await runShard(job.p, job.dir, job.spec, sink, {
        onDay: () => port.postMessage({ tick: 1 }),
      });
      port.postMessage({ result });
    } catch (e) {
      port.postMessage({ error: e instanceof Error ? (e.stack ?? e.message) : String(e) });
    }
  });
});
port.postMessage({ ready: true });
