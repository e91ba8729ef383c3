import { Worker } from "node:worker_threads";
import type { Progress } from "../core/progress.ts";
import { workerEntry } from "../core/worker-entry.ts";
import type { FileSink } from "../data/table-writer.ts";
import type { SimParams } from "./params.ts";
import type { OrderingPolicy } from "./replenishment.ts";
import { runShard, type ShardResult, type ShardSpec } from "./shard.ts";
import type { ShardJob } from "./shard-worker.ts";

/**
 * Runs every shard of a run: on `threads` worker threads (each with its own DuckDB) taking shards from a
 * queue, or one after another on this thread with `sink` when threads <= 1 or a custom ordering policy is
 * given (a function cannot be sent to a worker). Results come back in shard order either way.
 */
export async function runShards(
  p: SimParams,
  dir: string,
  specs: ShardSpec[],
  sink: FileSink,
  options: { threads: number; policy?: OrderingPolicy; progress: Progress },
): Promise<ShardResult[]> {
  const total = specs.length * (p.days + p.burnInDays);
  let done = 0;
  const tick = () => {
    done++;
    if (done % 8 === 0 || done === total) options.progress({ step: "simulate", done, total });
  };
  const threads = Math.min(options.threads, specs.length);
  if (threads <= 1 || options.policy) {
    const out: ShardResult[] = [];
    for (const spec of specs)
      out.push(await runShard(p, dir, spec, sink, { policy: options.policy, onDay: tick }));
    return out;
  }
  const results: ShardResult[] = new Array(specs.length);
  let next = 0;
  const entry = workerEntry(import.meta.url, "shard-worker");
  const workers: Worker[] = [];
  const runWorker = () =>
    new Promise<void>((resolve, reject) => {
      const worker = new Worker(entry.url, { eval: entry.eval });
      workers.push(worker);
      let current = -1;
      const send = () => {
        if (next >= specs.length) {
          worker.postMessage(null satisfies ShardJob);
          return;
        }
        current = next++;
        worker.postMessage({ p, dir, spec: specs[current]! } satisfies ShardJob);
      };
      worker.on("message", (m: { ready?: true; tick?: 1; result?: ShardResult; error?: string }) => {
        if (m.tick) tick();
        else if (m.ready) send();
        else if (m.error !== undefined) {
          reject(new Error(`simulator shard ${current}: ${m.error}`));
        } else if (m.result) {
          results[current] = m.result;
          send();
        }
      });
      worker.on("error", reject);
      worker.on("exit", (code) =>
        code === 0 ? resolve() : reject(new Error(`simulator worker exited with code ${code}`)),
      );
    });
  try {
    await Promise.all(Array.from({ length: threads }, runWorker));
  } catch (e) {
    // One shard failed: stop the others (the caller deletes the half-written directory).
    await Promise.all(workers.map((w) => w.terminate()));
    throw e;
  }
  return results;
}
