import assert from "node:assert/strict";
import { test } from "node:test";
import { Rng } from "../core/rng.ts";
import { PrefixScratch } from "./prefix-scratch.ts";
import { PrefixStats } from "./series-stats.ts";

test("PrefixScratch gives PrefixStats' values bit for bit, series after series of other lengths", () => {
  const rng = new Rng(7);
  const scratch = new PrefixScratch();
  // A long series first, then shorter ones: stale values past the current series must never be read.
  for (const len of [120, 10, 0, 1, 57, 200, 3]) {
    const values = Float32Array.from({ length: len }, () => {
      const u = rng.next();
      return u < 0.2 ? Number.NaN : u < 0.4 ? 0 : Math.round(u * 1000) / 7;
    });
    const want = new PrefixStats(values);
    scratch.reset(values);
    for (let k = 0; k < 200; k++) {
      const a = Math.floor(rng.next() * (len + 40)) - 20;
      const b = a + Math.floor(rng.next() * 60) - 5;
      for (const m of ["n", "total", "mean", "std", "zeroShare"] as const) {
        const got = scratch[m](a, b);
        const exp = want[m](a, b);
        assert.ok(Object.is(got, exp), `len ${len}, ${m}(${a}, ${b}): ${got} vs ${exp}`);
      }
    }
  }
});
