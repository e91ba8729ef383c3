import assert from "node:assert/strict";
import { test } from "node:test";
import { type Dimension, search } from "./search.ts";

const dims: Dimension[] = [
  { name: "a", min: 0, max: 1, log: false, integer: false },
  { name: "b", min: 0.01, max: 100, log: true, integer: false },
  { name: "c", min: 1, max: 50, log: false, integer: true },
];
// Minimum 0 at a = 0.3, b = 1 (log10 b = 0), c = 20.
const objective = async (p: Record<string, number>) =>
  (p.a! - 0.3) ** 2 + (Math.log10(p.b!) / 4) ** 2 + ((p.c! - 20) / 49) ** 2;

test("search stays in range, rounds integers and is deterministic for a seed", async () => {
  const one = await search(dims, objective, { method: "tpe", trials: 20, seed: 3 });
  const two = await search(dims, objective, { method: "tpe", trials: 20, seed: 3 });
  assert.deepEqual(one, two);
  assert.equal(one.trials.length, 20);
  for (const t of one.trials) {
    assert.ok(t.params.a! >= 0 && t.params.a! <= 1);
    assert.ok(t.params.b! >= 0.01 && t.params.b! <= 100);
    assert.ok(Number.isInteger(t.params.c) && t.params.c! >= 1 && t.params.c! <= 50);
  }
  assert.equal(one.best.score, Math.min(...one.trials.map((t) => t.score)));
  const other = await search(dims, objective, { method: "tpe", trials: 20, seed: 4 });
  assert.notDeepEqual(other.trials[0]!.params, one.trials[0]!.params);
});

test("TPE finds a better optimum than random search with the same budget (most seeds)", async () => {
  let tpeWins = 0;
  let tpeSum = 0;
  let randomSum = 0;
  for (let seed = 1; seed <= 10; seed++) {
    const tpe = await search(dims, objective, { method: "tpe", trials: 30, seed });
    const random = await search(dims, objective, { method: "random", trials: 30, seed });
    if (tpe.best.score <= random.best.score) tpeWins++;
    tpeSum += tpe.best.score;
    randomSum += random.best.score;
  }
  assert.ok(tpeWins >= 7, `TPE won ${tpeWins} of 10`);
  assert.ok(tpeSum < randomSum, `mean best TPE ${tpeSum / 10} vs random ${randomSum / 10}`);
});

test("a bad range is refused", async () => {
  await assert.rejects(
    search([{ name: "x", min: 0, max: 1, log: true, integer: false }], objective, {
      method: "random",
      trials: 2,
      seed: 1,
    }),
    /min > 0/,
  );
});
