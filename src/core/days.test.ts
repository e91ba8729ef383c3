import assert from "node:assert/strict";
import { test } from "node:test";
import { dayOfYear, formatDay, parseDay, tryParseDay, weekday } from "./days.ts";

test("days round-trip and know their weekday", () => {
  assert.equal(parseDay("1970-01-01"), 0);
  assert.equal(formatDay(parseDay("2016-04-24")), "2016-04-24");
  assert.equal(weekday(parseDay("2026-11-26")), 3); // a Thursday
  assert.equal(weekday(parseDay("1969-12-29")), 0); // a Monday, before the epoch
  assert.equal(dayOfYear(parseDay("2024-12-31")), 365); // leap year
});

test("impossible dates are refused, not rolled over", () => {
  assert.ok(Number.isNaN(tryParseDay("2023-02-30")));
  assert.ok(Number.isNaN(tryParseDay("2023-1-5")));
  assert.throws(() => parseDay("yesterday"), /not a date.*yesterday/);
});
