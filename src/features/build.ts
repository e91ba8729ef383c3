import { dayOfYear, weekday, yearMonth } from "../core/days.ts";
import type { DailyPanel } from "../data/to-panel.ts";
import { type CalendarFlags, indexCalendar, regionIndex } from "./calendar.ts";
import { ascendingOrder, CountWindow } from "./count-window.ts";
import { G, GroupClock } from "./feature-groups.ts";
import { type FeatureSettings, featureNames } from "./names.ts";
import { PrefixScratch } from "./prefix-scratch.ts";
import { SortedWindow } from "./sorted-window.ts";
import { type WeatherIndex, weatherAt } from "./weather.ts";

/** Rows to build: series index, forecast origin (day) and horizon (1..), sorted by series then origin. */
export interface FeatureRows {
  series: Int32Array;
  origin: Int32Array;
  horizon: Int32Array;
}

/** The feature matrix (column-major), its targets and the metadata the learner and metrics need. */
export interface FeatureMatrix {
  names: string[];
  categorical: string[];
  columns: Float32Array[];
  /** Demand on the target day (NaN where unknown: stockout, not in assortment, no data). */
  target: Float32Array;
  /** Price on the target day (for price-weighted metrics); NaN where unknown. */
  price: Float32Array;
  rows: FeatureRows;
  /** Milliseconds spent per feature group (feature-groups.ts; per-row work timed on a sample and scaled up). */
  timings?: Record<string, number>;
}

/** Build options. `unsafeLagShift` moves lags into the future: only the leakage test uses it, to prove it bites. */
export interface BuildOptions {
  unsafeLagShift?: number;
  /** Weather history and forecasts per region (features are NaN without it). */
  weather?: WeatherIndex | null;
}

const CAP = 60; // days_to/since_event and promo distances are capped here
/** Demand counts below this use the count histogram for order statistics (its scan is O(max value)). */
const COUNT_LIMIT = 1024;

/**
 * Computes every feature for every row. History features see observed data up to the cutoff
 * c = origin - latencyDays only; planned data (prices, promos) up to origin + plannedDays; the calendar is known.
 * The same function serves training, backtests and forecasts, so they cannot disagree.
 */
