import type { Day } from "../core/days.ts";
import { InputError } from "../core/errors.ts";
import { QUANTILES } from "../core/quantiles.ts";
import type { DailyPanel } from "../data/to-panel.ts";
import type { Warehouse } from "../data/warehouse.ts";
import { type CalendarFlags, loadCalendar } from "../features/calendar.ts";
import type { FeatureSettings } from "../features/names.ts";
import { loadWeather, type WeatherIndex } from "../features/weather.ts";
import { demandPanel, type FeatureData, type FitInput } from "../models/forecaster.ts";

/** What every partition of a forecast job shares: the data's span, the calendar and the weather, chain-wide. */
export interface ChainContext {
  dataStart: Day;
  dataEnd: Day;
  calendar: CalendarFlags;
  weather: WeatherIndex | null;
}

/**
 * Loads the chain-wide calendar and weather once. Regions come from the stores table, not from a partition's
 * panel, so every partition looks events and weather up in the same tables as the whole chain would.
 */
export async function loadChainContext(wh: Warehouse, cutoff?: Day): Promise<ChainContext> {
  const span = await wh.one<{ lo: number | null; hi: number | null }>(
    "SELECT (min(date) - DATE '1970-01-01')::INT AS lo, (max(date) - DATE '1970-01-01')::INT AS hi FROM daily",
  );
  if (span?.lo == null || span.hi == null) {
    throw new InputError(
      "the daily table is empty: load data first (megaretail ingest ... && megaretail etl, or megaretail import m5 DIR)",
      { file: wh.path },
    );
  }
  const storeRegions = await wh.all<{ region: string }>(
    "SELECT DISTINCT coalesce(region, '*') AS region FROM stores ORDER BY region",
  );
  const regions = [...new Set([...storeRegions.map((r) => r.region), "*"])];
  const calendar = await loadCalendar(wh, span.lo, span.hi + 366, regions);
  // Weather issued up to the cutoff: forecasts beyond it are what the cutoff knows.
  const end = Math.min(cutoff ?? span.hi, span.hi);
  const weather = await loadWeather(wh, regions, span.lo, end);
  return { dataStart: span.lo, dataEnd: span.hi, calendar, weather };
}

/** Whether the warehouse has any weather (what a model's schema is checked against). */
export async function hasWeather(wh: Warehouse): Promise<boolean> {
  return (await wh.scalar("SELECT count(*) FROM (SELECT 1 FROM weather LIMIT 1)")) > 0;
}

/**
 * A production model's fit input over the chain's whole span: `daily` (the chain or a part of it) with the
 * chain's calendar and weather, 28-day horizon, the six levels.
 */
export function chainFitInput(
  ctx: ChainContext,
  daily: DailyPanel,
  settings: FeatureSettings,
  seed = 1,
): FitInput & { features: FeatureData } {
  return {
    panel: demandPanel(daily),
    trainStart: ctx.dataStart,
    trainEnd: ctx.dataEnd,
    horizon: 28,
    levels: QUANTILES,
    seed,
    features: { daily, calendar: ctx.calendar, settings, weather: ctx.weather },
  };
}
