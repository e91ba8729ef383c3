import { Rng } from "../core/rng.ts";
import { quantileSorted } from "../core/stats.ts";
import { finishMetric, type Metric, type MetricRow } from "./metric.ts";

/** A long forecast table in columns: one row per (series, target date), quantiles as one array per level. */
export interface ForecastColumns {
  actual: ArrayLike<number>;
  /** One array per quantile level, aligned with the metric set's levels. */
  q: ArrayLike<number>[];
  /** Point forecast per row (mean, or the median when the model has no mean). */
  point: ArrayLike<number>;
  /** Row weights for weighted metrics (e.g. price); all 1 when omitted. */
  weight?: ArrayLike<number>;
  /** Series index of each row (0..nSeries-1): the unit the bootstrap resamples. */
  series: ArrayLike<number>;
}

/** A metric's point estimate with a 95% bootstrap confidence interval over series. */
export interface Estimate {
  metric: string;
  value: number;
  lo: number;
  hi: number;
  rows: number;
  /** The bootstrap values (only with `keepDraws`): same seed and series give the same resamples, so two
   * models' draws pair up for a paired comparison. */
  draws?: Float64Array;
}

/** Options of `evaluate`: bootstrap draws (0 = no CI) and the seed. */
export interface EvaluateOptions {
  bootstrap?: number;
  seed?: number;
  /** Only rows where this is true (e.g. one group of a breakdown). */
  mask?: ArrayLike<boolean | number>;
  /** Keep the bootstrap draws on each estimate (for paired comparisons). */
  keepDraws?: boolean;
}

/**
 * Computes every metric on the table, with 95% percentile-bootstrap intervals from resampling whole series
 * (rows of a series are correlated, so resampling rows would make the intervals too narrow).
 */
export function evaluate(
  cols: ForecastColumns,
  metrics: Metric[],
  options: EvaluateOptions = {},
): Estimate[] {
  const draws = options.bootstrap ?? 500;
  const n = cols.actual.length;
  let nSeries = 0;
  for (let i = 0; i < n; i++) nSeries = Math.max(nSeries, cols.series[i]! + 1);
  const m = metrics.length;
  // Per-series sums: [series][metric][num, den]
  const sums = new Float64Array(nSeries * m * 2);
  const acc = new Float64Array(2);
  const q = new Float64Array(cols.q.length);
  const row: MetricRow = { actual: 0, q, point: 0, weight: 1 };
  const present = new Uint8Array(nSeries);
  let rows = 0;
  for (let i = 0; i < n; i++) {
    if (options.mask && !options.mask[i]) continue;
    const y = cols.actual[i]!;
    if (Number.isNaN(y)) continue;
    rows++;
    row.actual = y;
    for (let k = 0; k < q.length; k++) q[k] = cols.q[k]![i]!;
    row.point = cols.point[i]!;
    row.weight = cols.weight ? cols.weight[i]! : 1;
    const s = cols.series[i]!;
    present[s] = 1;
    for (let j = 0; j < m; j++) {
      acc[0] = 0;
      acc[1] = 0;
      metrics[j]!.accumulate(row, acc);
      sums[(s * m + j) * 2] += acc[0];
      sums[(s * m + j) * 2 + 1] += acc[1];
    }
  }
  const seriesIds: number[] = [];
  for (let s = 0; s < nSeries; s++) if (present[s]) seriesIds.push(s);
  const total = new Float64Array(m * 2);
  for (const s of seriesIds) for (let t = 0; t < m * 2; t++) total[t] += sums[s * m * 2 + t]!;
  const values = metrics.map((mt, j) => finishMetric(mt, total[j * 2]!, total[j * 2 + 1]!));
  const boot: Float64Array[] = metrics.map(() => new Float64Array(draws));
  if (draws > 0 && seriesIds.length > 1) {
    const rng = new Rng(options.seed ?? 1);
    const t = new Float64Array(m * 2);
    for (let b = 0; b < draws; b++) {
      t.fill(0);
      for (let i = 0; i < seriesIds.length; i++) {
        const base = seriesIds[rng.int(seriesIds.length)]! * m * 2;
        for (let k = 0; k < m * 2; k++) t[k] += sums[base + k]!;
      }
      for (let j = 0; j < m; j++) boot[j]![b] = finishMetric(metrics[j]!, t[j * 2]!, t[j * 2 + 1]!);
    }
  }
  return metrics.map((mt, j) => {
    const ok = draws > 0 && seriesIds.length > 1;
    const sorted = ok ? boot[j]!.filter((v) => Number.isFinite(v)).sort() : new Float64Array(0);
    return {
      metric: mt.name,
      value: values[j]!,
      lo: sorted.length > 0 ? quantileSorted(sorted, 0.025) : Number.NaN,
      hi: sorted.length > 0 ? quantileSorted(sorted, 0.975) : Number.NaN,
      rows,
      ...(options.keepDraws && ok ? { draws: boot[j]! } : {}),
    };
  });
}

/**
 * Ratio a / b of two models' values of one metric with a 95% paired-bootstrap interval: both estimates must
 * come from `evaluate` with the same seed, the same series and `keepDraws`, so draw k resampled the same series
 * for both. Much tighter than comparing two separate intervals, because between-series variation cancels.
 */
export function pairedRatio(a: Estimate, b: Estimate): { ratio: number; lo: number; hi: number } {
  const ratio = a.value / b.value;
  if (!a.draws || !b.draws || a.draws.length !== b.draws.length)
    return { ratio, lo: Number.NaN, hi: Number.NaN };
  const r = Float64Array.from(a.draws, (v, k) => v / b.draws![k]!)
    .filter((v) => Number.isFinite(v))
    .sort();
  return { ratio, lo: quantileSorted(r, 0.025), hi: quantileSorted(r, 0.975) };
}
