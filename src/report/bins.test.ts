import assert from "node:assert/strict";
import { test } from "node:test";
import { binValues, tailRange } from "./bins.ts";

test("binValues: counts add up, edge bins take the values outside the range, non-finite skipped", () => {
  const values = [0.1, 0.2, 0.5, 0.9, -5, 7, Number.NaN, Number.POSITIVE_INFINITY];
  const b = binValues(values, 4, [0, 1]);
  assert.deepEqual(b.edges, [0, 0.25, 0.5, 0.75, 1]);
  assert.deepEqual(b.counts, [3, 0, 1, 2]);
  assert.equal(b.n, 6);
  assert.equal(b.below, 1);
  assert.equal(b.above, 1);
  assert.equal(b.skipped, 2);
});

test("binValues: integer-lattice values get whole-number bins centred on the lattice", () => {
  const b = binValues([-2, -1, -1, 0, 3], 40, [-2, 3]);
  assert.deepEqual(b.edges, [-2.5, -1.5, -0.5, 0.5, 1.5, 2.5, 3.5]);
  assert.deepEqual(b.counts, [1, 2, 1, 0, 0, 1]);
  const shifted = binValues([0.25, 1.25, 5.25], 2, [0.25, 5.25]);
  assert.deepEqual(shifted.edges, [-0.25, 2.75, 5.75]);
  assert.deepEqual(shifted.counts, [2, 1]);
});

test("tailRange cuts the extreme tails; a constant sample still bins", () => {
  const xs = Array.from({ length: 1001 }, (_, i) => i);
  xs.push(1e9);
  const [lo, hi] = tailRange(xs)!;
  assert.equal(lo, 5);
  assert.ok(hi < 1e9);
  assert.equal(tailRange([]), undefined);
  assert.deepEqual(binValues([3, 3, 3], 10).counts, [3]);
});
