/**
 * Runs binned prediction (predict-binned.ts) for a set of boosters on feature columns: one column-major copy,
 * one quantization, every booster's trees walked over the bins, on the calling thread or over the worker pool.
 */
import { InputError } from "../core/errors.ts";
import type { Booster } from "./booster.ts";
import { JOB_PREDICT_BINNED } from "./jobs.ts";
import { getPool } from "./pool.ts";
import { type BackgroundPrediction, predictInBackground } from "./predict-background.ts";
import {
  type BinnedEnsemble,
  type BinnedPredictState,
  BLOCK,
  binTables,
  compileBinned,
  type Divide,
  predictBinnedShare,
  sameMappers,
  usedFeatures,
} from "./predict-binned.ts";
import { completeRuns } from "./predict-binned-runs.ts";

// Compiled once per booster (in shared memory, so the same arrays serve one thread or many).
const compiled = new WeakMap<Booster, BinnedEnsemble | null>();

function compiledOf(b: Booster): BinnedEnsemble | null {
  let e = compiled.get(b);
  if (e === undefined) {
    e = compileBinned(b.model, true);
    compiled.set(b, e);
  }
  return e;
}

/** True when predictBinned can serve these boosters (same mappers, every split expressible on bins). */
export function canPredictBinned(boosters: readonly Booster[]): boolean {
  if (boosters.length === 0) return false;
  const m0 = boosters[0]!.model.mappers;
  return boosters.every((b) => sameMappers(m0, b.model.mappers) && compiledOf(b) !== null);
}

/**
 * Predictions of every booster (link applied, as Booster.predict) for the rows given as feature columns,
 * identical to each booster's own predict; null when the boosters cannot share bins (see canPredictBinned).
 * `threads` > 1 runs over the worker pool. `groups` (a group id per row, e.g. the series of forecast rows): rows
 * of consecutive equal ids form runs, and features constant within every run are walked once per run (see
 * runStops); the scores are the same with or without. `divide`: the divided features' values are their columns'
 * divided by the row's divisor (Divide; Float32 columns only).
 */
export async function predictBinned(
  boosters: readonly Booster[],
  columns: readonly ArrayLike<number>[],
  threads: number,
  groups: ArrayLike<number> | null = null,
  divide: Divide | null = null,
): Promise<Float64Array[] | null> {
  if (!canPredictBinned(boosters)) return null;
  const nRows = columns[0]?.length ?? 0;
  const shared = threads > 1 && nRows > BLOCK;
  const { state, scratch } = prepare(boosters, columns, shared, groups, divide);
  try {
    if (shared) {
      const pool = await getPool(threads);
      pool.setup(state);
      pool.run(JOB_PREDICT_BINNED, 0, 0, 0);
    } else predictBinnedShare(state);
    return state.out.map((raw, k) => boosters[k]!.fromRaw(raw));
  } finally {
    releaseScratch(scratch);
  }
}

/** A binned prediction running on the background thread (startPredictBinned). */
export interface PendingBinned {
  /**
   * Helps finish it on the calling thread (synchronously, before returning the promise), then resolves with the
   * predictions when the background thread is done, as predictBinned returns them.
   */
  join(): Promise<Float64Array[]>;
}

/**
 * predictBinned started on the background predict thread (predict-background.ts) instead of the pool, while the
 * caller goes on with other work until it joins. Float32 columns (and the divisor) in shared memory are read in
 * place: they must not change until the join resolves; other columns are copied before this returns. Null when
 * the boosters cannot share bins. Identical predictions. `constant` (with groups of at most BLOCK rows): features
 * constant within each group, read on its first row only (BinnedPredictState.constant).
 */
export async function startPredictBinned(
  boosters: readonly Booster[],
  columns: readonly ArrayLike<number>[],
  groups: ArrayLike<number> | null = null,
  divide: Divide | null = null,
  constant: Uint8Array | null = null,
): Promise<PendingBinned | null> {
  if (!canPredictBinned(boosters)) return null;
  const { state, scratch } = prepare(boosters, columns, true, groups, divide, true);
  if (constant !== null) {
    if (groups === null) throw new Error("predictBinned: constant features need groups");
    state.constant = shareable(constant, true);
  }
  let background: BackgroundPrediction;
  try {
    background = await predictInBackground(state);
  } catch (e) {
    releaseScratch(scratch);
    throw e;
  }
  return {
    join: async () => {
      try {
        await background.join();
      } finally {
        releaseScratch(scratch);
      }
      return state.out.map((raw, k) => boosters[k]!.fromRaw(raw));
    },
  };
}

/**
 * The state of a binned prediction. Float32 columns (the feature matrix) are read where they are when every
 * thread can read them (on one thread; in shared memory when shared); the other used columns are copied into a
 * kept scratch buffer (all as Float64 when some column is not Float32).
 */
