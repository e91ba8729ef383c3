import assert from "node:assert/strict";
import { test } from "node:test";
import { Rng } from "../core/rng.ts";
import { PrefixScratch } from "./prefix-scratch.ts";

/** The window statistics computed directly over the known values of [a, b] (clipped), as the reference. */
function direct(values: Float32Array, a: number, b: number) {
  const known: number[] = [];
  for (let t = Math.max(0, a); t <= Math.min(values.length - 1, b); t++) {
    if (!Number.isNaN(values[t]!)) known.push(values[t]!);
  }
  const n = known.length;
  const total = known.reduce((s, v) => s + v, 0);
  const mean = n === 0 ? Number.NaN : total / n;
  const std = n < 2 ? Number.NaN : Math.sqrt(known.reduce((s, v) => s + (v - mean) ** 2, 0) / (n - 1));
  const zeroShare = n === 0 ? Number.NaN : known.filter((v) => v === 0).length / n;
  return { n, total, mean, std, zeroShare };
}

test("PrefixScratch window statistics equal direct sums, series after series of other lengths", () => {
  const rng = new Rng(7);
  const scratch = new PrefixScratch();
  // A long series first, then shorter ones: stale values past the current series must never be read.
  for (const len of [120, 10, 0, 1, 57, 200, 3]) {
    const values = Float32Array.from({ length: len }, () => {
      const u = rng.next();
      return u < 0.2 ? Number.NaN : u < 0.4 ? 0 : Math.round(u * 1000) / 7;
    });
    scratch.reset(values);
    for (let k = 0; k < 200; k++) {
      const a = Math.floor(rng.next() * (len + 40)) - 20;
      const b = a + Math.floor(rng.next() * 60) - 5;
      const want = direct(values, a, b);
      for (const m of ["n", "total", "mean", "std", "zeroShare"] as const) {
        const got = scratch[m](a, b);
        const exp = want[m];
        const close = Number.isNaN(exp)
          ? Number.isNaN(got)
          : Math.abs(got - exp) <= 1e-9 * Math.max(1, Math.abs(exp));
        assert.ok(close, `len ${len}, ${m}(${a}, ${b}): ${got} vs ${exp}`);
      }
    }
  }
});
