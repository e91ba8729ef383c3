/**
 * Entry of a feature worker thread (parallel.ts): receives jobs whose large arrays live in SharedArrayBuffers,
 * fills the blocks of rows it takes from the shared counter in place, and replies with its group timings.
 */
import { parentPort } from "node:worker_threads";
import { type FeatureJob, fillRows } from "./fill-rows.ts";

/** A message to a feature worker. */
export interface FeatureWorkRequest {
  id: number;
  job: FeatureJob;
  bounds: Int32Array;
  next: Int32Array;
}

const port = parentPort;
if (port) {
  port.on("message", (m: FeatureWorkRequest) => {
    try {
      port.postMessage({ id: m.id, timings: [fillRows(m.job, m.bounds, m.next)] });
    } catch (e) {
      port.postMessage({ id: m.id, error: e instanceof Error ? (e.stack ?? e.message) : String(e) });
    }
  });
  port.postMessage({ ready: true });
}
