import assert from "node:assert/strict";
import { test } from "node:test";
import { Rng } from "../core/rng.ts";
import { CheckSplitter } from "./checks.ts";

test("check lines: ids 0..checks-1 in time order, a check's lines together, totals kept", () => {
  const splitter = new CheckSplitter(2.5, 8, 22);
  const rng = new Rng(11);
  for (let day = 0; day < 50; day++) {
    const n = 5 + rng.int(60);
    const units = new Float64Array(n);
    for (let j = 0; j < n; j++) units[j] = rng.chance(0.3) ? 0 : 1 + rng.int(6);
    const lines = splitter.split(units, n, new Rng(day));
    const sold = new Float64Array(n);
    for (let k = 0; k < lines.n; k++) {
      const c = lines.check[k]!;
      assert.ok(c >= 0 && c < lines.checks, `line ${k}: check ${c} of ${lines.checks}`);
      if (k > 0) assert.ok(c === lines.check[k - 1] || c === lines.check[k - 1]! + 1, `line ${k}`);
      sold[lines.slot[k]!]! += lines.units[k]!;
    }
    assert.equal(lines.check[lines.n - 1], lines.checks - 1);
    for (let c = 1; c < lines.checks; c++) assert.ok(lines.seconds[c]! >= lines.seconds[c - 1]!);
    assert.deepEqual(sold, units);
  }
});
