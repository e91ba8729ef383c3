import { type Day, dayOfYear, weekday } from "../core/days.ts";
import { QUANTILES } from "../core/quantiles.ts";
import { CATEGORIES, weeklyFactors } from "./categories.ts";
import type { Product } from "./chain.ts";

/**
 * Demand of one (date, store, product) is negative binomial with mean mu and size r
 * (variance mu + mu^2 / r). The mean is a product of effects (docs/simulator.md):
 *   mu = level_p * storeLevel_s * trend_p(t) * ramp_p(t) * season_c(t) * event_{region,c}(t)
 *        * weather_{region,c}(t) * promo_{s,p}(t) * price_{s,p}(t)
 * This file holds the per-day category factors and the distribution itself.
 */

const WEEKLY = CATEGORIES.map(weeklyFactors);

/** Weekly x yearly seasonality of each category on `day` into `out[category]`. */
export function seasonFactors(day: Day, out: Float64Array): void {
  const wd = weekday(day);
  const doy = dayOfYear(day);
  for (let c = 0; c < CATEGORIES.length; c++) {
    const cat = CATEGORIES[c]!;
    const yearly = 1 + cat.yearlyAmplitude * Math.cos((2 * Math.PI * (doy - cat.yearlyPeakDay)) / 365.25);
    out[c] = WEEKLY[c]![wd]! * yearly;
  }
}

/** The weekday factor of a category (Monday = 0), as used by `seasonFactors`. */
export function weekdayFactor(category: number, wd: number): number {
  return WEEKLY[category]![wd]!;
}

/** Product level times its trend (log-linear in years since `start`) and introduction ramp on `day`. */
export function productLevel(prod: Product, day: Day, start: Day, rampDays: number): number {
  const trend = Math.exp((prod.trend * (day - start)) / 365.25);
  const age = day - prod.introduced;
  const ramp = rampDays > 0 && age < 5 * rampDays ? 1 - 0.7 * Math.exp(-Math.max(0, age) / rampDays) : 1;
  return prod.level * trend * ramp;
}

const LEVELS = QUANTILES as readonly number[];
const NQ = LEVELS.length;

/**
 * Walks the negative-binomial CDF once: writes the six quantiles (smallest k with CDF(k) >= level) into
 * `q` and returns the draw for uniform `u` by inversion (exact, and cheaper than gamma-Poisson sampling).
 */
export function nbQuantilesAndDraw(mean: number, size: number, u: number, q: Float64Array): number {
  if (!(mean > 0)) {
    q.fill(0, 0, NQ);
    return 0;
  }
  const ratio = mean / (mean + size);
  let pmf = Math.exp(size * Math.log(size / (size + mean)));
  let cdf = pmf;
  let k = 0;
  let next = 0;
  let draw = -1;
  // A hard stop far in the tail: the CDF may never reach 1 exactly in floating point.
  const limit = mean + 60 * Math.sqrt(mean + (mean * mean) / size) + 100;
  for (;;) {
    while (next < NQ && cdf >= LEVELS[next]!) q[next++] = k;
    if (draw < 0 && cdf >= u) draw = k;
    if ((next === NQ && draw >= 0) || k > limit) break;
    pmf *= ((k + size) / (k + 1)) * ratio;
    k++;
    cdf += pmf;
  }
  while (next < NQ) q[next++] = k;
  return draw < 0 ? k : draw;
}

/** CDF of the negative binomial at k (for tests and checks). */
export function nbCdf(mean: number, size: number, k: number): number {
  if (k < 0) return 0;
  const ratio = mean / (mean + size);
  let pmf = Math.exp(size * Math.log(size / (size + mean)));
  let cdf = pmf;
  for (let j = 0; j < k; j++) {
    pmf *= ((j + size) / (j + 1)) * ratio;
    cdf += pmf;
  }
  return Math.min(1, cdf);
}

/** Post-promotion dip multiplier k days after a promotion ended (k >= 1). */
export function postPromoFactor(k: number, dip: number, days: number): number {
  if (k < 1 || k > days) return 1;
  return 1 - dip * (1 - (k - 1) / days);
}
