/**
 * The valid range of every feature family of names.ts: what a correct computation can produce. A value outside it
 * is a bug (or corrupt input), never a property of the data, which is why out_of_range fails a run by default.
 */

/** Valid values of one feature: [min, max], and whether they must be integers. */
export interface FeatureRange {
  min: number;
  max: number;
  integer: boolean;
}

const ANY: FeatureRange = { min: Number.NEGATIVE_INFINITY, max: Number.POSITIVE_INFINITY, integer: false };
const NON_NEGATIVE: FeatureRange = { min: 0, max: Number.POSITIVE_INFINITY, integer: false };
const SHARE: FeatureRange = { min: 0, max: 1, integer: false };
const FLAG: FeatureRange = { min: 0, max: 1, integer: true };
const int = (min: number, max: number): FeatureRange => ({ min, max, integer: true });

// Day distances of events and promos are capped at 60 in build.ts (CAP).
const CAPPED_DAYS = int(0, 60);

/** Name patterns and their ranges, first match wins. */
const RULES: [RegExp, FeatureRange][] = [
  [/^demand_(zero_share|known_share)_w\d+$/, SHARE],
  [/^demand_/, NON_NEGATIVE], // lags, rolling means/std/min/max/quantiles, same weekday, year ago
  [/^days_since_sale$/, int(0, Number.POSITIVE_INFINITY)],
  [/^history_days$/, int(1, Number.POSITIVE_INFINITY)],
  [/^store_volume_mean_w\d+$/, NON_NEGATIVE],
  [/^penetration_l\d_w\d+$/, SHARE],
  [/^elasticity_w\d+$/, ANY],
  [/^horizon$/, int(1, Number.POSITIVE_INFINITY)],
  [/^weekday$/, int(0, 6)],
  [/^month$/, int(1, 12)],
  [/^day_of_month$/, int(1, 31)],
  [/^day_of_year$/, int(0, 365)], // days since 1 January (core/days.ts dayOfYear)
  [/^(event|snap|payday|on_promo)$/, FLAG],
  [/^(days_to_event|days_since_event|promo_days_into|promo_days_until)$/, CAPPED_DAYS],
  [/^(price|regular_price)$/, NON_NEGATIVE],
  // 1 - price / regular: a price above the regular one gives a negative depth, which is valid.
  [/^discount_depth$/, { min: Number.NEGATIVE_INFINITY, max: 1, integer: false }],
  [/^price_(rel_mean_w\d+|change)$/, NON_NEGATIVE],
  [/^promo_discount$/, SHARE],
  [/^weather_temp_/, { min: -90, max: 60, integer: false }],
  [/^weather_precip_/, NON_NEGATIVE],
];

/** The valid range of a feature; categorical features (integer codes) are integers >= 0; unknown names: any. */
export function featureRange(name: string, categorical: boolean): FeatureRange {
  if (categorical && name !== "weekday") return int(0, Number.POSITIVE_INFINITY);
  for (const [re, range] of RULES) if (re.test(name)) return range;
  return ANY;
}

/** True when the finite value v lies outside the range (a relative tolerance absorbs float32 rounding). */
export function outOfRange(r: FeatureRange, v: number): boolean {
  const tol = 1e-6 * Math.max(1, Math.abs(v));
  if (v < r.min - tol || v > r.max + tol) return true;
  return r.integer && v !== Math.round(v);
}