export function buildFeatures(
  panel: DailyPanel,
  calendar: CalendarFlags,
  settings: FeatureSettings,
  rows: FeatureRows,
  options: BuildOptions = {},
): FeatureMatrix {
  const { names, categorical, asofCount, targetCount } = featureNames(settings, panel);
  const n = rows.series.length;
  const columns = names.map(() => new Float32Array(n));
  const target = new Float32Array(n);
  const price = new Float32Array(n);
  const lat = settings.latencyDays;
  const shift = options.unsafeLagShift ?? 0;
  // Timing hooks for the feature tests' time budget; they never change a value.
  const clock = new GroupClock(1);
  const perOrigin = new GroupClock(16);
  const perRow = new GroupClock(64);
  clock.always();
  const group = groupVolumes(panel, rows, lat);
  clock.lap(G.group_volume);
  // Order statistics: a count histogram per window for small integer demand, the sorted window otherwise.
  const sortedWindows = settings.orderWindows.map((w) => new SortedWindow(w));
  const countWindows = settings.orderWindows.map(() => new CountWindow());
  const levelOrder = ascendingOrder(settings.quantiles);
  const nOrder = settings.quantiles.length + 2;
  const regionOf = panel.region.map((r) => regionIndex(calendar, r));
  const weather = options.weather ?? null;
  const weatherRegionOf = panel.region.map((r) => (weather ? weather.regions.indexOf(r ?? "*") : -1));
  const asof = new Float64Array(asofCount);
  const calIndex = indexCalendar(calendar, CAP);
  const calLen = calendar.end - calendar.start + 1;
  // Prefix sums of one series at a time, in buffers reused from series to series (no allocation per series).
  const stats = new PrefixScratch();
  const priceStats = new PrefixScratch();
  const elastic = new ElasticityStats();

  let r = 0;
  while (r < n) {
    const i = rows.series[r]!;
    const base = panel.indptr[i]!;
    const len = panel.indptr[i + 1]! - base;
    const s0 = panel.start[i]!;
    const demand = panel.demand.subarray(base, base + len);
    const units = panel.units.subarray(base, base + len);
    const pr = panel.price.subarray(base, base + len);
    const regular = panel.regularPrice.subarray(base, base + len);
    const promo = panel.onPromo.subarray(base, base + len);
    const discount = panel.promoDiscount.subarray(base, base + len);
    clock.always();
    stats.reset(demand);
    clock.lap(G.rolling_stats);
    priceStats.reset(pr);
    clock.lap(G.price_promo);
    elastic.reset(demand, pr);
    clock.lap(G.elasticity);
    const lastSale = lastSaleIndex(units);
    clock.lap(G.history);
    const reg = regionOf[i]!;
    const wreg = weatherRegionOf[i]!;
    const bins = CountWindow.fits(demand, COUNT_LIMIT);
    const windows: (SortedWindow | CountWindow)[] = bins >= 0 ? countWindows : sortedWindows;
    if (bins >= 0) for (const cw of countWindows) cw.reset(bins);
    else for (const sw of sortedWindows) sw.clear();
    let prevCut = Number.NEGATIVE_INFINITY;
    let asofOrigin = Number.NaN;

    for (; r < n && rows.series[r] === i; r++) {
      const o = rows.origin[r]!;
      const h = rows.horizon[r]!;
      const c = o - lat - s0; // cutoff as an index into the series
      const d = o + h - s0; // target day as an index
      const plannedEnd = o + settings.plannedDays - s0;
      target[r] = d >= 0 && d < len ? demand[d]! : Number.NaN;
      price[r] = d >= 0 && d < len ? pr[d]! : Number.NaN;

      if (o !== asofOrigin) {
        asofOrigin = o;
        perOrigin.sample();
        let f = 0;
        for (const k of settings.lags) {
          const t = c - k + 1 + shift;
          asof[f++] = shift ? (t >= 0 && t < len ? demand[t]! : Number.NaN) : upTo(demand, t, c);
        }
        perOrigin.lap(G.lags);
        for (const w of settings.meanWindows) {
          asof[f++] = stats.mean(c - w + 1, c);
          asof[f++] = stats.std(c - w + 1, c);
          asof[f++] = stats.zeroShare(c - w + 1, c);
        }
        asof[f++] = c >= 0 ? stats.n(c - 27, c) / 28 : Number.NaN;
        perOrigin.lap(G.rolling_stats);
        // Slide the sorted windows from the previous cutoff to this one (or rebuild after a jump).
        for (let j = 0; j < windows.length; j++) {
          const w = settings.orderWindows[j]!;
          const sw = windows[j]!;
          if (c - prevCut >= w || c < prevCut) {
            sw.clear();
            for (let t = Math.max(0, c - w + 1); t <= Math.min(c, len - 1); t++) sw.add(demand[t]!);
          } else {
            for (let t = Math.max(0, prevCut - w + 1); t <= Math.min(c - w, len - 1); t++)
              sw.remove(demand[t]!);
            for (let t = Math.max(0, prevCut + 1); t <= Math.min(c, len - 1); t++) sw.add(demand[t]!);
          }
          if (sw instanceof CountWindow) sw.writeStats(asof, f, settings.quantiles, levelOrder);
          else sw.writeStats(asof, f, settings.quantiles);
          f += nOrder;
        }
        prevCut = c;
        perOrigin.lap(G.rolling_order);
        const ls = c >= 0 ? lastSale[Math.min(c, len - 1)]! : -1;
        asof[f++] = ls >= 0 ? c - ls : Number.NaN;
        asof[f++] = c >= 0 ? c + 1 : Number.NaN;
        perOrigin.lap(G.history);
        const g = group.at(i, o);
        const own = stats.total(c - 90, c);
        asof[f++] = g.store;
        asof[f++] = g.l1 > 0 ? own / g.l1 : Number.NaN;
        asof[f++] = g.l2 > 0 ? own / g.l2 : Number.NaN;
        asof[f++] = g.l3 > 0 ? own / g.l3 : Number.NaN;
        perOrigin.lap(G.group_volume);
        asof[f++] = elastic.slope(c - 363, c);
        perOrigin.lap(G.elasticity);
      }
      for (let f = 0; f < asofCount; f++) columns[f]![r] = asof[f]!;

      perRow.sample();
      let f = asofCount;
      columns[f++]![r] = h;
      for (const k of settings.sameWeekdayWeeks) columns[f++]![r] = sameWeekdayMean(demand, d, c, k);
      columns[f++]![r] = upTo(demand, d - 364, c);
      columns[f++]![r] = d - 361 <= c ? stats.mean(d - 367, d - 361) : Number.NaN;
      perRow.lap(G.target_history);
      // Calendar of the target day (outside the loaded calendar: computed directly, flags unknown).
      const day = o + h;
      const cal = day - calendar.start;
      const inCal = cal >= 0 && cal < calLen;
      columns[f++]![r] = inCal ? calIndex.weekday[cal]! : weekday(day);
      columns[f++]![r] = inCal ? calIndex.month[cal]! : yearMonth(day).month;
      columns[f++]![r] = inCal ? calIndex.dayOfMonth[cal]! : new Date(day * 86_400_000).getUTCDate();
      columns[f++]![r] = inCal ? calIndex.dayOfYear[cal]! : dayOfYear(day);
      const regOk = inCal && reg >= 0;
      columns[f++]![r] = regOk ? calendar.event[reg]![cal]! : Number.NaN;
      columns[f++]![r] = regOk ? calIndex.daysTo[reg]![cal]! : Number.NaN;
      columns[f++]![r] = regOk ? calIndex.daysSince[reg]![cal]! : Number.NaN;
      columns[f++]![r] = regOk ? calendar.snap[reg]![cal]! : Number.NaN;
      columns[f++]![r] = regOk ? calendar.payday[reg]![cal]! : Number.NaN;
      perRow.lap(G.calendar);
      // Prices and promos: planned, so the target day's values are known at the origin.
      const p = upTo(pr, d, plannedEnd);
      const reg0 = upTo(regular, d, plannedEnd);
      columns[f++]![r] = p;
      columns[f++]![r] = reg0;
      columns[f++]![r] = reg0 > 0 && p >= 0 ? 1 - p / reg0 : Number.NaN;
      columns[f++]![r] = p / priceStats.mean(c - 27, c);
      columns[f++]![r] = p / priceStats.mean(c - 90, c);
      columns[f++]![r] = p / upTo(pr, c, c);
      columns[f++]![r] = upTo(promo, d, plannedEnd);
      columns[f++]![r] = upTo(discount, d, plannedEnd);
      columns[f++]![r] = promoRun(promo, d, plannedEnd);
      columns[f++]![r] = promoUntil(promo, d, plannedEnd);
      perRow.lap(G.price_promo);
      // Weather: the forecast for the target day issued at the cutoff, and the weather observed at the cutoff.
      const wf = weather ? weatherAt(weather, wreg, c + s0, d - c) : -1;
      const wo = weather ? weatherAt(weather, wreg, c + s0, 0) : -1;
      columns[f++]![r] = wf >= 0 ? weather!.temperature[wf]! : Number.NaN;
      columns[f++]![r] = wf >= 0 ? weather!.precipitation[wf]! : Number.NaN;
      columns[f++]![r] = wo >= 0 ? weather!.temperature[wo]! : Number.NaN;
      perRow.lap(G.weather);
      if (f !== asofCount + targetCount) throw new Error("buildFeatures: target feature count mismatch");
      for (const cat of panel.categoricals) columns[f++]![r] = cat.codes[i]! < 0 ? Number.NaN : cat.codes[i]!;
      for (const num of panel.numerics) columns[f++]![r] = num.values[i]!;
      perRow.lap(G.statics);
    }
  }
  const timings = GroupClock.total(clock, perOrigin, perRow);
  return { names, categorical, columns, target, price, rows, timings };
}

