import type { Config } from "../config/schema.ts";
import type { DailyPanel } from "../data/to-panel.ts";

/** Feature settings (the `features` section of the config). */
export type FeatureSettings = Config["features"];

/** Name fragment of a quantile level: 0.5 -> "q50", 0.25 -> "q25". */
export function levelName(p: number): string {
  return `q${Math.round(p * 100)}`;
}

/**
 * Every feature's name, generated from the settings (never typed by hand), in the column order of the
 * feature matrix. `categorical` lists the names the learner must treat as categories.
 */
export function featureNames(
  settings: FeatureSettings,
  panel: Pick<DailyPanel, "categoricals" | "numerics">,
) {
  // As-of features depend only on (series, cutoff) and are computed once per origin, then shared by the
  // horizons; target features depend on the target day; static ones on the series.
  const asof: string[] = [];
  for (const k of settings.lags) asof.push(`demand_lag${k}`);
  for (const w of settings.meanWindows)
    asof.push(`demand_mean_w${w}`, `demand_std_w${w}`, `demand_zero_share_w${w}`);
  asof.push("demand_known_share_w28");
  for (const w of settings.orderWindows) {
    asof.push(`demand_min_w${w}`, `demand_max_w${w}`);
    for (const p of settings.quantiles) asof.push(`demand_${levelName(p)}_w${w}`);
  }
  asof.push("days_since_sale", "history_days", "store_volume_mean_w28");
  asof.push("penetration_l1_w91", "penetration_l2_w91", "penetration_l3_w91", "elasticity_w364");
  const target: string[] = ["horizon"];
  for (const k of settings.sameWeekdayWeeks) target.push(`demand_same_weekday_mean_${k}w`);
  target.push("demand_year_ago", "demand_year_ago_mean_w7");
  target.push(
    "weekday",
    "month",
    "day_of_month",
    "day_of_year",
    "event",
    "days_to_event",
    "days_since_event",
  );
  target.push("snap", "payday");
  target.push(
    "price",
    "regular_price",
    "discount_depth",
    "price_rel_mean_w28",
    "price_rel_mean_w91",
    "price_change",
  );
  target.push("on_promo", "promo_discount", "promo_days_into", "promo_days_until");
  target.push("weather_temp_forecast", "weather_precip_forecast", "weather_temp_at_cutoff");
  const categorical = panel.categoricals.map((c) => c.name);
  const statics = [...categorical, ...panel.numerics.map((c) => c.name)];
  return {
    names: [...asof, ...target, ...statics],
    asofCount: asof.length,
    targetCount: target.length,
    categorical: ["weekday", ...categorical],
  };
}
