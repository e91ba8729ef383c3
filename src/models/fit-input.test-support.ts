import { loadConfig } from "../config/load.ts";
import { QUANTILES } from "../core/quantiles.ts";
import type { DailyPanel } from "../data/to-panel.ts";
import { testPanel } from "../features/test-panel.ts";
import { demandPanel, type FeatureData, type FitInput } from "./forecaster.ts";

/** Shape of the seeded test panel a FitInput is built on: series, days and seed of `testPanel`. */
export type PanelShape = readonly [nSeries: number, days: number, seed: number];

/**
 * A FitInput of the feature models on the seeded test panel (features/test-panel.ts): train days 100..400, 28-day
 * horizon, the six levels, default feature settings. `daily` replaces the panel's own series (a scrambled or
 * recoded copy); the calendar and weather are the panel's.
 */
export function testFitInput(
  options: { shape?: PanelShape; daily?: DailyPanel; seed?: number; withWeather?: boolean } = {},
): FitInput & { features: FeatureData } {
  const { panel, calendar, weather } = testPanel(...(options.shape ?? []));
  const daily = options.daily ?? panel;
  return {
    panel: demandPanel(daily),
    trainStart: 100,
    trainEnd: 400,
    horizon: 28,
    levels: QUANTILES,
    seed: options.seed ?? 1,
    features: {
      daily,
      calendar,
      settings: loadConfig({ env: {} }).features,
      weather: options.withWeather === false ? null : weather,
    },
  };
}
