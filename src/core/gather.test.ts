import assert from "node:assert/strict";
import { test } from "node:test";
import { gather } from "./gather.ts";

test("gather: picks src[idx[k]] in idx order, repeats allowed, rounded to float32", () => {
  const src = Float64Array.from([0.1, 1, 2, 3]);
  assert.deepEqual(gather(src, [3, 0, 0, 2]), Float32Array.from([3, 0.1, 0.1, 2]));
  assert.equal(gather(src, Int32Array.from([])).length, 0);
});
