import assert from "node:assert/strict";
import { test } from "node:test";
import { gather, gatherInt32 } from "./gather.ts";

test("gather: picks src[idx[k]] in idx order, repeats allowed, rounded to float32", () => {
  const src = Float64Array.from([0.1, 1, 2, 3]);
  assert.deepEqual(gather(src, [3, 0, 0, 2]), Float32Array.from([3, 0.1, 0.1, 2]));
  assert.equal(gather(src, Int32Array.from([])).length, 0);
});

test("gatherInt32: picks src[idx[k]] as integers beyond float32's exact range", () => {
  const src = Int32Array.from([5, 2 ** 24 + 1, -7]);
  assert.deepEqual(gatherInt32(src, [1, 2, 1, 0]), Int32Array.from([2 ** 24 + 1, -7, 2 ** 24 + 1, 5]));
});
