/**
 * Feature groups: the families of features that buildFeatures computes together, so their cost can be timed (the
 * feature tests compare it with a budget) and each feature can be traced to its group.
 */

/** Groups in the order buildFeatures computes them. */
export const FEATURE_GROUPS = [
  "lags",
  "rolling_stats",
  "rolling_order",
  "history",
  "group_volume",
  "elasticity",
  "target_history",
  "calendar",
  "price_promo",
  "weather",
  "statics",
] as const;

/** One feature group. */
export type FeatureGroup = (typeof FEATURE_GROUPS)[number];

/** The group of a feature named by featureNames (names.ts); anything unknown is a series attribute (statics). */
export function featureGroup(name: string): FeatureGroup {
  if (/^demand_lag\d+$/.test(name)) return "lags";
  if (/^demand_(mean|std|zero_share|known_share)_w\d+$/.test(name)) return "rolling_stats";
  if (/^demand_(min|max|q\d+)_w\d+$/.test(name)) return "rolling_order";
  if (name === "days_since_sale" || name === "history_days") return "history";
  if (name === "store_volume_mean_w28" || name.startsWith("penetration_")) return "group_volume";
  if (name.startsWith("elasticity_")) return "elasticity";
  if (name.startsWith("demand_same_weekday_") || name.startsWith("demand_year_ago")) return "target_history";
  if (
    /^(horizon|weekday|month|day_of_month|day_of_year|event|days_to_event|days_since_event|snap|payday)$/.test(
      name,
    )
  )
    return "calendar";
  if (/^(price|regular_price|discount_depth|price_rel_mean_w\d+|price_change|on_promo|promo_\w+)$/.test(name))
    return "price_promo";
  if (name.startsWith("weather_")) return "weather";
  return "statics";
}

/** A sampled lap longer than this (ms) is a pause (GC, the OS running something else), not the group's work. */
const PAUSE_MS = 2;

/**
 * Milliseconds per group, cheap enough to leave on: laps that run once per series are always timed; laps that run
 * per origin or per row are timed on every `every`-th unit only and scaled up, so the clock costs a few
 * nanoseconds per row instead of a dozen performance.now() calls. A sampled lap that took longer than PAUSE_MS is
 * dropped from the estimate: scaled up by `every` it would otherwise charge a single pause to the group many times.
 */
export class GroupClock {
  private readonly ms = new Float64Array(FEATURE_GROUPS.length);
  private readonly laps = new Float64Array(FEATURE_GROUPS.length);
  private t = 0;
  private units = 0;
  /** Whether the current unit is timed. */
  on = false;

  constructor(private readonly every: number) {}

  /** Starts a unit that is always timed (setup work). */
  always(): void {
    this.on = true;
    this.t = performance.now();
  }

  /** Starts a sampled unit; `on` says whether this one is timed. */
  sample(): void {
    this.on = this.units++ % this.every === 0;
    if (this.on) this.t = performance.now();
  }

  /** Charges the time since the last lap to group g (when the unit is timed). */
  lap(g: number): void {
    if (!this.on) return;
    const now = performance.now();
    const dt = now - this.t;
    this.t = now;
    if (this.every > 1 && dt > PAUSE_MS) return;
    this.ms[g]! += dt;
    this.laps[g]!++;
  }

  /** The exact laps of `exact` plus the scaled-up sampled laps of `sampled`: the estimated total ms per group. */
  static total(exact: GroupClock, ...sampled: GroupClock[]): Record<string, number> {
    const out: Record<string, number> = {};
    FEATURE_GROUPS.forEach((name, g) => {
      let ms = exact.ms[g]!;
      for (const c of sampled) if (c.laps[g]! > 0) ms += (c.ms[g]! / c.laps[g]!) * c.units;
      out[name] = ms;
    });
    return out;
  }
}

/** Index of each group in FEATURE_GROUPS, for GroupClock.lap. */
export const G = Object.fromEntries(FEATURE_GROUPS.map((g, i) => [g, i])) as Record<FeatureGroup, number>;
