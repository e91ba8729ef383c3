/**
 * Entry of a feature worker thread (parallel.ts): receives jobs whose large arrays live in SharedArrayBuffers,
 * fills the blocks of rows it takes from the shared counter in place, and replies with its group timings.
 */
import { serveRequests } from "../core/worker-entry.ts";
import { type FeatureJob, fillRows } from "./fill-rows.ts";

/** A message to a feature worker. */
export interface FeatureWorkRequest {
  id: number;
  job: FeatureJob;
  bounds: Int32Array;
  next: Int32Array;
}

serveRequests<FeatureWorkRequest>((m) => ({ timings: [fillRows(m.job, m.bounds, m.next)] }));
