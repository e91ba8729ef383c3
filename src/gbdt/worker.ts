/**
 * Worker thread entry: announces itself, then sleeps on the pool's sequence number and runs each posted job
 * for its thread index until told to exit. Shared state arrives on its port before a setup job.
 */
import { type MessagePort, parentPort, receiveMessageOnPort, workerData } from "node:worker_threads";
import { JOB_EXIT, JOB_SETUP, type JobState, runJob } from "./jobs.ts";

const { ctrl, port, thread, threads } = workerData as {
  ctrl: Int32Array;
  port: MessagePort;
  thread: number;
  threads: number;
};

parentPort!.postMessage("ready");
let seen = 0;
let state: JobState | null = null;
for (;;) {
  // Sleep until the sequence number moves. A wait that returned without a new job (a spurious or interrupted
  // wake) must not fall through: it would rerun the previous job (its type and arguments are still in ctrl) and
  // count it as done for the next one, letting the main thread read results the worker has not written.
  while (Atomics.load(ctrl, 0) === seen) Atomics.wait(ctrl, 0, seen);
  seen = Atomics.load(ctrl, 0);
  const type = ctrl[2];
  if (type === JOB_EXIT) {
    Atomics.add(ctrl, 1, 1);
    Atomics.notify(ctrl, 1);
    break;
  }
  if (type === JOB_SETUP) state = receiveMessageOnPort(port)!.message as JobState;
  else if (state !== null) runJob(state, type, ctrl[3], ctrl[4], ctrl[5], thread, threads);
  Atomics.add(ctrl, 1, 1);
  Atomics.notify(ctrl, 1);
}
port.close();
