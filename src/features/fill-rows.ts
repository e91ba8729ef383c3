import { dayOfYear, weekday, yearMonth } from "../core/days.ts";
import type { CalendarFlags, CalendarIndex } from "./calendar.ts";
import { ascendingOrder, CountWindow } from "./count-window.ts";
import { ElasticityStats } from "./elasticity.ts";
import { G, GroupClock } from "./feature-groups.ts";
import type { GroupVolumes } from "./group-volumes.ts";
import type { FeatureSettings } from "./names.ts";
import { PrefixScratch } from "./prefix-scratch.ts";
import { SortedWindow } from "./sorted-window.ts";
import { type WeatherIndex, weatherAt } from "./weather.ts";

/** Rows to build: series index, forecast origin (day) and horizon (1..), sorted by series then origin. */
export interface FeatureRows {
  series: Int32Array;
  origin: Int32Array;
  horizon: Int32Array;
}

/**
 * Everything the row loop reads and writes, as plain data (typed arrays, numbers, strings) so it can be posted to a
 * feature worker: with SharedArrayBuffer-backed arrays the worker reads the panel and writes its rows of the
 * output columns in place.
 */
export interface FeatureJob {
  settings: FeatureSettings;
  asofCount: number;
  targetCount: number;
  /** BuildOptions.unsafeLagShift (0 normally). */
  shift: number;
  /** BuildOptions.runFirstOnly. */
  runFirstOnly: boolean;
  /** The panel's series layout and daily columns (DailyPanel fields of the same names). */
  indptr: Int32Array;
  start: Int32Array;
  demand: Float32Array;
  units: Float32Array;
  price: Float32Array;
  regularPrice: Float32Array;
  onPromo: Uint8Array;
  promoDiscount: Float32Array;
  /** Per series: its region's index in the calendar and in the weather (-1: none). */
  regionOf: Int32Array;
  weatherRegionOf: Int32Array;
  /** Static features per series: categorical codes (-1 unknown), then numeric values. */
  categoricalCodes: Int32Array[];
  numericValues: Float32Array[];
  calendar: CalendarFlags;
  calIndex: CalendarIndex;
  weather: WeatherIndex | null;
  group: GroupVolumes;
  rows: FeatureRows;
  /** Outputs, one entry per row. */
  columns: Float32Array[];
  target: Float32Array;
  outPrice: Float32Array;
}

/** days_to/since_event and promo distances are capped here. */
export const CAP = 60;
/** Demand counts below this use the count histogram for order statistics (its scan is O(max value)). */
const COUNT_LIMIT = 1024;
/** Rows per chunk of the row-major scratch (64 rows x ~100 features x 4 bytes: stays in the L1 cache). */
const CHUNK = 64;

/**
 * Computes every feature of the job's rows, block after block (see below; bounds must start a series): history
 * features see observed data up to the cutoff c = origin - latencyDays only; planned data (prices, promos) up to
 * origin + plannedDays; the calendar is known. Returns the estimated milliseconds per feature group.
 */
