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
  const series: number[] = [];
  const origins: number[] = [];
  const horizons: number[] = [];
  const minHistory = opts.minHistory ?? 28;
  const lat = opts.origin - opts.trainEnd;
  for (let i = 0; i < panel.storeId.length; i++) {
    const base = panel.indptr[i]!;
    const s0 = panel.start[i]!;
    const len = panel.indptr[i + 1]! - base;
    const list: [number, number][] = [];
    for (let o = opts.origin - opts.step; o - lat - s0 + 1 >= minHistory; o -= opts.step) {
      for (let h = opts.minHorizon ?? 1; h <= opts.maxHorizon; h++) {
        const d = o + h;
        if (d > opts.trainEnd || d < opts.trainStart) continue;
        const t = d - s0;
        if (t < 0 || t >= len) continue;
        const j = base + t;
        const censoredDay = opts.censored === true && panel.stockout[j] === 1 && panel.inAssortment[j] === 1;
        if (Number.isNaN(panel.demand[j]!) && !censoredDay) continue;
        list.push([o, h]);
      }
    }
    list.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    const keep = opts.sample ?? 1;
    const rng = Rng.derive(opts.seed ?? 0, i);
    for (const [o, h] of list) {
      if (keep < 1 && !rng.chance(keep)) continue;
      series.push(i);
      origins.push(o);
      horizons.push(h);
    }
  }
  return {
    series: Int32Array.from(series),
    origin: Int32Array.from(origins),
    horizon: Int32Array.from(horizons),
  };
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
