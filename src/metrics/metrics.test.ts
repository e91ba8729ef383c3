import assert from "node:assert/strict";
import { test } from "node:test";
import { Rng } from "../core/rng.ts";
import { quantileSorted } from "../core/stats.ts";
import { evaluate, pairedRatio } from "./evaluate.ts";
import { isBetter } from "./metric.ts";
import { pinball, pinballMetric } from "./pinball.ts";
import { bias, coverageMetric, rmse, strictCoverageMetric, wape } from "./point.ts";
import { standardMetrics } from "./standard.ts";

test("pinball loss is asymmetric by the level", () => {
  assert.equal(pinball(10, 8, 0.9), 0.9 * 2);
  assert.ok(Math.abs(pinball(8, 10, 0.9) - 0.1 * 2) < 1e-12);
  assert.equal(pinball(5, 5, 0.3), 0);
});

test("metrics on a hand-computed table", () => {
  const cols = {
    actual: [0, 2, 4, 6],
    q: [[1, 2, 3, 7]],
    point: [1, 2, 3, 7],
    series: [0, 0, 1, 1],
  };
  const [pb, le, lt, b, w, r] = evaluate(
    cols,
    [pinballMetric(0, 0.5), coverageMetric(0, 0.5), strictCoverageMetric(0, 0.5), bias, wape, rmse],
    { bootstrap: 0 },
  );
  assert.equal(pb!.value, (0.5 * 1 + 0 + 0.5 * 1 + 0.5 * 1) / 4);
  assert.equal(le!.value, 3 / 4); // 0<=1, 2<=2, 6<=7
  assert.equal(lt!.value, 2 / 4); // the tie at 2 counts only for <=
  assert.equal(b!.value, (1 + 0 - 1 + 1) / 12);
  assert.equal(w!.value, 3 / 12);
  assert.equal(r!.value, Math.sqrt(3 / 4));
  assert.ok(Number.isNaN(pb!.lo), "no CI without bootstrap draws");
});

test("bootstrap over series: seeded, brackets the estimate, narrows with more series", () => {
  const make = (nSeries: number) => {
    const rng = new Rng(3);
    const actual: number[] = [];
    const q: number[] = [];
    const series: number[] = [];
    for (let s = 0; s < nSeries; s++) {
      const level = rng.uniform(1, 20);
      for (let d = 0; d < 28; d++) {
        actual.push(rng.poisson(level));
        q.push(level);
        series.push(s);
      }
    }
    return { actual, q: [q], point: q, series };
  };
  const small = evaluate(make(20), [pinballMetric(0, 0.5)], { bootstrap: 400, seed: 9 })[0]!;
  const again = evaluate(make(20), [pinballMetric(0, 0.5)], { bootstrap: 400, seed: 9 })[0]!;
  assert.deepEqual(small, again);
  assert.ok(small.lo < small.value && small.value < small.hi, JSON.stringify(small));
  const big = evaluate(make(320), [pinballMetric(0, 0.5)], { bootstrap: 400, seed: 9 })[0]!;
  // Width shrinks like 1/sqrt(series): 16x the series, about a quarter of the width.
  assert.ok(big.hi - big.lo < 0.5 * (small.hi - small.lo), `${big.hi - big.lo} vs ${small.hi - small.lo}`);
});

test("identical series give a zero-width interval; masks select rows", () => {
  const cols = { actual: [1, 3, 1, 3], q: [[2, 2, 2, 2]], point: [2, 2, 2, 2], series: [0, 0, 1, 1] };
  const [e] = evaluate(cols, [pinballMetric(0, 0.5)], { bootstrap: 50 });
  assert.equal(e!.lo, e!.value);
  assert.equal(e!.hi, e!.value);
  const [masked] = evaluate(cols, [pinballMetric(0, 0.5)], { bootstrap: 0, mask: [1, 0, 1, 0] });
  assert.equal(masked!.rows, 2);
  assert.equal(masked!.value, 0.5);
});

test("direction: lower loss is better; coverage and bias are better near their target", () => {
  const [pb, cov] = [pinballMetric(0, 0.5), coverageMetric(0, 0.9)];
  assert.ok(isBetter(pb, 1, 2));
  assert.ok(isBetter(cov, 0.88, 0.8));
  assert.ok(!isBetter(cov, 0.99, 0.91));
  assert.ok(isBetter(bias, -0.01, 0.05));
  assert.equal(standardMetrics([0.5, 0.9]).length, 2 + 2 * 5 + 4);
  assert.equal(quantileSorted([1, 2, 3, 4], 0.5), 2.5);
});

test("paired ratio: the same resamples for both models, so a constant ratio has a zero-width interval", () => {
  const rng = new Rng(11);
  const actual: number[] = [];
  const good: number[] = [];
  const bad: number[] = [];
  const series: number[] = [];
  for (let s = 0; s < 40; s++) {
    const level = rng.uniform(1, 30);
    const err = rng.uniform(0.5, 5); // series differ a lot in how hard they are
    for (let d = 0; d < 20; d++) {
      actual.push(level);
      good.push(level + err);
      bad.push(level + 2 * err); // exactly twice the loss on every row
      series.push(s);
    }
  }
  const opts = { bootstrap: 200, seed: 4, keepDraws: true };
  const [a] = evaluate({ actual, q: [good], point: good, series }, [pinballMetric(0, 0.5)], opts);
  const [b] = evaluate({ actual, q: [bad], point: bad, series }, [pinballMetric(0, 0.5)], opts);
  const p = pairedRatio(a!, b!);
  assert.equal(p.ratio, 0.5);
  assert.ok(Math.abs(p.lo - 0.5) < 1e-12 && Math.abs(p.hi - 0.5) < 1e-12, JSON.stringify(p));
  assert.ok(a!.hi - a!.lo > 0.2, `the unpaired interval is wide: ${a!.lo}..${a!.hi}`);
});
