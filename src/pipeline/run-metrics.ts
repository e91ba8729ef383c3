import type { CvReport } from "../validation/evaluate-cv.ts";

/** One tracked metric of one model: value and 95% CI (NaN where there is none), level for per-quantile metrics. */
export interface TrackedMetric {
  model: string;
  metric: string;
  level: number | null;
  value: number;
  lo: number;
  hi: number;
}

/** The run's overall metrics as tracking rows; a trailing `_0.95`-style suffix is the metric's quantile level. */
export function runMetrics(report: CvReport): TrackedMetric[] {
  return report.overall.flatMap((o) =>
    o.estimates.map((e) => {
      const m = /_(0\.\d+|1)$/.exec(e.metric);
      return {
        model: o.model,
        metric: e.metric,
        level: m ? Number(m[1]) : null,
        value: e.value,
        lo: e.lo,
        hi: e.hi,
      };
    }),
  );
}