/** arr[t] when 0 <= t <= last (the latest day the row may see) and t is inside the series; else NaN. */
function upTo(arr: ArrayLike<number>, t: number, last: number): number {
  return t >= 0 && t <= last && t < arr.length ? arr[t]! : Number.NaN;
}

/** Mean of known values on the target's weekday over its last k occurrences at or before the cutoff. */
function sameWeekdayMean(values: Float32Array, d: number, c: number, k: number): number {
  let t = d - 7 * Math.max(1, Math.ceil((d - c) / 7));
  let s = 0;
  let m = 0;
  for (let j = 0; j < k && t >= 0; j++, t -= 7) {
    if (t < values.length && !Number.isNaN(values[t]!)) {
      s += values[t]!;
      m++;
    }
  }
  return m > 0 ? s / m : Number.NaN;
}

/** For each day, the index of the last day up to it with units > 0 (-1 if none). */
function lastSaleIndex(units: Float32Array): Int32Array {
  const out = new Int32Array(units.length);
  let last = -1;
  for (let t = 0; t < units.length; t++) {
    if (units[t]! > 0) last = t;
    out[t] = last;
  }
  return out;
}

/** Consecutive promo days ending at the target day (0 when not on promo). */
function promoRun(promo: Uint8Array, d: number, plannedEnd: number): number {
  if (d < 0 || d >= promo.length || d > plannedEnd) return Number.NaN;
  let k = 0;
  while (d - k >= 0 && promo[d - k] && k < CAP) k++;
  return k;
}

