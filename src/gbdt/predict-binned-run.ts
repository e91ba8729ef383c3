/**
 * Runs binned prediction (predict-binned.ts) for a set of boosters on feature columns: one column-major copy,
 * one quantization, every booster's trees walked over the bins, on the calling thread or over the worker pool.
 */
import { InputError } from "../core/errors.ts";
import type { Booster } from "./booster.ts";
import { JOB_PREDICT_BINNED } from "./jobs.ts";
import { getPool } from "./pool.ts";
import {
  type BinnedEnsemble,
  type BinnedPredictState,
  BLOCK,
  binTables,
  compileBinned,
  predictBinnedShare,
  sameMappers,
  usedFeatures,
} from "./predict-binned.ts";
import { rowRuns, runStops } from "./predict-binned-runs.ts";

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
 * runStops); the scores are the same with or without.
 */
export async function predictBinned(
  boosters: readonly Booster[],
  columns: readonly ArrayLike<number>[],
  threads: number,
  groups: ArrayLike<number> | null = null,
): Promise<Float64Array[] | null> {
  if (!canPredictBinned(boosters)) return null;
  const mappers = boosters[0]!.model.mappers;
  const F = mappers.length;
  if (columns.length !== F) {
    throw new InputError(
      `the model has ${F} features but the data has ${columns.length}; give the same columns in the same order`,
      { column: "features" },
    );
  }
  const nRows = columns[0]?.length ?? 0;
  const shared = threads > 1 && nRows > BLOCK;
  // Float32 when every column is (the feature matrix): the values the float walk compares, exactly.
  const f32 = columns.every((c) => c instanceof Float32Array);
  const scratch = takeScratch((f32 ? 4 : 8) * F * nRows, shared);
  try {
    const x = f32 ? new Float32Array(scratch, 0, F * nRows) : new Float64Array(scratch, 0, F * nRows);
    // Only the features some tree splits on (a small model reads a fraction of them).
    const used = usedFeatures(
      boosters.map((b) => compiledOf(b)!),
      F,
    );
    columns.forEach((col, f) => {
      if (used[f] === 0) return;
      if (col instanceof Float32Array || col instanceof Float64Array) x.set(col, f * nRows);
      else for (let i = 0; i < nRows; i++) x[f * nRows + i] = col[i]!;
    });
    return await predictOn(boosters, x, nRows, threads, shared, groups, used);
  } finally {
    releaseScratch(scratch);
  }
}

/**
 * The copy of the columns (hundreds of MB for a DC partition) in a buffer kept from call to call: a fresh one
 * per call cost ~0.08 CPU-s per 100 MB in page faults (the batch job makes two calls per partition). A call
 * made while the buffer is in use gets a buffer of its own.
 */
let kept: { buffer: ArrayBuffer | SharedArrayBuffer; busy: boolean } | null = null;

function takeScratch(bytes: number, shared: boolean): ArrayBuffer | SharedArrayBuffer {
  const fits =
    kept !== null &&
    !kept.busy &&
    kept.buffer.byteLength >= bytes &&
    kept.buffer instanceof SharedArrayBuffer === shared;
  if (!fits && kept?.busy)
    return shared ? new SharedArrayBuffer(Math.max(bytes, 8)) : new ArrayBuffer(Math.max(bytes, 8));
  if (!fits)
    kept = {
      buffer: shared ? new SharedArrayBuffer(Math.max(bytes, 8)) : new ArrayBuffer(Math.max(bytes, 8)),
      busy: false,
    };
  kept!.busy = true;
  return kept!.buffer;
}

function releaseScratch(buffer: ArrayBuffer | SharedArrayBuffer): void {
  if (kept?.buffer === buffer) kept.busy = false;
}

/** predictBinned on the column-major copy x (only the `used` features copied). */
async function predictOn(
  boosters: readonly Booster[],
  x: Float32Array | Float64Array,
  nRows: number,
  threads: number,
  shared: boolean,
  groups: ArrayLike<number> | null,
  used: Uint8Array,
): Promise<Float64Array[]> {
  const mappers = boosters[0]!.model.mappers;
  const F = mappers.length;
  const buf = (bytes: number) =>
    shared ? new SharedArrayBuffer(Math.max(bytes, 8)) : new ArrayBuffer(Math.max(bytes, 8));
  const models = boosters.map((b) => compiledOf(b)!);
  const r = groups ? rowRuns(groups, x, F, nRows, shared, used) : null;
  const state: BinnedPredictState = {
    kind: "predict-binned",
    x,
    nRows,
    tables: binTables(mappers, shared, used),
    models,
    out: boosters.map(() => new Float64Array(buf(8 * nRows), 0, nRows)),
    next: new Int32Array(buf(4), 0, 1),
    runs: r?.runs ?? null,
    blockRun: r?.blockRun ?? null,
    stops: r ? models.map((e) => runStops(e, r.varies, shared)) : null,
    runVaries: r?.runVaries ?? null,
  };
  if (shared) {
    const pool = await getPool(threads);
    pool.setup(state);
    pool.run(JOB_PREDICT_BINNED, 0, 0, 0);
  } else predictBinnedShare(state);
  return state.out.map((raw, k) => boosters[k]!.fromRaw(raw));
}
