import type { DailyPanel } from "../data/to-panel.ts";
import { type BuildOptions, buildFeatures, type FeatureRows } from "./build.ts";
import type { CalendarFlags } from "./calendar.ts";
import type { FeatureSettings } from "./names.ts";
import type { WeatherIndex } from "./weather.ts";

/** A feature whose value changed when data it must not see was changed. */
export interface Leak {
  feature: string;
  row: number;
  before: number;
  after: number;
}

/**
 * The leakage check: for each row, scrambles every observed value (units, demand, stockouts, assortment)
 * dated after the row's cutoff (origin - latency), every weather value issued after the cutoff, and every
 * planned value (prices, promos) dated after origin + plannedDays, then recomputes the features. Any feature that changed saw data it must not see.
 */
export function findLeaks(
  panel: DailyPanel,
  calendar: CalendarFlags,
  settings: FeatureSettings,
  rows: FeatureRows,
  options: BuildOptions = {},
): Leak[] {
  const before = buildFeatures(panel, calendar, settings, rows, options);
  const leaks: Leak[] = [];
  for (let r = 0; r < rows.series.length; r++) {
    const one: FeatureRows = {
      series: rows.series.subarray(r, r + 1),
      origin: rows.origin.subarray(r, r + 1),
      horizon: rows.horizon.subarray(r, r + 1),
    };
    const cutoff = rows.origin[r]! - settings.latencyDays;
    const scrambled = scrambleAfter(panel, cutoff, rows.origin[r]! + settings.plannedDays);
    const weather = options.weather ? scrambleWeatherAfter(options.weather, cutoff) : options.weather;
    const after = buildFeatures(scrambled, calendar, settings, one, { ...options, weather });
    before.names.forEach((name, f) => {
      const a = before.columns[f]![r]!;
      const b = after.columns[f]![0]!;
      if (!(a === b || (Number.isNaN(a) && Number.isNaN(b))))
        leaks.push({ feature: name, row: r, before: a, after: b });
    });
  }
  return leaks;
}

/** A copy of the panel with observed data after `cutoff` and planned data after `plannedEnd` replaced by junk. */
export function scrambleAfter(panel: DailyPanel, cutoff: number, plannedEnd: number): DailyPanel {
  const p: DailyPanel = {
    ...panel,
    units: panel.units.slice(),
    demand: panel.demand.slice(),
    stockout: panel.stockout.slice(),
    inAssortment: panel.inAssortment.slice(),
    price: panel.price.slice(),
    regularPrice: panel.regularPrice.slice(),
    onPromo: panel.onPromo.slice(),
    promoDiscount: panel.promoDiscount.slice(),
  };
  for (let i = 0; i < panel.storeId.length; i++) {
    for (let j = panel.indptr[i]!; j < panel.indptr[i + 1]!; j++) {
      const day = panel.start[i]! + (j - panel.indptr[i]!);
      if (day > cutoff) {
        p.units[j] = 997 + (j % 5);
        p.demand[j] = j % 3 === 0 ? Number.NaN : 991 + (j % 7);
        p.stockout[j] = 1 - p.stockout[j]!;
        p.inAssortment[j] = 1 - p.inAssortment[j]!;
      }
      if (day > plannedEnd) {
        p.price[j] = 123.4;
        p.regularPrice[j] = 234.5;
        p.onPromo[j] = 1 - p.onPromo[j]!;
        p.promoDiscount[j] = 0.77;
      }
    }
  }
  return p;
}

/** A copy of the weather index with everything issued after `cutoff` replaced by junk. */
function scrambleWeatherAfter(w: WeatherIndex, cutoff: number): WeatherIndex {
  const out = { ...w, temperature: w.temperature.slice(), precipitation: w.precipitation.slice() };
  const per = w.maxLead + 1;
  for (let reg = 0; reg < w.regions.length; reg++) {
    for (let t = Math.max(0, cutoff - w.start + 1); t < w.days; t++) {
      const base = (reg * w.days + t) * per;
      out.temperature.fill(55.5, base, base + per);
      out.precipitation.fill(777, base, base + per);
    }
  }
  return out;
}
