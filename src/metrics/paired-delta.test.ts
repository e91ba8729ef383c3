import assert from "node:assert/strict";
import { test } from "node:test";
import { Rng } from "../core/rng.ts";
import { pairedDelta } from "./paired-delta.ts";

/** Per-series scores with large between-series spread (what pairing removes), plus per-run noise. */
function scores(n: number, shift: number, seed: number): { a: Float64Array; b: Float64Array } {
  const rng = new Rng(seed);
  const a = new Float64Array(n);
  const b = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const level = rng.uniform(0, 10);
    a[i] = level + 0.2 * rng.normal();
    b[i] = level + shift + 0.2 * rng.normal();
  }
  return { a, b };
}

test("a real difference is significant, noise is not, across seeds", () => {
  for (const seed of [1, 2, 3, 4, 5]) {
    const real = scores(300, 0.1, seed);
    const d = pairedDelta(real.a, real.b, { draws: 1000, seed });
    assert.ok(d.significant && d.lo > 0, `seed ${seed}: shift 0.1 found, CI [${d.lo}, ${d.hi}]`);
    assert.ok(d.lo < 0.1 && 0.1 < d.hi, `seed ${seed}: CI covers the true shift`);
  }
  let falseAlarms = 0;
  for (let seed = 1; seed <= 20; seed++) {
    const noise = scores(300, 0, seed);
    if (pairedDelta(noise.a, noise.b, { draws: 1000, seed }).significant) falseAlarms++;
  }
  // A 95% interval flags about 1 in 20 null comparisons; 4 or more in 20 would mean it is far too narrow.
  assert.ok(falseAlarms <= 3, `${falseAlarms} of 20 null comparisons flagged`);
});

test("pairing removes the between-series spread: the interval is far narrower than it", () => {
  const { a, b } = scores(300, 0.1, 9);
  const d = pairedDelta(a, b, { draws: 1000, seed: 9 });
  // Between-series spread (sd ~2.9) dwarfs the shift; the paired CI is far narrower than that spread.
  assert.ok(d.hi - d.lo < 0.1, `paired CI width ${d.hi - d.lo}`);
});

test("deterministic by seed; non-finite pairs left out; too few units give no interval", () => {
  const { a, b } = scores(50, 0.05, 3);
  assert.deepEqual(pairedDelta(a, b, { seed: 7, draws: 200 }), pairedDelta(a, b, { seed: 7, draws: 200 }));
  const d = pairedDelta([1, Number.NaN, 3], [2, 5, 5]);
  assert.equal(d.n, 2);
  assert.equal(d.delta, 1.5);
  const one = pairedDelta([1], [2]);
  assert.ok(Number.isNaN(one.lo) && !one.significant);
  assert.throws(() => pairedDelta([1, 2], [1]), /pair them first/);
});