export function fillRows(job: FeatureJob, bounds: Int32Array, next: Int32Array): Record<string, number> {
  const {
    settings,
    asofCount,
    targetCount,
    shift,
    rows,
    columns,
    target,
    calendar,
    calIndex,
    weather,
    group,
  } = job;
  const lat = settings.latencyDays;
  // Timing hooks for the feature tests' time budget; they never change a value.
  const clock = new GroupClock(1);
  const perOrigin = new GroupClock(16);
  const perRow = new GroupClock(64);
  // Order statistics: a count histogram per window for small integer demand, the sorted window otherwise.
  const sortedWindows = settings.orderWindows.map((w) => new SortedWindow(w));
  const countWindows = settings.orderWindows.map(() => new CountWindow());
  const levelOrder = ascendingOrder(settings.quantiles);
  const nOrder = settings.quantiles.length + 2;
  // Float32 like the columns (the same rounding, earlier), so copying a row of it is a plain memory copy.
  const asof = new Float32Array(asofCount);
  const calLen = calendar.end - calendar.start + 1;
  const nOrigins = group.nOrigins;
  // Prefix sums of one series at a time, in buffers reused from series to series (no allocation per series).
  const stats = new PrefixScratch();
  const priceStats = new PrefixScratch();
  const elastic = new ElasticityStats();

  const weeks = settings.sameWeekdayWeeks;
  const maxWeeks = Math.max(0, ...weeks);
  const nStatic = job.categoricalCodes.length + job.numericValues.length;
  const statics = new Float32Array(nStatic);
  const columnBits = columns.map((c) => new Int32Array(c.buffer, c.byteOffset, c.length));
  // Long runs of rows of one (series, origin) (forecasts: 28 horizons): the as-of and static features are written
  // straight into their columns once per run, and only the per-row features go through the scratch. Short runs
  // (training rows: a few sampled horizons per origin) keep every feature in the scratch.
  const perRun = longRuns(rows);
  const asofBits = new Int32Array(asof.buffer);
  const staticBits = new Int32Array(statics.buffer);
  const f0 = perRun ? 0 : asofCount;
  const scratchColumns = perRun ? columnBits.slice(asofCount, asofCount + targetCount) : columnBits;
  const nCols = scratchColumns.length;
  const buf = new Float32Array(CHUNK * nCols);
  const bufBits = new Int32Array(buf.buffer);
  // Blocks of rows (bounds[b] .. bounds[b + 1], each starting a series) are taken from the counter next[0] until
  // none is left: with threads sharing the counter, a slower thread takes fewer. Looping over blocks inside this
  // one call (not one call per block) keeps V8's optimized code: re-entering deoptimized it at each block.
  const nBlocks = bounds.length - 1;
  for (let blk = Atomics.add(next, 0, 1); blk < nBlocks; blk = Atomics.add(next, 0, 1)) {
    const to = bounds[blk + 1]!;
    let r = bounds[blk]!;
    let chunkStart = r;
    while (r < to) {
      const i = rows.series[r]!;
      const base = job.indptr[i]!;
      const len = job.indptr[i + 1]! - base;
      const s0 = job.start[i]!;
      const demand = job.demand.subarray(base, base + len);
      const units = job.units.subarray(base, base + len);
      const pr = job.price.subarray(base, base + len);
      const regular = job.regularPrice.subarray(base, base + len);
      const promo = job.onPromo.subarray(base, base + len);
      const discount = job.promoDiscount.subarray(base, base + len);
      clock.always();
      stats.reset(demand);
      clock.lap(G.rolling_stats);
      priceStats.reset(pr);
      clock.lap(G.price_promo);
      elastic.reset(demand, pr);
      clock.lap(G.elasticity);
      // Per day, the last sale up to it: an array when the series has many origins (training), a backward search
      // from the one cutoff of a forecast's long run (no array per series).
      const lastSale = perRun ? null : lastSaleIndex(units);
      clock.lap(G.history);
      const reg = job.regionOf[i]!;
      const wreg = job.weatherRegionOf[i]!;
      const bins = CountWindow.fits(demand, COUNT_LIMIT);
      const windows: (SortedWindow | CountWindow)[] = bins >= 0 ? countWindows : sortedWindows;
      if (bins >= 0) for (const cw of countWindows) cw.reset(bins);
      else for (const sw of sortedWindows) sw.clear();
      // The series' static features, once per series (categorical codes, -1 = unknown; numeric attributes).
      let sk = 0;
      for (const codes of job.categoricalCodes) statics[sk++] = codes[i]! < 0 ? Number.NaN : codes[i]!;
      for (const values of job.numericValues) statics[sk++] = values[i]!;
      const g0 = job.group.groups[4 * i]!;
      const g1 = job.group.groups[4 * i + 1]!;
      const g2 = job.group.groups[4 * i + 2]!;
      const g3 = job.group.groups[4 * i + 3]!;
      let prevCut = Number.NEGATIVE_INFINITY;
      let asofOrigin = Number.NaN;
      // Price references of the cutoff, shared by the origin's rows like the as-of features.
      let priceMean28 = Number.NaN;
      let priceMean91 = Number.NaN;
      let priceAtCut = Number.NaN;

      for (; r < to && rows.series[r] === i; r++) {
        const o = rows.origin[r]!;
        const h = rows.horizon[r]!;
        const c = o - lat - s0; // cutoff as an index into the series
        const d = o + h - s0; // target day as an index
        const plannedEnd = o + settings.plannedDays - s0;
        target[r] = d >= 0 && d < len ? demand[d]! : Number.NaN;
        job.outPrice[r] = d >= 0 && d < len ? pr[d]! : Number.NaN;

        if (o !== asofOrigin) {
          asofOrigin = o;
          perOrigin.sample();
          priceMean28 = priceStats.mean(c - 27, c);
          priceMean91 = priceStats.mean(c - 90, c);
          priceAtCut = upTo(pr, c, c);
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
          // Slide the windows from the previous cutoff to this one (or rebuild after a jump).
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
          const at = Math.min(c, len - 1);
          const ls = c < 0 ? -1 : lastSale !== null ? lastSale[at]! : lastSaleBefore(units, at);
          asof[f++] = ls >= 0 ? c - ls : Number.NaN;
          asof[f++] = c >= 0 ? c + 1 : Number.NaN;
          perOrigin.lap(G.history);
          const k = group.originIndex[o - group.originBase]!;
          const own = stats.total(c - 90, c);
          const l1 = group.cat91[g1 * nOrigins + k]!;
          const l2 = group.cat91[g2 * nOrigins + k]!;
          const l3 = group.cat91[g3 * nOrigins + k]!;
          asof[f++] = group.store[g0 * nOrigins + k]!;
          asof[f++] = l1 > 0 ? own / l1 : Number.NaN;
          asof[f++] = l2 > 0 ? own / l2 : Number.NaN;
          asof[f++] = l3 > 0 ? own / l3 : Number.NaN;
          perOrigin.lap(G.group_volume);
          asof[f++] = elastic.slope(c - 363, c);
          perOrigin.lap(G.elasticity);
          if (perRun) {
            let end = r + 1;
            if (!job.runFirstOnly) while (end < to && rows.series[end] === i && rows.origin[end] === o) end++;
            fillRun(columnBits, 0, asofBits, r, end);
            fillRun(columnBits, asofCount + targetCount, staticBits, r, end);
          }
        }
        // Rows are written row-major into a small scratch and transposed into the columns a chunk at a time: one
        // store per feature into 98 columns (98 pages) per row cost more than all the features' arithmetic.
        const b = (r - chunkStart) * nCols;
        if (!perRun) buf.set(asof, b);

        perRow.sample();
        let f = f0;
        buf[b + f++] = h;
        sameWeekdayMeans(demand, d, c, weeks, maxWeeks, buf, b + f);
        f += weeks.length;
        buf[b + f++] = upTo(demand, d - 364, c);
        buf[b + f++] = d - 361 <= c ? stats.mean(d - 367, d - 361) : Number.NaN;
        perRow.lap(G.target_history);
        // Calendar of the target day (outside the loaded calendar: computed directly, flags unknown).
        const day = o + h;
        const cal = day - calendar.start;
        const inCal = cal >= 0 && cal < calLen;
        buf[b + f++] = inCal ? calIndex.weekday[cal]! : weekday(day);
        buf[b + f++] = inCal ? calIndex.month[cal]! : yearMonth(day).month;
        buf[b + f++] = inCal ? calIndex.dayOfMonth[cal]! : new Date(day * 86_400_000).getUTCDate();
        buf[b + f++] = inCal ? calIndex.dayOfYear[cal]! : dayOfYear(day);
        const regOk = inCal && reg >= 0;
        buf[b + f++] = regOk ? calendar.event[reg]![cal]! : Number.NaN;
        buf[b + f++] = regOk ? calIndex.daysTo[reg]![cal]! : Number.NaN;
        buf[b + f++] = regOk ? calIndex.daysSince[reg]![cal]! : Number.NaN;
        buf[b + f++] = regOk ? calendar.snap[reg]![cal]! : Number.NaN;
        buf[b + f++] = regOk ? calendar.payday[reg]![cal]! : Number.NaN;
        perRow.lap(G.calendar);
        // Prices and promos: planned, so the target day's values are known at the origin.
        const p = upTo(pr, d, plannedEnd);
        const reg0 = upTo(regular, d, plannedEnd);
        buf[b + f++] = p;
        buf[b + f++] = reg0;
        buf[b + f++] = reg0 > 0 && p >= 0 ? 1 - p / reg0 : Number.NaN;
        buf[b + f++] = p / priceMean28;
        buf[b + f++] = p / priceMean91;
        buf[b + f++] = p / priceAtCut;
        buf[b + f++] = upTo(promo, d, plannedEnd);
        buf[b + f++] = upTo(discount, d, plannedEnd);
        buf[b + f++] = promoRun(promo, d, plannedEnd);
        buf[b + f++] = promoUntil(promo, d, plannedEnd);
        perRow.lap(G.price_promo);
        // Weather: the forecast for the target day issued at the cutoff, and the weather observed at the cutoff.
        const wf = weather ? weatherAt(weather, wreg, c + s0, d - c) : -1;
        const wo = weather ? weatherAt(weather, wreg, c + s0, 0) : -1;
        buf[b + f++] = wf >= 0 ? weather!.temperature[wf]! : Number.NaN;
        buf[b + f++] = wf >= 0 ? weather!.precipitation[wf]! : Number.NaN;
        buf[b + f++] = wo >= 0 ? weather!.temperature[wo]! : Number.NaN;
        perRow.lap(G.weather);
        if (f !== f0 + targetCount) throw new Error("buildFeatures: target feature count mismatch");
        if (!perRun) for (let k = 0; k < nStatic; k++) buf[b + f + k] = statics[k]!;
        perRow.lap(G.statics);
        if (r + 1 - chunkStart === CHUNK) {
          flush(bufBits, scratchColumns, chunkStart, r + 1);
          chunkStart = r + 1;
        }
      }
    }
    flush(bufBits, scratchColumns, chunkStart, r);
  }
  return GroupClock.total(clock, perOrigin, perRow);
}

