import assert from "node:assert/strict";
import { test } from "node:test";
import { loadConfig } from "../config/load.ts";
import { parseDay } from "../core/days.ts";
import { InputError } from "../core/errors.ts";
import { describeFold, foldsAtOrigins, outerInnerFolds, rollingFolds } from "./splits.ts";

const s = loadConfig({ env: {} }).validation;
const start = parseDay("2011-01-29");
const end = parseDay("2016-04-24"); // M5 d_1913

test("the default scheme: 5 folds, 28 test days, gap 3, step 7, 730 train days; the last ends at the data end", () => {
  const folds = rollingFolds(start, end, 5, s);
  assert.equal(folds.length, 5);
  const last = folds[4]!;
  assert.equal(last.testEnd, end);
  assert.equal(last.testEnd - last.testStart + 1, 28);
  assert.equal(last.origin - last.trainEnd, 3);
  assert.equal(last.testStart, last.origin + 1);
  assert.equal(last.trainEnd - last.trainStart + 1, 730);
  for (let i = 1; i < 5; i++) assert.equal(folds[i]!.origin - folds[i - 1]!.origin, 7);
  assert.deepEqual(describeFold(last), {
    fold: 4,
    train: "2014-03-26..2016-03-24",
    trainDays: 730,
    origin: "2016-03-27",
    test: "2016-03-28..2016-04-24",
  });
});

test("no test day is ever inside or before its training window, inner folds stay inside their outer one", () => {
  for (const f of outerInnerFolds(start, end, s)) {
    assert.ok(f.testStart > f.trainEnd + s.gapDays);
    assert.equal(f.inner.length, 3);
    for (const g of f.inner) {
      assert.ok(
        g.trainStart >= f.trainStart && g.testEnd <= f.trainEnd,
        "inner fold leaks out of its outer train set",
      );
    }
  }
});

test("training windows are clipped at the data start; too-short data is a clear error", () => {
  const short = rollingFolds(start, start + 200, 5, s);
  assert.equal(short[0]!.trainStart, start);
  assert.throws(
    () => rollingFolds(start, start + 60, 5, s),
    (e: unknown) => e instanceof InputError && /need at least \d+ days/.test(e.message),
  );
  const explicit = foldsAtOrigins(start, [start + 400, start + 300], s);
  assert.deepEqual(
    explicit.map((f) => f.origin),
    [start + 400, start + 300],
  );
});
