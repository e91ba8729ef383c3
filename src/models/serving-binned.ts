import type { FeatureRows } from "../features/build.ts";
import type { Booster } from "../gbdt/booster.ts";
import { predictBinned, startPredictBinned } from "../gbdt/predict-binned-run.ts";
import type { QuantileForecast } from "./forecaster.ts";
import { writeLevel } from "./gbdt-quantile.ts";

/**
 * Serving's fast path: the quantile boosters and the Tweedie mean booster (fitted on one Dataset, so they share
 * bins) predicted together on bins (src/gbdt/predict-binned.ts), the rows quantized once for all of them. Fills
 * what predictQuantilesInto and predictTweedieInto (meanOnly) would (level k of row r at
 * [series][horizon step][k], floored at 0; the mean floored at 0), with identical values; `scale` (per row, for
 * quantile boosters fitted on scaled targets) multiplies their predictions back into counts as predictQuantilesInto
 * does. Returns false, having written nothing, when the boosters cannot be walked on shared bins (the caller takes
 * the float path).
 */
export async function predictIntoBinned(
  f: QuantileForecast,
  quantiles: readonly Booster[],
  tweedie: Booster | null,
  rows: FeatureRows,
  columns: readonly Float32Array[],
  threads: number,
  scale: Float32Array | null = null,
): Promise<boolean> {
  const all = tweedie ? [...quantiles, tweedie] : quantiles;
  // Rows come series by series: a series' horizons walk the splits on features as of the origin once.
  const preds = await predictBinned(all, columns, threads, rows.series);
  if (preds === null) return false;
  writeBinned(f, quantiles.length, tweedie !== null, rows, preds, scale);
  return true;
}

/** predictIntoBinned started on the background predict thread; `finish` joins it and fills the forecast. */
export interface PendingInto {
  /** Helps the background thread finish (synchronously, see PendingBinned.join), then fills `f`. */
  finish(): Promise<void>;
}

/**
 * predictIntoBinned on the background predict thread (startPredictBinned; columns in shared memory are read in
 * place until `finish`), with the `divided` features divided by `scale` as relativeFeatures divides them; null
 * (nothing started) when the boosters cannot be walked on shared bins; `constant`: features constant within each
 * series, read on its first row only (startPredictBinned). The forecast is filled by `finish`, with the same
 * values.
 */
export async function startIntoBinned(
  f: QuantileForecast,
  quantiles: readonly Booster[],
  tweedie: Booster | null,
  rows: FeatureRows,
  columns: readonly Float32Array[],
  scale: Float32Array | null = null,
  divided: Uint8Array | null = null,
  constant: Uint8Array | null = null,
): Promise<PendingInto | null> {
  const all = tweedie ? [...quantiles, tweedie] : quantiles;
  // Features relative to the scale: divided where they are quantized (see Divide), not in a copy of the columns.
  const divide = scale && divided ? { divisor: scale, divided } : null;
  const pending = await startPredictBinned(all, columns, rows.series, divide, constant);
  if (pending === null) return null;
  return {
    finish: async () => {
      const preds = await pending.join();
      writeBinned(f, quantiles.length, tweedie !== null, rows, preds, scale);
    },
  };
}

/** Writes the levels (the first nLevels predictions) and the Tweedie mean (the next, when present) into f. */
function writeBinned(
  f: QuantileForecast,
  nLevels: number,
  withTweedie: boolean,
  rows: FeatureRows,
  preds: Float64Array[],
  scale: Float32Array | null,
): void {
  for (let k = 0; k < nLevels; k++) writeLevel(f, k, rows, preds[k]!, scale);
  if (withTweedie) {
    const pred = preds[nLevels]!;
    const mean = f.mean!;
    for (let r = 0; r < pred.length; r++) {
      mean[rows.series[r]! * f.horizon + rows.horizon[r]! - 1] = Math.max(0, pred[r]!);
    }
  }
}
