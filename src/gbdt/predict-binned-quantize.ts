/**
 * Quantization of binned prediction (predict-binned.ts): raw feature values to the shared mappers' bin indices,
 * row by row or once per run for features constant in it, divided features on their quotients.
 */
import { indexOf, searchPadded } from "./binning.ts";
import type { BinTables, Divide } from "./predict-binned.ts";

/** The bin of value `v` of feature f (`codes`: its categories, null when numeric); NaN and unseen categories: missing. */
function binOf(t: BinTables, f: number, codes: Float64Array | null, v: number): number {
  if (Number.isNaN(v)) return t.missing[f]!;
  if (codes === null) return searchPadded(t.pad, t.offset[f]!, v);
  const b = indexOf(codes, v);
  return b < 0 ? t.missing[f]! : b;
}

/** Feature f's categories, or null when it is numeric. */
function codesOf(t: BinTables, f: number): Float64Array | null {
  return t.categorical[f] === 1 ? t.codes.subarray(t.codeStart[f], t.codeStart[f + 1]) : null;
}

/**
 * Bins of rows [r0, r1) of the feature columns into `bins` (row-major, row r0 first). Numeric: the
 * number of thresholds below the value, by a branch-free search over the padded thresholds; NaN and unseen
 * categories: the missing bin.
 */
export function quantizeBlock(
  t: BinTables,
  columns: readonly (Float32Array | Float64Array)[],
  r0: number,
  r1: number,
  bins: Uint8Array,
  divide: Divide | null = null,
): void {
  const F = t.nFeatures;
  for (let f = 0; f < F; f++) {
    if (t.used[f] === 0) continue;
    const col = columns[f]!;
    const div = divide !== null && divide.divided[f] === 1 ? divide.divisor : null;
    const codes = codesOf(t, f);
    // Forecast rows come series by series, horizon by horizon, and most features (those as of the origin) repeat
    // from row to row: a value equal to the previous row's keeps its bin (NaN never equals, it is binned).
    let prev = Number.NaN;
    let prevBin = t.missing[f]!;
    for (let r = r0; r < r1; r++) {
      const v = div === null ? col[r]! : Math.fround(col[r]! / div[r]!);
      if (v !== prev) {
        prev = v;
        prevBin = binOf(t, f, codes, v);
      }
      bins[(r - r0) * F + f] = prevBin;
    }
  }
}

/**
 * quantizeBlock for a block of runs q0..q1-1 (row runs[q0] first): a feature constant within a run (its bit not
 * set in runVaries) is quantized on the run's first row only, the one row walkRuns reads it from; the others
 * on every row. Forecast runs are a series' horizons, and most features are as of the origin. Divided features
 * (Divide) are quantized on their quotients.
 */
export function quantizeRuns(
  t: BinTables,
  columns: readonly (Float32Array | Float64Array)[],
  runs: Int32Array,
  runVaries: Uint32Array,
  q0: number,
  q1: number,
  bins: Uint8Array,
  divide: Divide | null = null,
): void {
  const F = t.nFeatures;
  const W = (F + 31) >>> 5;
  const r0 = runs[q0]!;
  for (let f = 0; f < F; f++) {
    if (t.used[f] === 0) continue;
    const col = columns[f]!;
    const div = divide !== null && divide.divided[f] === 1 ? divide.divisor : null;
    const codes = codesOf(t, f);
    const word = f >>> 5;
    const bit = 1 << (f & 31);
    let prev = Number.NaN;
    let prevBin = t.missing[f]!;
    for (let q = q0; q < q1; q++) {
      const rs = runs[q]!;
      const n = runs[q + 1]! - rs;
      const varies = (runVaries[q * W + word]! & bit) !== 0;
      const re = varies ? rs + n : rs + 1;
      // The block's previous run, when it has as many rows and also varies in f: a row whose value (and nonzero
      // divisor) equal that run's row at the same offset takes its bin. A forecast's calendar features (weekday,
      // horizon, events) repeat from series to series.
      const back =
        varies && q > q0 && rs - runs[q - 1]! === n && (runVaries[(q - 1) * W + word]! & bit) !== 0 ? n : 0;
      for (let r = rs; r < re; r++) {
        if (
          back !== 0 &&
          col[r] === col[r - back] &&
          (div === null || (div[r] === div[r - back] && div[r] !== 0))
        ) {
          bins[(r - r0) * F + f] = bins[(r - back - r0) * F + f]!;
          continue;
        }
        const v = div === null ? col[r]! : Math.fround(col[r]! / div[r]!);
        if (v !== prev) {
          prev = v;
          prevBin = binOf(t, f, codes, v);
        }
        bins[(r - r0) * F + f] = prevBin;
      }
    }
  }
}
