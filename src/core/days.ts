/** Calendar days as integers: days since 1970-01-01 in UTC. Dates never carry a time zone here. */
export type Day = number;

const MS_PER_DAY = 86_400_000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Parses `YYYY-MM-DD` to a day number; returns NaN for anything that is not a real calendar date. */
export function tryParseDay(text: string): Day {
  const m = ISO_DATE.exec(text.trim());
  if (!m) return Number.NaN;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  const ms = Date.UTC(y, mo - 1, d);
  const back = new Date(ms);
  // Date.UTC rolls 2023-02-30 over to March: reject such dates instead of silently moving them.
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d)
    return Number.NaN;
  return ms / MS_PER_DAY;
}

/** Parses `YYYY-MM-DD` to a day number, throwing a RangeError that names the text when it is not a date. */
export function parseDay(text: string): Day {
  const day = tryParseDay(text);
  if (Number.isNaN(day)) throw new RangeError(`not a date (expected YYYY-MM-DD): "${text}"`);
  return day;
}

/** Formats a day number as `YYYY-MM-DD`. */
export function formatDay(day: Day): string {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

/** ISO weekday: 0 = Monday ... 6 = Sunday. 1970-01-01 was a Thursday. */
export function weekday(day: Day): number {
  return (((day + 3) % 7) + 7) % 7;
}

/** Day of year, 0-based (0 = January 1st). */
export function dayOfYear(day: Day): number {
  const y = new Date(day * MS_PER_DAY).getUTCFullYear();
  return day - Date.UTC(y, 0, 1) / MS_PER_DAY;
}

/** Calendar month 1..12 and year of a day. */
export function yearMonth(day: Day): { year: number; month: number } {
  const d = new Date(day * MS_PER_DAY);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1 };
}
