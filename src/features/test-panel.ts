import { Rng } from "../core/rng.ts";
import type { DailyPanel } from "../data/to-panel.ts";
import type { FeatureRows } from "./build.ts";
import type { CalendarFlags } from "./calendar.ts";
import type { WeatherIndex } from "./weather.ts";

/**
 * A small seeded DailyPanel built in memory (no warehouse) for feature and model tests: `nSeries` series in
 * two stores and two categories, weekly seasonality, price cuts with lift on promo days, stockouts and a
 * late-starting series; plus calendar flags with an event every 30 days.
 */
export function testPanel(
  nSeries = 6,
  days = 500,
  seed = 1,
): { panel: DailyPanel; calendar: CalendarFlags; weather: WeatherIndex } {
  const rng = new Rng(seed);
  const starts = Array.from({ length: nSeries }, (_, i) => (i === nSeries - 1 ? 300 : 0));
  const indptr = new Int32Array(nSeries + 1);
  starts.forEach((s, i) => {
    indptr[i + 1] = indptr[i]! + (days - s);
  });
  const total = indptr[nSeries]!;
  const panel: DailyPanel = {
    storeId: starts.map((_, i) => `S${i % 2}`),
    productId: starts.map((_, i) => `P${i}`),
    indptr,
    start: Int32Array.from(starts),
    end: days - 1,
    units: new Float32Array(total),
    demand: new Float32Array(total),
    price: new Float32Array(total),
    regularPrice: new Float32Array(total),
    onPromo: new Uint8Array(total),
    promoDiscount: new Float32Array(total),
    inAssortment: new Uint8Array(total).fill(1),
    stockout: new Uint8Array(total),
    categoricals: [
      {
        name: "category_l1",
        codes: Int32Array.from(starts, (_, i) => (i % 3 === 0 ? 0 : 1)),
        labels: ["A", "B"],
      },
      { name: "store_id", codes: Int32Array.from(starts, (_, i) => i % 2), labels: ["S0", "S1"] },
    ],
    region: starts.map(() => "R1"),
    numerics: [{ name: "size_m2", values: Float32Array.from(starts, (_, i) => 1000 + 100 * (i % 2)) }],
  };
  for (let i = 0; i < nSeries; i++) {
    const level = 2 + 3 * (i % 10);
    for (let j = indptr[i]!; j < indptr[i + 1]!; j++) {
      const day = starts[i]! + (j - indptr[i]!);
      const promo = day % 50 < 5;
      const regular = 2 + i * 0.5;
      const price = promo ? regular * 0.7 : regular;
      const weekly = day % 7 === 5 || day % 7 === 6 ? 1.5 : 1;
      const y = rng.poisson(level * weekly * (promo ? 1.8 : 1));
      const stockout = rng.chance(0.03);
      panel.units[j] = stockout ? Math.floor(y / 2) : y;
      panel.stockout[j] = stockout ? 1 : 0;
      panel.demand[j] = stockout ? Number.NaN : y;
      panel.price[j] = price;
      panel.regularPrice[j] = regular;
      panel.onPromo[j] = promo ? 1 : 0;
      panel.promoDiscount[j] = promo ? 0.3 : 0;
    }
  }
  const event = new Uint8Array(days + 60);
  for (let t = 10; t < event.length; t += 30) event[t] = 1;
  const calendar: CalendarFlags = {
    start: 0,
    end: days + 59,
    regions: ["R1"],
    event: [event],
    snap: [new Uint8Array(days + 60)],
    payday: [new Uint8Array(days + 60)],
  };
  // Weather: observed (lead 0) and 14 days of forecasts issued every day, forecast error growing with lead.
  const maxLead = 14;
  const weather: WeatherIndex = {
    regions: ["R1"],
    start: 0,
    days: days + 60,
    maxLead,
    temperature: new Float32Array((days + 60) * (maxLead + 1)),
    precipitation: new Float32Array((days + 60) * (maxLead + 1)),
  };
  for (let t = 0; t < days + 60; t++) {
    for (let lead = 0; lead <= maxLead; lead++) {
      const actual = 15 + 10 * Math.sin((2 * Math.PI * (t + lead)) / 365);
      weather.temperature[t * (maxLead + 1) + lead] = actual + lead * 0.1 * rng.normal();
      weather.precipitation[t * (maxLead + 1) + lead] = rng.chance(0.3) ? rng.uniform(0, 10) : 0;
    }
  }
  return { panel, calendar, weather };
}

/** Feature rows of every series of `panel` at each of `origins`, all at horizon 5 (for tests of as-of features). */
export function rowsAtOrigins(panel: DailyPanel, origins: readonly number[]): FeatureRows {
  const series: number[] = [];
  const origin: number[] = [];
  for (let i = 0; i < panel.storeId.length; i++) {
    for (const o of origins) {
      series.push(i);
      origin.push(o);
    }
  }
  return {
    series: Int32Array.from(series),
    origin: Int32Array.from(origin),
    horizon: new Int32Array(series.length).fill(5),
  };
}
