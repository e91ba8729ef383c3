import type { Day } from "../core/days.ts";
import { dayOfYear, formatDay, weekday, yearMonth } from "../core/days.ts";
import type { Warehouse } from "../data/warehouse.ts";

/** Day flags from `calendar_events` per region (region '*' applies everywhere), over a day range. */
export interface CalendarFlags {
  start: Day;
  end: Day;
  regions: string[];
  /** Per region (index in `regions`), per day offset: 1 on a named event or holiday. */
  event: Uint8Array[];
  snap: Uint8Array[];
  payday: Uint8Array[];
}

const EVENT_TYPES = ["holiday", "national", "religious", "cultural", "sporting", "other"];

/** Loads calendar flags for [start, end] and the given regions (null region: only chain-wide '*' events). */
export async function loadCalendar(
  wh: Warehouse,
  start: Day,
  end: Day,
  regions: string[],
): Promise<CalendarFlags> {
  const len = end - start + 1;
  const flags: CalendarFlags = {
    start,
    end,
    regions,
    event: regions.map(() => new Uint8Array(len)),
    snap: regions.map(() => new Uint8Array(len)),
    payday: regions.map(() => new Uint8Array(len)),
  };
  const rows = await wh.all<{ day: number; region: string; event_type: string }>(
    `SELECT (date - DATE '1970-01-01')::INT AS day, region, event_type FROM calendar_events
     WHERE date BETWEEN DATE '${formatDay(start)}' AND DATE '${formatDay(end)}'`,
  );
  for (const r of rows) {
    const targets =
      r.region === "*" ? regions.map((_, i) => i) : [regions.indexOf(r.region)].filter((i) => i >= 0);
    const kind = EVENT_TYPES.includes(r.event_type)
      ? flags.event
      : r.event_type === "snap"
        ? flags.snap
        : flags.payday;
    for (const i of targets) kind[i]![r.day - start] = 1;
  }
  return flags;
}

/** Region index of a series' region in the flags ('*' -> a region slot that only gets chain-wide events). */
export function regionIndex(flags: CalendarFlags, region: string | null): number {
  return flags.regions.indexOf(region ?? "*");
}

/** Distances (days) to the next and since the last event per region and day, capped, and per-day calendar parts. */
export interface CalendarIndex {
  daysTo: Int16Array[];
  daysSince: Int16Array[];
  weekday: Uint8Array;
  month: Uint8Array;
  dayOfMonth: Uint8Array;
  dayOfYear: Int16Array;
}

/** Precomputes the per-day lookups of a calendar in O(days), so features never loop or build Dates per row. */
export function indexCalendar(flags: CalendarFlags, cap: number): CalendarIndex {
  const len = flags.end - flags.start + 1;
  const daysTo = flags.event.map((ev) => {
    const out = new Int16Array(len);
    let next = Number.POSITIVE_INFINITY;
    for (let t = len - 1; t >= 0; t--) {
      if (ev[t]) next = t;
      out[t] = Math.min(cap, next - t);
    }
    return out;
  });
  const daysSince = flags.event.map((ev) => {
    const out = new Int16Array(len);
    let last = Number.NEGATIVE_INFINITY;
    for (let t = 0; t < len; t++) {
      if (ev[t]) last = t;
      out[t] = Math.min(cap, t - last);
    }
    return out;
  });
  const idx: CalendarIndex = {
    daysTo,
    daysSince,
    weekday: new Uint8Array(len),
    month: new Uint8Array(len),
    dayOfMonth: new Uint8Array(len),
    dayOfYear: new Int16Array(len),
  };
  for (let t = 0; t < len; t++) {
    const day = flags.start + t;
    idx.weekday[t] = weekday(day);
    idx.month[t] = yearMonth(day).month;
    idx.dayOfMonth[t] = new Date(day * 86_400_000).getUTCDate();
    idx.dayOfYear[t] = dayOfYear(day);
  }
  return idx;
}