/** Days from the target day to the next promo day within the planned horizon (CAP when none is planned). */
function promoUntil(promo: Uint8Array, d: number, plannedEnd: number): number {
  for (let t = Math.max(0, d); t <= Math.min(plannedEnd, promo.length - 1); t++) if (promo[t]) return t - d;
  return CAP;
}

/** Log-log slope of demand on price (a linear elasticity) over a window, from prefix sums. */
class ElasticityStats {
  private readonly p = [new PrefixScratch(), new PrefixScratch(), new PrefixScratch()] as const;
  private x = new Float64Array(0);
  private y = new Float64Array(0);
  private xy = new Float64Array(0);
  /** The next series (buffers are reused from series to series). */
  reset(demand: Float32Array, price: Float32Array): void {
    const n = demand.length;
    if (this.x.length < n) {
      this.x = new Float64Array(Math.max(n, 2 * this.x.length));
      this.y = new Float64Array(this.x.length);
      this.xy = new Float64Array(this.x.length);
    }
    const x = this.x.subarray(0, n);
    const y = this.y.subarray(0, n);
    const xy = this.xy.subarray(0, n);
    for (let t = 0; t < n; t++) {
      const ok = !Number.isNaN(demand[t]!) && price[t]! > 0;
      x[t] = ok ? Math.log(price[t]!) : Number.NaN;
      y[t] = ok ? Math.log1p(demand[t]!) : Number.NaN;
      xy[t] = ok ? x[t]! * y[t]! : Number.NaN;
    }
    this.p[0].reset(x);
    this.p[1].reset(y);
    this.p[2].reset(xy);
  }
  slope(a: number, b: number): number {
    const [px, py, pxy] = this.p;
    const k = px.n(a, b);
    if (k < 28) return Number.NaN;
    const sx = px.total(a, b);
    const sy = py.total(a, b);
    const vx = px.std(a, b) ** 2 * (k - 1);
    if (!(vx > 1e-9)) return Number.NaN;
    return (pxy.total(a, b) - (sx * sy) / k) / vx;
  }
}

/**
 * Sums of demand over the 28 (store) and 91 (category in store) days before each cutoff, for store volume and
 * penetration. Computed once per distinct origin across all series, since they aggregate over series.
 */
function groupVolumes(panel: DailyPanel, rows: FeatureRows, lat: number) {
  const origins = [...new Set(rows.origin)].sort((a, b) => a - b);
  const oIndex = new Map(origins.map((o, k) => [o, k]));
  const nSeries = panel.storeId.length;
  const keyIds = new Map<string, number>();
  const id = (k: string) => {
    let v = keyIds.get(k);
    if (v === undefined) {
      v = keyIds.size;
      keyIds.set(k, v);
    }
    return v;
  };
  const cat = (name: string) => panel.categoricals.find((c) => c.name === name);
  const levels = [cat("category_l1"), cat("category_l2"), cat("category_l3")];
  const groups = Array.from({ length: nSeries }, (_, i) => [
    id(`s|${panel.storeId[i]}`),
    ...levels.map((l, j) => id(`${j}|${panel.storeId[i]}|${l ? l.codes[i] : "-"}`)),
  ]);
  const store = new Float64Array(keyIds.size * origins.length);
  const cat91 = new Float64Array(keyIds.size * origins.length);
  const stats = new PrefixScratch();
  for (let i = 0; i < nSeries; i++) {
    const base = panel.indptr[i]!;
    stats.reset(panel.demand.subarray(base, panel.indptr[i + 1]));
    const [s, ...ls] = groups[i]!;
    origins.forEach((o, k) => {
      const c = o - lat - panel.start[i]!;
      store[s! * origins.length + k] += stats.total(c - 27, c) / 28;
      const t91 = stats.total(c - 90, c);
      for (const g of ls) cat91[g * origins.length + k] += t91;
    });
  }
  return {
    at(i: number, o: number) {
      const k = oIndex.get(o)!;
      const [s, l1, l2, l3] = groups[i]!;
      return {
        store: store[s! * origins.length + k]!,
        l1: cat91[l1! * origins.length + k]!,
        l2: cat91[l2! * origins.length + k]!,
        l3: cat91[l3! * origins.length + k]!,
      };
    },
  };
}
