/**
 * buildFeatures over worker threads: the panel, the rows and the output columns live in SharedArrayBuffers, the
 * rows are cut into blocks at series boundaries, and the calling thread and `threads - 1` workers take blocks from
 * a shared counter and run the same row loop (fill-rows.ts) on them. Each row's values depend only on its series
 * and the shared inputs, so the matrix is bit-identical to buildFeatures' for any thread count.
 */
import { availableParallelism } from "node:os";
import type { Worker } from "node:worker_threads";
import { RequestWorker, startReadyWorker, type WorkerReply, workerEntry } from "../core/worker-entry.ts";
import type { DailyPanel } from "../data/to-panel.ts";
import { type BuildOptions, buildFeatures, type FeatureMatrix, finishMatrix, prepareJob } from "./build.ts";
import type { CalendarFlags } from "./calendar.ts";
import { seriesBlocks } from "./feature-blocks.ts";
import type { FeatureWorkRequest } from "./feature-worker.ts";
import { type FeatureRows, fillRows } from "./fill-rows.ts";
import type { FeatureSettings } from "./names.ts";

/** Build options plus the thread count (the calling thread included). */
export interface ParallelBuildOptions extends BuildOptions {
  /** Threads including the caller (default: the cores Node may use; 1 = buildFeatures on this thread). */
  threads?: number;
}

/** Blocks per thread: enough that a thread slowed by other processes takes fewer, few enough to cost nothing. */
const BLOCKS_PER_THREAD = 8;
/** Below this many rows per thread a worker costs more (posting, waking) than it saves. */
const MIN_ROWS_PER_THREAD = 20_000;

/** Threads worth using for `nRows` feature rows, at most `max` (1 when the rows are few). */
export function featureThreads(nRows: number, max: number): number {
  return Math.max(1, Math.min(max, Math.floor(nRows / MIN_ROWS_PER_THREAD)));
}

/**
 * The feature matrix of buildFeatures, computed on `threads` threads (bit-identical). Without an explicit thread
 * count, small jobs stay on the calling thread. Output columns are backed by SharedArrayBuffers.
 */
export async function buildFeaturesParallel(
  panel: DailyPanel,
  calendar: CalendarFlags,
  settings: FeatureSettings,
  rows: FeatureRows,
  options: ParallelBuildOptions = {},
): Promise<FeatureMatrix> {
  const n = rows.series.length;
  const threads = options.threads ?? featureThreads(n, availableParallelism());
  const bounds = seriesBlocks(rows, Math.max(1, threads) * BLOCKS_PER_THREAD);
  const used = Math.min(threads, bounds.length - 1);
  if (used <= 1) return buildFeatures(panel, calendar, settings, rows, options);
  // Workers start (or wake) while this thread copies the inputs to shared memory.
  const starting = featureWorkers(used - 1);
  const prepared = prepareJob(panel, calendar, settings, rows, options, sharedFloat32, toShared);
  const workers = await starting;
  const next = new Int32Array(new SharedArrayBuffer(4));
  const request: Omit<FeatureWorkRequest, "id"> = { job: prepared.job, bounds, next };
  const replies = workers.map((w) => w.run(request));
  let mine: Record<string, number>[] = [];
  try {
    mine = [fillRows(prepared.job, bounds, next)];
  } finally {
    // Whatever happened here, the workers are still writing into the shared columns: wait for them.
    await Promise.allSettled(replies);
  }
  const theirs = await Promise.all(replies);
  return finishMatrix(prepared, [...mine, ...theirs.flat()], rows);
}

/** A zero-filled Float32Array over a SharedArrayBuffer. */
function sharedFloat32(length: number): Float32Array {
  return new Float32Array(new SharedArrayBuffer(length * 4));
}

/** Shared copies of input arrays, kept while the original lives (backtest folds rebuild features on one panel). */
const sharedCopies = new WeakMap<object, Int32Array | Float32Array | Uint8Array | Float64Array>();

/** The array itself when already shared, else its copy in a SharedArrayBuffer (made once per array). */
function toShared<T extends Int32Array | Float32Array | Uint8Array | Float64Array>(a: T): T {
  if (a.buffer instanceof SharedArrayBuffer) return a;
  const known = sharedCopies.get(a) as T | undefined;
  // Reused only if still byte-equal (a memcmp, far cheaper than a fresh copy): the original may be changed in place.
  if (known && known.length === a.length && bytesOf(known).equals(bytesOf(a))) return known;
  const Ctor = a.constructor as new (buffer: SharedArrayBuffer) => T;
  const out = new Ctor(new SharedArrayBuffer(a.byteLength));
  out.set(a as never);
  sharedCopies.set(a, out);
  return out;
}

/** The bytes of a typed array, as a Buffer view (no copy). */
function bytesOf(a: Int32Array | Float32Array | Uint8Array | Float64Array): Buffer {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength);
}

/** One feature worker thread: a request resolves with the worker's per-block timings. */
class FeatureWorker extends RequestWorker<WorkerReply & { timings?: Record<string, number>[] }> {
  constructor(worker: Worker) {
    super(worker, "feature worker");
  }

  /** Runs a request; resolves with the worker's per-block timings. */
  async run(request: Omit<FeatureWorkRequest, "id">): Promise<Record<string, number>[]> {
    const reply = await this.request((id) => ({ ...request, id }) satisfies FeatureWorkRequest);
    return reply.timings ?? [];
  }
}

let pool: Promise<FeatureWorker>[] = [];

/** `count` running feature workers, started on first use and reused (a broken one is replaced). */
async function featureWorkers(count: number): Promise<FeatureWorker[]> {
  const alive = await Promise.all(pool.map((p) => p.catch(() => null)));
  pool = pool.filter((_, k) => alive[k] !== null && !alive[k]!.broken);
  while (pool.length < count) pool.push(startWorker());
  return Promise.all(pool.slice(0, count));
}

/** Starts a worker and resolves once it is listening. */
async function startWorker(): Promise<FeatureWorker> {
  return new FeatureWorker(await startReadyWorker(workerEntry(import.meta.url, "feature-worker")));
}

/** Starts the workers of a `threads`-thread build ahead of time (they load their code while the caller works). */
export async function startFeatureWorkers(threads: number): Promise<void> {
  await featureWorkers(Math.max(0, threads - 1));
}

/** Stops the feature workers (tests and short scripts; a long-running process may keep them). */
export async function closeFeatureWorkers(): Promise<void> {
  const all = pool;
  pool = [];
  for (const p of all) {
    const w = await p.catch(() => null);
    if (w) await w.close();
  }
}
