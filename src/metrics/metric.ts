/**
 * Metrics as small objects that state their direction, so early stopping and model choice never guess
 * (LightGBM metric.h). Every metric here is a ratio of sums, `sum(num) / sum(den)` over rows, which makes
 * it additive per series: a bootstrap over series resamples per-series sums instead of rows.
 */
export interface Metric {
  name: string;
  higherIsBetter: boolean;
  /** When set, neither direction is better: closer to this value is (coverage -> its level, bias -> 0). */
  target?: number;
  /** Adds row i's contribution to `acc[0]` (numerator) and `acc[1]` (denominator). */
  accumulate(row: MetricRow, acc: Float64Array): void;
  /** Turns the summed numerator and denominator into the metric's value (default num / den). */
  finish?(num: number, den: number): number;
}

/** One forecast row as the metrics see it: actual, the forecast quantiles (by level), an optional mean and weight. */
export interface MetricRow {
  actual: number;
  /** Predicted quantiles, aligned with the level list the metric was built for. */
  q: ArrayLike<number>;
  /** Point forecast (the mean where the model has one, else the median). */
  point: number;
  /** Row weight for weighted metrics (e.g. price); 1 when unweighted. */
  weight: number;
}

/** Value of a metric from summed numerator and denominator. */
export function finishMetric(m: Metric, num: number, den: number): number {
  return m.finish ? m.finish(num, den) : num / den;
}

/** True when metric value `a` is better than `b` (reads the metric's direction or target). */
export function isBetter(m: Metric, a: number, b: number): boolean {
  if (m.target !== undefined) return Math.abs(a - m.target) < Math.abs(b - m.target);
  return m.higherIsBetter ? a > b : a < b;
}
