import assert from "node:assert/strict";
import { test } from "node:test";
import { Rng } from "../core/rng.ts";
import { ascendingOrder, CountWindow } from "./count-window.ts";
import { SortedWindow } from "./sorted-window.ts";

test("CountWindow order statistics equal SortedWindow's bit for bit while sliding", () => {
  const rng = new Rng(11);
  // Levels out of order and at the ends, so the ascending cursor and the rank clamping are both exercised.
  const ps = [0.9, 0.1, 0.5, 0, 1, 0.25, 0.75, 0.5];
  const order = ascendingOrder(ps);
  for (const [w, spread, nanShare] of [
    [7, 3, 0.1],
    [28, 40, 0.3],
    [91, 1, 0],
    [5, 200, 0.9],
  ] as const) {
    const xs = Float32Array.from({ length: 400 }, () =>
      rng.chance(nanShare) ? Number.NaN : Math.floor(rng.next() * spread),
    );
    const bins = CountWindow.fits(xs, 1024);
    assert.ok(bins > 0);
    const cw = new CountWindow(2);
    cw.reset(bins);
    const sw = new SortedWindow(w);
    const a = new Float64Array(ps.length + 2);
    const b = new Float64Array(ps.length + 2);
    for (let t = 0; t < xs.length; t++) {
      cw.add(xs[t]!);
      sw.add(xs[t]!);
      if (t >= w) {
        cw.remove(xs[t - w]!);
        sw.remove(xs[t - w]!);
      }
      cw.writeStats(a, 0, ps, order);
      sw.writeStats(b, 0, ps);
      assert.deepEqual(a, b, `w ${w}, t ${t}`);
    }
    cw.clear();
    cw.writeStats(a, 0, ps, order);
    assert.ok(a.every(Number.isNaN), "an empty window has no order statistics");
  }
});

test("CountWindow.fits accepts small non-negative integers (and NaN) only", () => {
  assert.equal(CountWindow.fits(Float32Array.of(0, 3, Number.NaN, 2), 1024), 4);
  assert.equal(CountWindow.fits(Float32Array.of(Number.NaN), 1024), 0);
  assert.equal(CountWindow.fits(Float32Array.of(1, 2.5), 1024), -1);
  assert.equal(CountWindow.fits(Float32Array.of(1, -1), 1024), -1);
  assert.equal(CountWindow.fits(Float32Array.of(1, -0), 1024), -1, "-0 would come back as +0");
  assert.equal(CountWindow.fits(Float32Array.of(1, 1024), 1024), -1);
  assert.equal(CountWindow.fits(Float32Array.of(1, Number.POSITIVE_INFINITY), 1024), -1);
});
