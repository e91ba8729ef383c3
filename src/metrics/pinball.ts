import type { Metric } from "./metric.ts";

/** Pinball (quantile) loss of one prediction q for actual y at level tau. */
export function pinball(y: number, q: number, tau: number): number {
  const d = y - q;
  return d >= 0 ? tau * d : (tau - 1) * d;
}

/** Mean pinball loss at quantile index k (level tau): mean over rows. */
export function pinballMetric(k: number, tau: number): Metric {
  return {
    name: `pinball_${tau}`,
    higherIsBetter: false,
    accumulate(r, acc) {
      acc[0]! += pinball(r.actual, r.q[k]!, tau);
      acc[1]! += 1;
    },
  };
}

/** Pinball at one level weighted by each row's weight (price): sum(w * loss) / sum(w). */
export function weightedPinballMetric(k: number, tau: number): Metric {
  return {
    name: `wpinball_${tau}`,
    higherIsBetter: false,
    accumulate(r, acc) {
      acc[0]! += r.weight * pinball(r.actual, r.q[k]!, tau);
      acc[1]! += r.weight;
    },
  };
}

/** Pinball at one level scaled by volume: sum(loss) / sum(actual), i.e. loss as a share of units sold. */
export function scaledPinballMetric(k: number, tau: number): Metric {
  return {
    name: `spinball_${tau}`,
    higherIsBetter: false,
    accumulate(r, acc) {
      acc[0]! += pinball(r.actual, r.q[k]!, tau);
      acc[1]! += r.actual;
    },
  };
}

/** Mean over all levels of the pinball loss, scaled by volume: sum over rows and levels / (levels * sum(actual)). */
export function meanScaledPinballMetric(taus: readonly number[]): Metric {
  return {
    name: "mean_spinball",
    higherIsBetter: false,
    accumulate(r, acc) {
      let s = 0;
      for (let k = 0; k < taus.length; k++) s += pinball(r.actual, r.q[k]!, taus[k]!);
      acc[0]! += s / taus.length;
      acc[1]! += r.actual;
    },
  };
}

/** Mean over all levels of the plain pinball loss (mean over rows). */
export function meanPinballMetric(taus: readonly number[]): Metric {
  return {
    name: "mean_pinball",
    higherIsBetter: false,
    accumulate(r, acc) {
      let s = 0;
      for (let k = 0; k < taus.length; k++) s += pinball(r.actual, r.q[k]!, taus[k]!);
      acc[0]! += s / taus.length;
      acc[1]! += 1;
    },
  };
}