/**
 * Copies rows [from, to) of the row-major chunk (row `from` at 0) into the columns, as raw 32-bit words (an exact
 * copy, NaN payloads included), four columns per pass over the chunk (each pass reads the chunk's cache lines once).
 */
function flush(bits: Int32Array, columns: Int32Array[], from: number, to: number): void {
  const nCols = columns.length;
  const m = to - from;
  let f = 0;
  for (; f + 4 <= nCols; f += 4) {
    const c0 = columns[f]!;
    const c1 = columns[f + 1]!;
    const c2 = columns[f + 2]!;
    const c3 = columns[f + 3]!;
    for (let k = 0, at = f; k < m; k++, at += nCols) {
      const r = from + k;
      c0[r] = bits[at]!;
      c1[r] = bits[at + 1]!;
      c2[r] = bits[at + 2]!;
      c3[r] = bits[at + 3]!;
    }
  }
  for (; f < nCols; f++) {
    const col = columns[f]!;
    for (let k = 0, at = f; k < m; k++, at += nCols) col[from + k] = bits[at]!;
  }
}

/** True when the rows come in runs of one (series, origin) of 16 rows or more on average. */
function longRuns(rows: FeatureRows): boolean {
  const n = rows.series.length;
  let runs = 0;
  for (let r = 0; r < n; r++)
    if (r === 0 || rows.series[r] !== rows.series[r - 1] || rows.origin[r] !== rows.origin[r - 1]) runs++;
  return n >= 16 * runs;
}

