/**
 * A persistent pool of worker threads driven through shared memory. The main thread is thread 0 and works too;
 * workers 1..T-1 sleep in Atomics.wait on a sequence number and wake when a job is posted (a few microseconds,
 * against ~50 us for a postMessage round trip, which matters at tens of thousands of histogram jobs per model).
 * Large state (bins, gradients, histograms, models) is handed over once per session with `setup` and lives in
 * SharedArrayBuffers; a job carries only its type and three integers.
 */
import { availableParallelism } from "node:os";
import { MessageChannel, type MessagePort, Worker } from "node:worker_threads";
import { workerEntry } from "../core/worker-entry.ts";
import { JOB_EXIT, JOB_SETUP, type JobState, runJob } from "./jobs.ts";

const SEQ = 0;
const DONE = 1;
const TYPE = 2;
const ARG = 3;

/** Default thread count: the cores Node may use. */
export function defaultThreads(): number {
  return Math.max(1, availableParallelism());
}

/** Worker threads plus the main thread, running jobs over shared state. */
export class WorkerPool {
  private state: JobState | null = null;

  private constructor(
    /** Threads including the main thread. */
    readonly threads: number,
    private readonly ctrl: Int32Array,
    private readonly workers: Worker[],
    private readonly ports: MessagePort[],
  ) {}

  /** Starts threads - 1 workers and waits until each is listening. */
  static async open(threads: number): Promise<WorkerPool> {
    const ctrl = new Int32Array(new SharedArrayBuffer(64));
    const workers: Worker[] = [];
    const ports: MessagePort[] = [];
    const ready: Promise<void>[] = [];
    const entry = workerEntry(import.meta.url, "worker");
    for (let t = 1; t < threads; t++) {
      const { port1, port2 } = new MessageChannel();
      const w = new Worker(entry.url, {
        eval: entry.eval,
        workerData: { ctrl, port: port2, thread: t, threads },
        transferList: [port2],
      });
      ready.push(
        new Promise((resolve, reject) => {
          w.once("message", () => resolve());
          w.once("error", reject);
        }),
      );
      workers.push(w);
      ports.push(port1);
    }
    await Promise.all(ready);
    // A pool that is never closed must not keep the process alive (only once started: an unref'd worker that is
    // still loading would let the process exit before it says ready).
    for (const w of workers) w.unref();
    return new WorkerPool(threads, ctrl, workers, ports);
  }

  /** Hands new shared state to every thread (the main thread keeps the same object). */
  setup(state: JobState): void {
    if (this.state === state) return;
    this.state = state;
    for (const p of this.ports) p.postMessage(state);
    this.dispatch(JOB_SETUP, 0, 0, 0);
  }

  /** Runs a job on every thread (thread 0 on the caller) and returns when all are done. */
  run(type: number, a0: number, a1: number, a2: number): void {
    if (this.state === null) throw new Error("WorkerPool.run before setup");
    this.dispatch(type, a0, a1, a2);
  }

  private dispatch(type: number, a0: number, a1: number, a2: number): void {
    const c = this.ctrl;
    c[TYPE] = type;
    c[ARG] = a0;
    c[ARG + 1] = a1;
    c[ARG + 2] = a2;
    Atomics.store(c, DONE, 0);
    Atomics.add(c, SEQ, 1);
    Atomics.notify(c, SEQ);
    if (type !== JOB_SETUP && type !== JOB_EXIT && this.state !== null) {
      runJob(this.state, type, a0, a1, a2, 0, this.threads);
    }
    const need = this.workers.length;
    for (let d = Atomics.load(c, DONE); d < need; d = Atomics.load(c, DONE)) Atomics.wait(c, DONE, d);
  }

  /** Stops the workers. */
  async close(): Promise<void> {
    if (this.workers.length === 0) return;
    const exits = this.workers.map((w) => {
      w.ref();
      return new Promise((resolve) => w.once("exit", resolve));
    });
    this.dispatch(JOB_EXIT, 0, 0, 0);
    for (const p of this.ports) p.close();
    await Promise.all(exits);
    this.workers.length = 0;
  }
}

const pools = new Map<number, Promise<WorkerPool>>();
const opened = new Map<number, WorkerPool>();

/** A shared pool of `threads` threads, started on first use and reused (one session at a time per pool). */
export function getPool(threads: number): Promise<WorkerPool> {
  let p = pools.get(threads);
  if (p === undefined) {
    p = WorkerPool.open(threads);
    pools.set(threads, p);
    p.then(
      (pool) => {
        if (pools.get(threads) === p) opened.set(threads, pool);
      },
      () => undefined,
    );
    // A pool that failed to start is forgotten, so the next call tries again.
    p.catch(() => pools.delete(threads));
  }
  return p;
}

/** The shared pool of `threads` threads if it has started, else null (for synchronous callers). */
export function openedPool(threads: number): WorkerPool | null {
  return opened.get(threads) ?? null;
}

/** Stops every shared pool (tests and short scripts call this; long-running processes may keep them). */
export async function closePools(): Promise<void> {
  const all = [...pools.values()];
  pools.clear();
  opened.clear();
  for (const p of all) await (await p).close();
}
