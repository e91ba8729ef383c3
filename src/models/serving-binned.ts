import type { FeatureRows } from "../features/build.ts";
import type { Booster } from "../gbdt/booster.ts";
import { predictBinned } from "../gbdt/predict-binned-run.ts";
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
  for (let k = 0; k < quantiles.length; k++) writeLevel(f, k, rows, preds[k]!, scale);
  if (tweedie) {
    const pred = preds[quantiles.length]!;
    const mean = f.mean!;
    for (let r = 0; r < pred.length; r++) {
      mean[rows.series[r]! * f.horizon + rows.horizon[r]! - 1] = Math.max(0, pred[r]!);
    }
  }
  return true;
}
