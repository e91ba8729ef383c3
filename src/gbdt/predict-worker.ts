/**
 * Entry of the background predict thread (predict-background.ts): receives binned prediction states whose arrays
 * live in SharedArrayBuffers, takes their blocks from the state's shared counter like a pool thread, and replies
 * when none is left.
 */
import { parentPort } from "node:worker_threads";
import { type BinnedPredictState, predictBinnedShare } from "./predict-binned.ts";
import { completeRuns } from "./predict-binned-runs.ts";

/** A message to the predict thread. */
export interface PredictWorkRequest {
  id: number;
  state: BinnedPredictState;
}

const port = parentPort;
if (port) {
  port.on("message", (m: PredictWorkRequest) => {
    try {
      // Runs first (the caller joining later waits for them), then blocks until none is left.
      port.postMessage({ id: m.id, runs: completeRuns(m.state, true) });
      predictBinnedShare(m.state);
      port.postMessage({ id: m.id });
    } catch (e) {
      port.postMessage({ id: m.id, error: e instanceof Error ? (e.stack ?? e.message) : String(e) });
    }
  });
  port.postMessage({ ready: true });
}
