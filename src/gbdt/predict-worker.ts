/**
 * Entry of the background predict thread (predict-background.ts): receives binned prediction states whose arrays
 * live in SharedArrayBuffers, takes their blocks from the state's shared counter like a pool thread, and replies
 * when none is left.
 */
import { serveRequests } from "../core/worker-entry.ts";
import { type BinnedPredictState, predictBinnedShare } from "./predict-binned.ts";
import { completeRuns } from "./predict-binned-runs.ts";

/** A message to the predict thread. */
export interface PredictWorkRequest {
  id: number;
  state: BinnedPredictState;
}

serveRequests<PredictWorkRequest>((m, interim) => {
  // Runs first (the caller joining later waits for them), then blocks until none is left.
  interim({ runs: completeRuns(m.state, true) });
  predictBinnedShare(m.state);
  return {};
});
