import type { Day } from "../core/days.ts";
import { Rng } from "../core/rng.ts";
import type { DailyPanel } from "../data/to-panel.ts";
import type { FeatureRows } from "./build.ts";

/**
 * Training rows for a model whose forecasts are made at `origin` (= trainEnd + latency): past origins
 * origin - step, origin - 2*step, ... (same weekday when step is 7, so horizon and target weekday line up as
 * they will at forecast time), every horizon 1..maxHorizon whose target day lies in [trainStart, trainEnd],
 * and only where the target is known demand (censored and not-in-assortment days are not targets).
 * With `sample` < 1 a seeded random share of the rows is kept: many origins with a few horizons each carry
 * nearly the information of every horizon at every origin, at a fraction of the training time.
 */
export function trainingRows(
  panel: DailyPanel,
  opts: {
    trainStart: Day;
    trainEnd: Day;
    origin: Day;
    step: number;
    maxHorizon: number;
    /** Shortest horizon kept (default 1); per-horizon-bucket models train on their bucket only. */
    minHorizon?: number;
    minHistory?: number;
    /** Keep this share of the (origin, horizon) rows of each series, drawn at random (cuts training time). */
    sample?: number;
    seed?: number;
    /** Also keep stockout days (their sales are a lower bound of demand) for censored-aware models. */
    censored?: boolean;
  },
): FeatureRows {
  const out = new RowBuffer();
  const minHistory = opts.minHistory ?? 28;
  const minHorizon = opts.minHorizon ?? 1;
  const lat = opts.origin - opts.trainEnd;
  const keep = opts.sample ?? 1;
  const origins: number[] = [];
  for (let i = 0; i < panel.storeId.length; i++) {
    const base = panel.indptr[i]!;
    const s0 = panel.start[i]!;
    const len = panel.indptr[i + 1]! - base;
    // Origins step back from the model's origin while enough history precedes them; rows are then made in
    // (origin, horizon) order directly, which is the order the random draws of `sample` follow.
    origins.length = 0;
    for (let o = opts.origin - opts.step; o - lat - s0 + 1 >= minHistory; o -= opts.step) origins.push(o);
    const rng = keep < 1 ? Rng.derive(opts.seed ?? 0, i) : null;
    for (let k = origins.length - 1; k >= 0; k--) {
      const o = origins[k]!;
      for (let h = minHorizon; h <= opts.maxHorizon; h++) {
        const d = o + h;
        if (d > opts.trainEnd || d < opts.trainStart) continue;
        const t = d - s0;
        if (t < 0 || t >= len) continue;
        const j = base + t;
        const censoredDay = opts.censored === true && panel.stockout[j] === 1 && panel.inAssortment[j] === 1;
        if (Number.isNaN(panel.demand[j]!) && !censoredDay) continue;
        if (rng !== null && !rng.chance(keep)) continue;
        out.push(i, o, h);
      }
    }
  }
  return out.rows();
}

/** Growing typed arrays of rows (a few reallocations instead of millions of small pushed arrays and a sort). */
class RowBuffer {
  private series = new Int32Array(1024);
  private origin = new Int32Array(1024);
  private horizon = new Int32Array(1024);
  private n = 0;

  push(i: number, o: number, h: number): void {
    if (this.n === this.series.length) {
      const grow = (a: Int32Array) => {
        const b = new Int32Array(2 * a.length);
        b.set(a);
        return b;
      };
      this.series = grow(this.series);
      this.origin = grow(this.origin);
      this.horizon = grow(this.horizon);
    }
    this.series[this.n] = i;
    this.origin[this.n] = o;
    this.horizon[this.n] = h;
    this.n++;
  }

  /** The rows pushed so far, in arrays of their exact length. */
  rows(): FeatureRows {
    return {
      series: this.series.slice(0, this.n),
      origin: this.origin.slice(0, this.n),
      horizon: this.horizon.slice(0, this.n),
    };
  }
}

/** Forecast rows: every series that has started by the cutoff (origin - latency), horizons 1..horizon. */
export function forecastRows(panel: DailyPanel, origin: Day, horizon: number, latency: number): FeatureRows {
  const n = panel.storeId.length;
  const keep: number[] = [];
  for (let i = 0; i < n; i++) if (panel.start[i]! <= origin - latency) keep.push(i);
  const m = keep.length * horizon;
  const rows = {
    series: new Int32Array(m),
    origin: new Int32Array(m).fill(origin),
    horizon: new Int32Array(m),
  };
  keep.forEach((i, k) => {
    for (let h = 1; h <= horizon; h++) {
      rows.series[k * horizon + h - 1] = i;
      rows.horizon[k * horizon + h - 1] = h;
    }
  });
  return rows;
}