/** Words of `values` into columns at..at+values.length-1, rows [from, to): exact bits, as flush copies them. */
function fillRun(columns: Int32Array[], at: number, values: Int32Array, from: number, to: number): void {
  for (let k = 0; k < values.length; k++) {
    const col = columns[at + k]!;
    const v = values[k]!;
    for (let r = from; r < to; r++) col[r] = v;
  }
}

/** arr[t] when 0 <= t <= last (the latest day the row may see) and t is inside the series; else NaN. */
function upTo(arr: ArrayLike<number>, t: number, last: number): number {
  return t >= 0 && t <= last && t < arr.length ? arr[t]! : Number.NaN;
}

/**
 * Means of known values on the target's weekday over its last k occurrences at or before the cutoff, for each k
 * of `weeks`, written to out[at..]: one pass up to the largest k (each mean is the running sum at its k, the very
 * additions a pass of its own would make).
 */
function sameWeekdayMeans(
  values: Float32Array,
  d: number,
  c: number,
  weeks: readonly number[],
  maxWeeks: number,
  out: Float32Array,
  at: number,
): void {
  let t = d - 7 * Math.max(1, Math.ceil((d - c) / 7));
  let s = 0;
  let m = 0;
  for (let q = 0; q < weeks.length; q++) out[at + q] = Number.NaN;
  for (let j = 0; j < maxWeeks; j++, t -= 7) {
    if (t >= 0 && t < values.length && !Number.isNaN(values[t]!)) {
      s += values[t]!;
      m++;
    }
    for (let q = 0; q < weeks.length; q++) if (weeks[q] === j + 1) out[at + q] = m > 0 ? s / m : Number.NaN;
  }
}

/** The index of the last day up to t with units > 0 (-1 if none): lastSaleIndex(units)[t]. */
function lastSaleBefore(units: Float32Array, t: number): number {
  let k = t;
  while (k >= 0 && !(units[k]! > 0)) k--;
  return k;
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
