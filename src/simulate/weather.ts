import { type Day, dayOfYear } from "../core/days.ts";
import { Rng } from "../core/rng.ts";
import { CATEGORIES } from "./categories.ts";
import { type Chain, round, STREAM } from "./chain.ts";
import type { SimParams } from "./params.ts";

/**
 * Weather per region and day, generated up front (it is small: days x regions): temperature is the
 * region's seasonal normal plus an AR(1) anomaly; precipitation falls on wet days (more often in winter)
 * with an exponential amount. Demand reacts to the anomaly, not the normal (the normal is in the yearly
 * seasonality already).
 */
export class Weather {
  /** First day covered (the chain's first day incl. burn-in). */
  readonly from: Day;
  readonly days: number;
  readonly temperature: Float64Array[];
  readonly normal: Float64Array[];
  readonly precipitation: Float64Array[];

  constructor(
    chain: Chain,
    private readonly p: SimParams,
  ) {
    this.from = chain.first;
    this.days = chain.end + p.weather.forecastDays - chain.first;
    this.temperature = [];
    this.normal = [];
    this.precipitation = [];
    chain.regions.forEach((region, r) => {
      const rng = Rng.derive(p.seed, STREAM.weather, r);
      const t = new Float64Array(this.days);
      const n = new Float64Array(this.days);
      const pr = new Float64Array(this.days);
      const mean = 22 - 0.6 * (region.latitude - 40);
      const amplitude = 8 + 0.2 * (region.latitude - 40);
      let anomaly = 0;
      for (let i = 0; i < this.days; i++) {
        const doy = dayOfYear(this.from + i);
        n[i] = mean + amplitude * Math.cos((2 * Math.PI * (doy - 200)) / 365.25);
        anomaly = p.weather.anomalyPersistence * anomaly + p.weather.anomalySigma * rng.normal();
        t[i] = round(n[i]! + anomaly, 1);
        const wet = p.weather.rainChance * (1 + 0.3 * Math.cos((2 * Math.PI * (doy - 330)) / 365.25));
        const u = rng.next();
        const amount = -p.weather.rainMeanMm * Math.log(1 - rng.next());
        pr[i] = u < wet ? round(Math.max(0.1, amount), 1) : 0;
      }
      this.temperature.push(t);
      this.normal.push(n);
      this.precipitation.push(pr);
    });
  }

  /** Fills `out[region * categories + category]` with the weather multiplier of `day`. */
  fill(day: Day, out: Float64Array): void {
    const nc = CATEGORIES.length;
    const i = day - this.from;
    for (let r = 0; r < this.temperature.length; r++) {
      const anomaly = this.temperature[r]![i]! - this.normal[r]![i]!;
      const rain = Math.min(30, this.precipitation[r]![i]!);
      for (let c = 0; c < nc; c++) {
        const cat = CATEGORIES[c]!;
        out[r * nc + c] = Math.exp((cat.tempBeta * anomaly) / 10 + (cat.rainBeta * rain) / 10);
      }
    }
  }

  /**
   * The forecasts issued on `day` for region `r`: horizons 1..forecastDays, with errors growing with the
   * horizon (seeded per issue day and region, so they do not depend on generation order).
   */
  forecasts(day: Day, r: number): { date: Day; temperature: number; precipitation: number }[] {
    const rng = Rng.derive(this.p.seed, STREAM.forecast, day, r);
    const out: { date: Day; temperature: number; precipitation: number }[] = [];
    for (let h = 1; h <= this.p.weather.forecastDays; h++) {
      const i = day + h - this.from;
      const t = this.temperature[r]![i]! + (0.8 + 0.3 * h) * rng.normal();
      const pr = Math.max(0, this.precipitation[r]![i]! + (0.5 + 0.4 * h) * rng.normal());
      out.push({ date: day + h, temperature: round(t, 1), precipitation: round(pr, 1) });
    }
    return out;
  }

  /** Observed temperature and precipitation of region `r` on `day`. */
  observed(day: Day, r: number): { temperature: number; precipitation: number } {
    const i = day - this.from;
    return { temperature: this.temperature[r]![i]!, precipitation: this.precipitation[r]![i]! };
  }
}
