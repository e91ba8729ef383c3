import { type Day, yearMonth } from "../core/days.ts";
import { CATEGORIES } from "./categories.ts";

/** A calendar event as written to `calendar_events`, with the effect it has in the simulation. */
export interface SimEvent {
  day: Day;
  /** Region index, or -1 for every region ('*'). */
  region: number;
  name: string;
  type: "holiday" | "national" | "religious" | "cultural" | "sporting" | "payday";
  /** Demand multiplier on the day itself (shops close early on public holidays). */
  dayFactor: number;
  /** Pre-holiday pull: the 3 days before get 1 + pull * categoryPull * (1, 1/2, 1/4). */
  pull: number;
  /** Whether categories with an event lift (snacks, drinks, meat) get it on this day. */
  eventLift: boolean;
}

const PULL_WEIGHTS = [1, 0.5, 0.25];

/** Day number of a calendar date. */
function ymd(year: number, month: number, day: number): Day {
  return Date.UTC(year, month - 1, day) / 86_400_000;
}

/** Easter Sunday of a year (anonymous Gregorian algorithm). */
export function easter(year: number): Day {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return ymd(year, month, day);
}

/** Every event in [from, to), sorted by day, region, name. */
export function calendarEvents(from: Day, to: Day, regions: number): SimEvent[] {
  const out: SimEvent[] = [];
  const y0 = yearMonth(from).year;
  const y1 = yearMonth(to).year;
  const all = (
    day: Day,
    name: string,
    type: SimEvent["type"],
    dayFactor: number,
    pull: number,
    eventLift = false,
  ) => out.push({ day, region: -1, name, type, dayFactor, pull, eventLift });
  for (let y = y0; y <= y1; y++) {
    all(ymd(y, 1, 1), "New Year's Day", "holiday", 0.7, 0.5);
    all(ymd(y, 2, 14), "Valentine's Day", "cultural", 1, 0, true);
    all(easter(y), "Easter Sunday", "religious", 0.7, 0.6);
    all(easter(y) + 1, "Easter Monday", "holiday", 0.75, 0);
    all(ymd(y, 5, 1), "Labour Day", "national", 0.75, 0.3);
    all(ymd(y, 7, 14), "National Day", "national", 0.8, 0.2, true);
    const julyFirst = ymd(y, 7, 1);
    // The cup final: the second Sunday of July.
    all(julyFirst + ((6 - ((julyFirst + 3) % 7) + 7) % 7) + 7, "Cup Final", "sporting", 1, 0, true);
    all(ymd(y, 10, 31), "Halloween", "cultural", 1, 0, true);
    all(ymd(y, 12, 25), "Christmas Day", "religious", 0.7, 1);
    all(ymd(y, 12, 26), "Boxing Day", "holiday", 0.7, 0);
    for (let m = 1; m <= 12; m++) all(ymd(y, m, 25), "Payday", "payday", 1.05, 0);
    for (let r = 0; r < regions; r++) {
      out.push({
        day: ymd(y, 5, 20) + ((r * 23) % 110),
        region: r,
        name: `Festival of R${String(r + 1).padStart(2, "0")}`,
        type: "cultural",
        dayFactor: 1.15,
        pull: 0,
        eventLift: true,
      });
    }
  }
  return out
    .filter((e) => e.day >= from && e.day < to)
    .sort((a, b) => a.day - b.day || a.region - b.region || (a.name < b.name ? -1 : 1));
}

/**
 * Event multipliers by (region, category) for one day at a time: the day factor of events on that day
 * (times the category's event lift where it applies) and the pre-holiday pull of events 1-3 days ahead.
 */
export class EventFactors {
  private readonly byDay = new Map<Day, SimEvent[]>();

  constructor(
    events: readonly SimEvent[],
    private readonly regions: number,
  ) {
    for (const e of events) {
      const list = this.byDay.get(e.day) ?? [];
      list.push(e);
      this.byDay.set(e.day, list);
    }
  }

  /** Fills `out[region * categories + category]` with the event multiplier of `day`. */
  fill(day: Day, out: Float64Array): void {
    const nc = CATEGORIES.length;
    out.fill(1);
    const apply = (e: SimEvent, f: (cat: number) => number) => {
      for (let r = 0; r < this.regions; r++) {
        if (e.region !== -1 && e.region !== r) continue;
        for (let c = 0; c < nc; c++) out[r * nc + c]! *= f(c);
      }
    };
    for (const e of this.byDay.get(day) ?? []) {
      apply(e, (c) => e.dayFactor * (e.eventLift ? CATEGORIES[c]!.eventLift : 1));
    }
    for (let k = 1; k <= PULL_WEIGHTS.length; k++) {
      for (const e of this.byDay.get(day + k) ?? []) {
        if (e.pull > 0) apply(e, (c) => 1 + e.pull * CATEGORIES[c]!.holidayPull * PULL_WEIGHTS[k - 1]!);
      }
    }
  }
}
