import type { Metric } from "./metric.ts";

/** Share of actuals at or below the quantile (P(y <= q)); calibrated when close to the level. */
export function coverageMetric(k: number, tau: number): Metric {
  return {
    name: `coverage_le_${tau}`,
    higherIsBetter: false,
    target: tau,
    accumulate(r, acc) {
      acc[0]! += r.actual <= r.q[k]! ? 1 : 0;
      acc[1]! += 1;
    },
  };
}

/** Share of actuals strictly below the quantile (P(y < q)); with integer counts it differs from P(y <= q) by ties. */
export function strictCoverageMetric(k: number, tau: number): Metric {
  return {
    name: `coverage_lt_${tau}`,
    higherIsBetter: false,
    target: tau,
    accumulate(r, acc) {
      acc[0]! += r.actual < r.q[k]! ? 1 : 0;
      acc[1]! += 1;
    },
  };
}

/** Relative bias of the point forecast: sum(point - actual) / sum(actual); > 0 over-forecasts. */
export const bias: Metric = {
  name: "bias",
  higherIsBetter: false,
  target: 0,
  accumulate(r, acc) {
    acc[0]! += r.point - r.actual;
    acc[1]! += r.actual;
  },
};

/** Weighted absolute percentage error: sum|actual - point| / sum(actual). */
export const wape: Metric = {
  name: "wape",
  higherIsBetter: false,
  accumulate(r, acc) {
    acc[0]! += Math.abs(r.actual - r.point);
    acc[1]! += r.actual;
  },
};

/** Mean absolute error of the point forecast. */
export const mae: Metric = {
  name: "mae",
  higherIsBetter: false,
  accumulate(r, acc) {
    acc[0]! += Math.abs(r.actual - r.point);
    acc[1]! += 1;
  },
};

/** Root mean squared error of the point forecast. */
export const rmse: Metric = {
  name: "rmse",
  higherIsBetter: false,
  accumulate(r, acc) {
    const d = r.actual - r.point;
    acc[0]! += d * d;
    acc[1]! += 1;
  },
  finish: (num, den) => Math.sqrt(num / den),
};
