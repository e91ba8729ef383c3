import { type Day, tryParseDay } from "../core/days.ts";
import { UsageError } from "../core/errors.ts";

/** Parses a YYYY-MM-DD flag value, or throws a UsageError naming the flag. */
export function dayFlag(flag: string, value: string): Day {
  const d = tryParseDay(value);
  if (Number.isNaN(d)) throw new UsageError(`${flag} takes a date as YYYY-MM-DD, got "${value}"`);
  return d;
}

/** Parses a positive integer flag value, or throws a UsageError naming the flag. */
export function intFlag(flag: string, value: string, min = 1): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min)
    throw new UsageError(`${flag} takes a whole number >= ${min}, got "${value}"`);
  return n;
}

/** Splits a comma-separated flag value into trimmed, non-empty items. */
export function listFlag(value: string): string[] {
  return value
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/** Parses a share in (0, 1], or throws a UsageError naming the flag. */
export function shareFlag(flag: string, value: string): number {
  const x = Number(value);
  if (!(x > 0 && x <= 1)) throw new UsageError(`${flag} takes a share in (0, 1], got "${value}"`);
  return x;
}
