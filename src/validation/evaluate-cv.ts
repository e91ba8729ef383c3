import { weekday } from "../core/days.ts";
import type { DailyPanel } from "../data/to-panel.ts";
import type { CalendarFlags } from "../features/calendar.ts";
import { regionIndex } from "../features/calendar.ts";
import { type Estimate, evaluate, type ForecastColumns, pairedRatio } from "../metrics/evaluate.ts";
import type { Metric } from "../metrics/metric.ts";
import { meanPinballMetric, meanScaledPinballMetric } from "../metrics/pinball.ts";
import { bias, coverageMetric, strictCoverageMetric, wape } from "../metrics/point.ts";
import { standardMetrics } from "../metrics/standard.ts";
import type { CvTable } from "./backtest.ts";
import { priceBands } from "./price-bands.ts";

/** One metric of one model in one group of a breakdown. */
export interface GroupRow extends Estimate {
  dimension: string;
  group: string;
  model: string;
}

/** Everything the backtest report shows, as plain data (also written as metrics.json). */
export interface CvReport {
  models: string[];
  levels: readonly number[];
  folds: number;
  rows: number;
  overall: { model: string; estimates: Estimate[] }[];
  byHorizon: { model: string; horizon: number; value: number; lo: number; hi: number }[];
  byGroup: GroupRow[];
  calibration: { model: string; level: number; coverageLe: number; coverageLt: number }[];
  /** Mean scaled pinball of each model divided by each other model's, with paired-bootstrap 95% intervals. */
  paired: { model: string; reference: string; ratio: number; lo: number; hi: number }[];
  crossings: Record<string, number>;
  seconds: Record<string, number>;
}

const WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

/**
 * Metrics of every model on the CV table, overall (SPEC §2 set, 95% bootstrap CIs over series), by horizon,
 * and broken down by category, store, DC, price band, history length, weekday, event day, promo day and
 * horizon week.
 */
export function evaluateCv(
  table: CvTable,
  daily: DailyPanel,
  calendar: CalendarFlags,
  options: { bootstrap?: number; seed?: number } = {},
): CvReport {
  const levels = table.levels;
  const boot = options.bootstrap ?? 500;
  const seed = options.seed ?? 1;
  const n = table.actual.length;
  const point = new Float32Array(n);
  const median = levels.indexOf(0.5);
  for (let r = 0; r < n; r++) {
    point[r] = Number.isNaN(table.mean[r]!) ? table.q[Math.max(median, 0)]![r]! : table.mean[r]!;
  }
  const cols: ForecastColumns = {
    actual: table.actual,
    q: table.q,
    point,
    weight: Float32Array.from(table.price, (p) => (Number.isNaN(p) ? 0 : p)),
    series: table.series,
  };
  const modelMask = table.models.map((_, m) => Uint8Array.from(table.model, (x) => (x === m ? 1 : 0)));
  const overall = table.models.map((model, m) => ({
    model,
    estimates: evaluate(cols, standardMetrics(levels), {
      bootstrap: boot,
      seed,
      mask: modelMask[m],
      keepDraws: true,
    }),
  }));
  const headlineOf = (m: number) => overall[m]!.estimates.find((e) => e.metric === "mean_spinball")!;
  const paired: CvReport["paired"] = [];
  table.models.forEach((model, a) => {
    table.models.forEach((reference, b) => {
      if (a !== b) paired.push({ model, reference, ...pairedRatio(headlineOf(a), headlineOf(b)) });
    });
  });
  // Draws served the pairing; they are not part of the report.
  for (const o of overall) for (const e of o.estimates) delete e.draws;
  const headline = [meanScaledPinballMetric(levels)];
  const byHorizon: CvReport["byHorizon"] = [];
  const maxH = table.horizon.reduce((a, b) => Math.max(a, b), 0);
  table.models.forEach((model, m) => {
    for (let h = 1; h <= maxH; h++) {
      const mask = Uint8Array.from(table.model, (x, r) => (x === m && table.horizon[r] === h ? 1 : 0));
      const [e] = evaluate(cols, headline, { bootstrap: Math.min(boot, 200), seed, mask });
      byHorizon.push({ model, horizon: h, value: e!.value, lo: e!.lo, hi: e!.hi });
    }
  });
  const groupMetrics: Metric[] = [
    meanPinballMetric(levels),
    meanScaledPinballMetric(levels),
    bias,
    wape,
    coverageMetric(levels.length - 2, levels[levels.length - 2]!),
  ];
  const byGroup: GroupRow[] = [];
  for (const [dimension, labelOf] of groupDimensions(table, daily, calendar)) {
    const labels = new Map<string, Uint8Array>();
    for (let r = 0; r < n; r++) {
      const g = labelOf(r);
      if (g === null) continue;
      let mask = labels.get(g);
      if (!mask) {
        mask = new Uint8Array(n);
        labels.set(g, mask);
      }
      mask[r] = 1;
    }
    for (const [group, gmask] of [...labels].sort((a, b) =>
      a[0].localeCompare(b[0], "en", { numeric: true }),
    )) {
      table.models.forEach((model, m) => {
        const mask = Uint8Array.from(gmask, (v, r) => (v && table.model[r] === m ? 1 : 0));
        for (const e of evaluate(cols, groupMetrics, { bootstrap: Math.min(boot, 200), seed, mask })) {
          byGroup.push({ dimension, group, model, ...e });
        }
      });
    }
  }
  const calibration: CvReport["calibration"] = [];
  table.models.forEach((model, m) => {
    const ms = levels.flatMap((tau, k) => [coverageMetric(k, tau), strictCoverageMetric(k, tau)]);
    const es = evaluate(cols, ms, { bootstrap: 0, mask: modelMask[m] });
    levels.forEach((level, k) => {
      calibration.push({ model, level, coverageLe: es[2 * k]!.value, coverageLt: es[2 * k + 1]!.value });
    });
  });
  return {
    models: table.models,
    levels,
    folds: table.folds.length,
    rows: n / Math.max(1, table.models.length),
    overall,
    byHorizon,
    byGroup,
    calibration,
    paired,
    crossings: Object.fromEntries(table.models.map((m, i) => [m, table.crossings[i]!])),
    seconds: Object.fromEntries(table.models.map((m, i) => [m, table.seconds[i]!])),
  };
}