function prepare(
  boosters: readonly Booster[],
  columns: readonly ArrayLike<number>[],
  shared: boolean,
  groups: ArrayLike<number> | null,
  divide: Divide | null,
  background = false,
): { state: BinnedPredictState; scratch: ArrayBuffer | SharedArrayBuffer | null } {
  const mappers = boosters[0]!.model.mappers;
  const F = mappers.length;
  if (columns.length !== F) {
    throw new InputError(
      `the model has ${F} features but the data has ${columns.length}; give the same columns in the same order`,
      { column: "features" },
    );
  }
  const nRows = columns[0]?.length ?? 0;
  // Float32 when every column is (the feature matrix): the values the float walk compares, exactly.
  const f32 = columns.every((c) => c instanceof Float32Array);
  if (divide !== null && !f32) throw new Error("predictBinned: divided features need Float32 columns");
  // Only the features some tree splits on (a small model reads a fraction of them).
  const used = usedFeatures(
    boosters.map((b) => compiledOf(b)!),
    F,
  );
  const direct = (c: ArrayLike<number>): c is Float32Array =>
    f32 && (!shared || (c as Float32Array).buffer instanceof SharedArrayBuffer);
  let copies = 0;
  for (let f = 0; f < F; f++) if (used[f] === 1 && !direct(columns[f]!)) copies++;
  const width = f32 ? 4 : 8;
  const scratch = copies > 0 ? takeScratch(width * copies * nRows, shared) : null;
  try {
    const cols: (Float32Array | Float64Array)[] = [];
    let k = 0;
    for (let f = 0; f < F; f++) {
      const col = columns[f]!;
      if (used[f] === 0) cols.push(f32 ? new Float32Array(0) : new Float64Array(0));
      else if (direct(col)) cols.push(col);
      else {
        const dst = f32
          ? new Float32Array(scratch!, width * k * nRows, nRows)
          : new Float64Array(scratch!, width * k * nRows, nRows);
        k++;
        if (col instanceof Float32Array || col instanceof Float64Array) dst.set(col);
        else for (let i = 0; i < nRows; i++) dst[i] = col[i]!;
        cols.push(dst);
      }
    }
    const state = stateOf(boosters, cols, nRows, shared, groups, used);
    if (divide !== null) {
      state.divisor = shareable(divide.divisor, shared);
      state.divided = shareable(divide.divided, shared);
    }
    if (!background) completeRuns(state, shared);
    return { state, scratch };
  } catch (e) {
    releaseScratch(scratch);
    throw e;
  }
}

/**
 * Copies of the columns (hundreds of MB for a DC partition) in buffers kept from call to call: a fresh one per
 * call cost ~0.08 CPU-s per 100 MB in page faults (the batch job makes two calls per partition, and with
 * background prediction both are in flight at once, so two are kept). A call finding every kept buffer in use
 * gets one of its own.
 */
const kept: { buffer: ArrayBuffer | SharedArrayBuffer; busy: boolean }[] = [];
const KEEP = 2;

function takeScratch(bytes: number, shared: boolean): ArrayBuffer | SharedArrayBuffer {
  const make = () =>
    shared ? new SharedArrayBuffer(Math.max(bytes, 8)) : new ArrayBuffer(Math.max(bytes, 8));
  const fits = kept.find(
    (k) => !k.busy && k.buffer.byteLength >= bytes && k.buffer instanceof SharedArrayBuffer === shared,
  );
  if (fits) {
    fits.busy = true;
    return fits.buffer;
  }
  // Replace a free buffer that does not fit (too small, or of the other kind), else keep one more.
  const free = kept.findIndex((k) => !k.busy);
  if (free < 0 && kept.length >= KEEP) return make();
  const entry = { buffer: make(), busy: true };
  if (free >= 0) kept[free] = entry;
  else kept.push(entry);
  return entry.buffer;
}

function releaseScratch(buffer: ArrayBuffer | SharedArrayBuffer | null): void {
  const k = kept.find((e) => e.buffer === buffer);
  if (k) k.busy = false;
}

/** The prediction state over the columns (only the `used` features are read). */
function stateOf(
  boosters: readonly Booster[],
  columns: (Float32Array | Float64Array)[],
  nRows: number,
  shared: boolean,
  groups: ArrayLike<number> | null,
  used: Uint8Array,
): BinnedPredictState {
  const mappers = boosters[0]!.model.mappers;
  const buf = (bytes: number) =>
    shared ? new SharedArrayBuffer(Math.max(bytes, 8)) : new ArrayBuffer(Math.max(bytes, 8));
  const models = boosters.map((b) => compiledOf(b)!);
  // The runs are found by the first thread to work on it (completeRuns): the background thread, when it predicts.
  return {
    kind: "predict-binned",
    columns,
    nRows,
    tables: binTables(mappers, shared, used),
    models,
    out: boosters.map(() => new Float64Array(buf(8 * nRows), 0, nRows)),
    next: new Int32Array(buf(4), 0, 1),
    runs: null,
    blockRun: null,
    stops: null,
    runVaries: null,
    groups: groups === null ? null : gatherGroups(groups, shared),
    divisor: null,
    divided: null,
    constant: null,
  };
}

/** The array itself when the threads can read it, else a copy in shared memory. */
function shareable<T extends Float32Array | Uint8Array>(a: T, shared: boolean): T {
  if (!shared || a.buffer instanceof SharedArrayBuffer) return a;
  const out = new (a.constructor as new (b: SharedArrayBuffer) => T)(
    new SharedArrayBuffer(Math.max(8, a.byteLength)),
  );
  const view = out.subarray(0, a.length) as T;
  view.set(a);
  return view;
}

/** The group ids as an Int32Array the threads can read. */
function gatherGroups(groups: ArrayLike<number>, shared: boolean): Int32Array {
  const out = shared
    ? new Int32Array(new SharedArrayBuffer(Math.max(4, 4 * groups.length)), 0, groups.length)
    : new Int32Array(groups.length);
  for (let i = 0; i < groups.length; i++) out[i] = groups[i]!;
  return out;
}
