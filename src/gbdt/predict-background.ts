/**
 * A background thread for binned prediction: a state posted to it is predicted while the caller goes on with
 * other work (the batch job builds the next partition's features), and the caller can join in later, taking the
 * blocks still left from the same shared counter. Every block is computed whole by one thread, so the scores do
 * not depend on who computed which block.
 */
import type { Worker } from "node:worker_threads";
import { RequestWorker, startReadyWorker, type WorkerReply, workerEntry } from "../core/worker-entry.ts";
import { type BinnedPredictState, predictBinnedShare } from "./predict-binned.ts";
import type { RunFields } from "./predict-binned-runs.ts";
import type { PredictWorkRequest } from "./predict-worker.ts";

type PredictReply = WorkerReply & { runs?: RunFields };

/** The running predict thread: a request's interim reply carries its run fields, the final one says done. */
class PredictThread extends RequestWorker<PredictReply> {
  constructor(worker: Worker) {
    super(worker, "predict worker", (m) => m.runs === undefined);
  }

  /**
   * Posts a state; `runs` resolves with its run fields once the thread has found them (completeRuns), `done`
   * when the thread has no block of it left in hand.
   */
  run(state: BinnedPredictState): { runs: Promise<RunFields>; done: Promise<void> } {
    let found: (r: RunFields) => void = () => {};
    let failRuns: (e: Error) => void = () => {};
    const runs = new Promise<RunFields>((resolve, reject) => {
      found = resolve;
      failRuns = reject;
    });
    const done = this.request(
      (id) => ({ id, state }) satisfies PredictWorkRequest,
      (m) => found(m.runs!),
    ).then(
      () => undefined,
      (e: Error) => {
        failRuns(e);
        throw e;
      },
    );
    return { runs, done };
  }
}

let thread: Promise<PredictThread> | null = null;

/** The predict thread, started on first use (a broken one is replaced). */
async function predictThread(): Promise<PredictThread> {
  const t = thread ? await thread.catch(() => null) : null;
  if (t && !t.broken) return t;
  thread = startThread();
  return thread;
}

async function startThread(): Promise<PredictThread> {
  return new PredictThread(await startReadyWorker(workerEntry(import.meta.url, "predict-worker")));
}

/** Stops the predict thread (tests and short scripts; a long-running process may keep it). */
export async function closePredictThread(): Promise<void> {
  const t = thread;
  thread = null;
  const w = t ? await t.catch(() => null) : null;
  if (w) await w.close();
}

/** A state being predicted in the background. */
export interface BackgroundPrediction {
  /**
   * Takes the blocks still left on the calling thread (once the background thread has found the runs), then
   * resolves when the background thread is done too (the state's `out` is then complete).
   */
  join(): Promise<void>;
}

/** Predicts a shared state (every array in SharedArrayBuffers) on the background thread. */
export async function predictInBackground(state: BinnedPredictState): Promise<BackgroundPrediction> {
  const t = await predictThread();
  const { runs, done } = t.run(state);
  // An abandoned prediction (the caller failed before joining) must not surface as an unhandled rejection.
  runs.catch(() => undefined);
  done.catch(() => undefined);
  return {
    join: async () => {
      // The background thread finds the runs first; the caller shares the blocks only once it has them.
      if (state.groups !== null) Object.assign(state, await runs);
      predictBinnedShare(state);
      return done;
    },
  };
}
