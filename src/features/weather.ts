import type { Day } from "../core/days.ts";
import { formatDay } from "../core/days.ts";
import type { Warehouse } from "../data/warehouse.ts";

/**
 * Weather per region as known on each day: for region r, issue day i and lead L (0 = observed that day,
 * L > 0 = the forecast issued on i for day i + L), temperature and precipitation. NaN where unknown.
 */
export interface WeatherIndex {
  regions: string[];
  start: Day;
  days: number;
  maxLead: number;
  temperature: Float32Array;
  precipitation: Float32Array;
}

/** Position of (region, issue day, lead) in the index arrays, or -1 outside it. */
export function weatherAt(w: WeatherIndex, region: number, issued: Day, lead: number): number {
  const t = issued - w.start;
  if (region < 0 || t < 0 || t >= w.days || lead < 0 || lead > w.maxLead) return -1;
  return (region * w.days + t) * (w.maxLead + 1) + lead;
}

/** Loads `weather` for the regions over [start, end] of issue days; null when the table is empty. */
export async function loadWeather(
  wh: Warehouse,
  regions: string[],
  start: Day,
  end: Day,
): Promise<WeatherIndex | null> {
  const rows = await wh.all<{
    region: string;
    issued: number;
    lead: number;
    t: number | null;
    p: number | null;
  }>(
    `SELECT region, (issued_date - DATE '1970-01-01')::INT AS issued, (date - issued_date)::INT AS lead,
            temperature_c AS t, precipitation_mm AS p
     FROM weather WHERE issued_date BETWEEN DATE '${formatDay(start)}' AND DATE '${formatDay(end)}' AND date >= issued_date`,
  );
  if (rows.length === 0) return null;
  const maxLead = Math.min(
    60,
    rows.reduce((m, r) => Math.max(m, r.lead), 0),
  );
  const days = end - start + 1;
  const size = regions.length * days * (maxLead + 1);
  const w: WeatherIndex = {
    regions,
    start,
    days,
    maxLead,
    temperature: new Float32Array(size).fill(Number.NaN),
    precipitation: new Float32Array(size).fill(Number.NaN),
  };
  const regionOf = new Map(regions.map((r, i) => [r, i]));
  for (const r of rows) {
    const j = weatherAt(w, regionOf.get(r.region) ?? -1, r.issued, r.lead);
    if (j < 0) continue;
    w.temperature[j] = r.t ?? Number.NaN;
    w.precipitation[j] = r.p ?? Number.NaN;
  }
  return w;
}
