import type { Metric } from "./metric.ts";
import {
  meanPinballMetric,
  meanScaledPinballMetric,
  pinballMetric,
  scaledPinballMetric,
  weightedPinballMetric,
} from "./pinball.ts";
import { bias, coverageMetric, mae, rmse, strictCoverageMetric, wape } from "./point.ts";

/**
 * The standard metric set of SPEC §2 for the given quantile levels: pinball per level (plain, price-weighted,
 * volume-scaled), their means, coverage P(y <= q) and P(y < q) per level, bias, WAPE, MAE, RMSE.
 */
export function standardMetrics(taus: readonly number[]): Metric[] {
  const perLevel = taus.flatMap((tau, k) => [
    pinballMetric(k, tau),
    weightedPinballMetric(k, tau),
    scaledPinballMetric(k, tau),
    coverageMetric(k, tau),
    strictCoverageMetric(k, tau),
  ]);
  return [meanPinballMetric(taus), meanScaledPinballMetric(taus), ...perLevel, bias, wape, mae, rmse];
}