/** The breakdown dimensions: a name and a function from CV row to group label (null: not in any group). */
function groupDimensions(table: CvTable, daily: DailyPanel, calendar: CalendarFlags) {
  const dims: [string, (r: number) => string | null][] = [];
  const cat = (name: string) => daily.categoricals.find((c) => c.name === name);
  for (const name of ["category_l1", "category_l2", "store_id", "dc_id"]) {
    const c = cat(name);
    if (c) dims.push([name, (r) => c.labels[c.codes[table.series[r]!]!] ?? null]);
  }
  // Price band: terciles of each series' mean price (numbered so the groups sort low to high).
  const bands = priceBands(daily);
  const bandLabel = { low: "1 low", mid: "2 mid", high: "3 high" } as const;
  dims.push([
    "price_band",
    (r) => {
      const b = bands[table.series[r]!];
      return b ? bandLabel[b] : null;
    },
  ]);
  dims.push([
    "history",
    (r) => {
      const days = table.origin[r]! - daily.start[table.series[r]!]!;
      return days < 91 ? "< 91 days" : days < 365 ? "91-364 days" : ">= 365 days";
    },
  ]);
  dims.push([
    "weekday",
    (r) =>
      `${weekday(table.origin[r]! + table.horizon[r]!) + 1} ${WEEKDAYS[weekday(table.origin[r]! + table.horizon[r]!)]}`,
  ]);
  const regions = daily.region.map((g) => regionIndex(calendar, g));
  dims.push([
    "event_day",
    (r) => {
      const reg = regions[table.series[r]!]!;
      const t = table.origin[r]! + table.horizon[r]! - calendar.start;
      if (reg < 0 || t < 0 || t > calendar.end - calendar.start) return null;
      return calendar.event[reg]![t] ? "event" : "no event";
    },
  ]);
  dims.push([
    "promo_day",
    (r) => {
      const i = table.series[r]!;
      return daily.onPromo[daily.indptr[i]! + table.origin[r]! + table.horizon[r]! - daily.start[i]!]
        ? "promo"
        : "no promo";
    },
  ]);
  dims.push(["horizon_week", (r) => `week ${Math.ceil(table.horizon[r]! / 7)}`]);
  return dims;
}
