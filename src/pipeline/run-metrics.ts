import type { RunMetric } from "../tracking/index.ts";
import type { CvReport } from "../validation/evaluate-cv.ts";

/** The run's overall metrics as tracking rows; a trailing `_0.95`-style suffix is the metric's quantile level. */
export function runMetrics(report: CvReport): RunMetric[] {
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
