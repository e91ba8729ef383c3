/**
 * The serving side of ProductionModel.predict: kept feature buffers, the first-row-only features of forecast rows
 * (which columns, and the row scales computed on those rows), the row selection and the row-major copy of the
 * float walk.
 */
import { gather, gatherInt32 } from "../core/gather.ts";
import type { FeatureMatrix, FeatureRows } from "../features/build.ts";
import { type FeatureSettings, featureNames } from "../features/names.ts";
import type { RowMajorMatrix } from "../gbdt/dataset.ts";
import type { FeatureData } from "./forecaster.ts";
import { rowScales, type ScaleSpec } from "./series-scale.ts";

/**
 * Feature column buffers of earlier predict calls, reused by the next (fresh ones cost their page faults); a call
 * holds what it took until it releases it, so a background prediction's columns are never reused while it runs
 * (the batch job keeps two partitions' sets in use: one predicted, one being built).
 */
const keptColumns: ArrayBuffer[] = [];
const keptShared: SharedArrayBuffer[] = [];
/** Buffer sizes are rounded up to this (partitions of similar size then reuse each other's buffers). */
const GRAIN = 1 << 18;
/** Kept buffers at most: two partitions' feature and relative columns, with room to spare. */
const KEEP_COLUMNS = 320;

/**
 * An allocator of Float32 columns over the kept buffers (in shared memory with `shared`, for the threads that
 * read them in place; the smallest kept buffer that fits), and `release` to give back what it handed out.
 * Nothing handed out may be used after release.
 */
export function takeColumns(shared: boolean): {
  alloc: (length: number) => Float32Array;
  release: () => void;
} {
  const used: (ArrayBuffer | SharedArrayBuffer)[] = [];
  const pool: (ArrayBuffer | SharedArrayBuffer)[] = shared ? keptShared : keptColumns;
  return {
    alloc: (length) => {
      const bytes = Math.max(GRAIN, Math.ceil((4 * length) / GRAIN) * GRAIN);
      let k = -1;
      for (let j = 0; j < pool.length; j++) {
        const size = pool[j]!.byteLength;
        if (size >= bytes && (k < 0 || size < pool[k]!.byteLength)) k = j;
      }
      const buffer =
        k >= 0 ? pool.splice(k, 1)[0]! : shared ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes);
      used.push(buffer);
      return new Float32Array(buffer, 0, length);
    },
    release: () => {
      pool.push(...used);
      used.length = 0;
      // Over the limit, the smallest go first.
      if (pool.length > KEEP_COLUMNS) {
        pool.sort((x, y) => y.byteLength - x.byteLength);
        pool.length = KEEP_COLUMNS;
      }
    },
  };
}

/**
 * 1 for each matrix column written on a run's first row only under BuildOptions.runFirstOnly: the features as of
 * the origin (featureNames' first asofCount) and the static ones (after the target features).
 */
export function constantInRuns(
  settings: FeatureSettings,
  daily: Pick<FeatureData["daily"], "categoricals" | "numerics">,
  names: readonly string[],
): Uint8Array {
  const all = featureNames(settings, daily);
  const constant = new Set(
    all.names.filter((_, f) => f < all.asofCount || f >= all.asofCount + all.targetCount),
  );
  return Uint8Array.from(names, (name) => +constant.has(name));
}

/**
 * rowScales of a matrix whose features as of the origin are on each series' first row only (runFirstOnly; forecast
 * rows: one origin per series): computed on those rows, then given to every row of the series.
 */
export function firstRowScales(m: FeatureMatrix, spec: ScaleSpec): Float32Array {
  const series = m.rows.series;
  const n = series.length;
  const first: number[] = [];
  for (let r = 0; r < n; r++) if (r === 0 || series[r] !== series[r - 1]) first.push(r);
  const idx = Int32Array.from(first);
  const rows = {
    series: gatherInt32(series, idx),
    origin: gatherInt32(m.rows.origin, idx),
    horizon: gatherInt32(m.rows.horizon, idx),
  };
  const perSeries = rowScales({ ...m, columns: m.columns.map((c) => gather(c, idx)), rows }, spec);
  const out = new Float32Array(n);
  for (let q = 0; q < first.length; q++) out.fill(perSeries[q]!, first[q]!, first[q + 1] ?? n);
  return out;
}

/** Columns as one row-major Float32 matrix (in a SharedArrayBuffer for the worker pool). */
export function rowMajor(columns: readonly Float32Array[], shared: boolean): RowMajorMatrix {
  const nCols = columns.length;
  const nRows = columns[0]?.length ?? 0;
  const bytes = Math.max(1, nRows * nCols) * 4;
  const data = new Float32Array(
    shared ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes),
    0,
    nRows * nCols,
  );
  const BLOCK = 256; // rows per block: the block's part of the matrix stays in cache while the columns stream in
  for (let r0 = 0; r0 < nRows; r0 += BLOCK) {
    const r1 = Math.min(nRows, r0 + BLOCK);
    for (let c = 0; c < nCols; c++) {
      const col = columns[c]!;
      for (let r = r0; r < r1; r++) data[r * nCols + c] = col[r]!;
    }
  }
  return { data, nRows, nCols };
}

/** The forecast rows of the chosen series only (same order as `all`). */
export function onlySeries(all: FeatureRows, series: ArrayLike<number>, nSeries: number): FeatureRows {
  const want = new Uint8Array(nSeries);
  for (let k = 0; k < series.length; k++) want[series[k]!] = 1;
  let m = 0;
  for (let r = 0; r < all.series.length; r++) m += want[all.series[r]!]!;
  const out = { series: new Int32Array(m), origin: new Int32Array(m), horizon: new Int32Array(m) };
  let k = 0;
  for (let r = 0; r < all.series.length; r++) {
    if (!want[all.series[r]!]) continue;
    out.series[k] = all.series[r]!;
    out.origin[k] = all.origin[r]!;
    out.horizon[k] = all.horizon[r]!;
    k++;
  }
  return out;
}
