import assert from "node:assert/strict";
import { after, test } from "node:test";
import { Rng } from "../core/rng.ts";
import { Booster } from "./booster.ts";
import { Dataset } from "./dataset.ts";
import { closePools } from "./pool.ts";
import { closePredictThread } from "./predict-background.ts";
import { compileBinned } from "./predict-binned.ts";
import { canPredictBinned, predictBinned, startPredictBinned } from "./predict-binned-run.ts";
import { train } from "./train.ts";

after(async () => {
  await closePools();
  await closePredictThread();
});

/** n rows: x0 uniform, x1 with 15% NaN, x2 a category 0..7 (some NaN), x3 heavy-tailed, x4 few distinct values. */
function data(n: number, seed: number, wild = false) {
  const rng = new Rng(seed);
  const cols = Array.from({ length: 5 }, () => new Float32Array(n));
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    cols[0]![i] = rng.next();
    cols[1]![i] = rng.chance(0.15) ? Number.NaN : rng.normal();
    cols[2]![i] = rng.chance(0.05) ? Number.NaN : rng.int(wild ? 11 : 8); // 8..10: codes never seen in training
    cols[3]![i] = Math.exp(2 * rng.normal());
    cols[4]![i] = rng.int(4);
    const x1 = Number.isNaN(cols[1]![i]!) ? 2 : cols[1]![i]!;
    y[i] = Math.round(
      Math.max(0, 3 * cols[0]![i]! + x1 + (cols[2]![i]! % 3 === 1 ? 2 : 0) + cols[4]![i]! + rng.normal()),
    );
  }
  if (wild) {
    // Values outside the training range and the infinities.
    cols[0]![0] = -5;
    cols[0]![1] = 7;
    cols[3]![2] = Number.POSITIVE_INFINITY;
    cols[3]![3] = Number.NEGATIVE_INFINITY;
    cols[1]![4] = Number.POSITIVE_INFINITY;
  }
  return { cols, y };
}

/** Boosters of several losses fitted on one Dataset (as the production model's levels are). */
/** Each booster's float-path predictions on the columns with the `divided` ones divided by the row's divisor. */
function predictDivided(
  bs: readonly Booster[],
  cols: readonly Float32Array[],
  d: { divisor: Float32Array; divided: Uint8Array },
): Float64Array[] {
  const quotients = cols.map((c, f) =>
    d.divided[f] === 0 ? c : Float32Array.from(c, (v, r) => v / d.divisor[r]!),
  );
  return bs.map((b) => b.predict(quotients));
}

async function boosters(): Promise<Booster[]> {
  const { cols, y } = data(3000, 1);
  const ds = Dataset.fromColumns(cols, { label: y, categorical: [2], maxBins: 40 });
  const out: Booster[] = [];
  for (const alpha of [0.1, 0.5, 0.9])
    out.push(
      await train(ds, { loss: "quantile", alpha, iterations: 25, maxLeaves: 15, threads: 1, seed: 3 }),
    );
  out.push(await train(ds, { loss: "tweedie", iterations: 25, maxLeaves: 15, threads: 1 }));
  out.push(await train(ds, { loss: "squared", iterations: 20, maxLeaves: 7, threads: 1, countJitter: true }));
  return out;
}

test("binned predictions equal each booster's float walk (NaN, unseen categories, out of range, infinities)", async () => {
  const bs = await boosters();
  assert.ok(
    bs.some((b) => b.model.trees.some((t) => t.cat.some((c) => c >= 0))),
    "a categorical split",
  );
  assert.ok(
    bs.some((b) => b.model.trees.some((t) => t.defaultLeft.some((d, i) => d === 1 && t.feature[i]! >= 0))),
  );
  assert.ok(canPredictBinned(bs));
  const { cols } = data(2500, 9, true);
  const want = bs.map((b) => b.predict(cols));
  for (const threads of [1, 2]) {
    const got = await predictBinned(bs, cols, threads);
    assert.ok(got !== null);
    for (const [k, p] of got.entries()) assert.deepEqual(p, want[k], `booster ${k}, ${threads} threads`);
  }
  // Float64 columns are compared as Float64, as the float walk does.
  const c64 = cols.map((c) => Float64Array.from(c, (v, i) => (i % 3 === 0 ? v + 1e-9 : v)));
  const got64 = await predictBinned(bs, c64, 1);
  for (const [k, p] of got64!.entries()) assert.deepEqual(p, bs[k]!.predict(c64));
});

test("a threshold that is not its bin's upper bound cannot be walked on bins", async () => {
  const [b] = await boosters();
  const trees = b!.model.trees.map((t) => ({ ...t, threshold: Float64Array.from(t.threshold) }));
  const t0 = trees[0]!;
  const node = [...t0.feature].findIndex((f, i) => f >= 0 && t0.cat[i]! < 0);
  t0.threshold[node] = t0.threshold[node]! + 1e-6;
  const changed = new Booster({ ...b!.model, trees });
  assert.equal(compileBinned(changed.model, false), null);
  assert.equal(canPredictBinned([changed]), false);
  assert.equal(await predictBinned([changed], data(10, 2).cols, 1), null);
});

test("boosters with other mappers are not served together; a wrong column count is an InputError", async () => {
  const bs = await boosters();
  const { cols, y } = data(500, 4);
  const other = await train(Dataset.fromColumns(cols, { label: y, categorical: [2], maxBins: 10 }), {
    iterations: 3,
    threads: 1,
  });
  assert.equal(canPredictBinned([bs[0]!, other]), false);
  await assert.rejects(predictBinned(bs, cols.slice(0, 4), 1), /has 5 features but the data has 4/);
});

test("rows in runs (groups): features constant in a run are walked once per run, scores unchanged", async () => {
  const bs = await boosters();
  const { cols } = data(2600, 5, true);
  // Groups of 1..40 rows (some longer than a block's share, one of 300 rows: longer than a block); within a
  // group x0, x2 (categorical) and x3 repeat the group's first row, x1 and x4 vary; one group varies in every
  // feature by NaN vs a number.
  const groups = new Int32Array(cols[0]!.length);
  let g = 0;
  let start = 0;
  for (let r = 0; r < groups.length; r++) {
    const len = g === 7 ? 300 : 1 + ((g * 13) % 40);
    if (r - start >= len) {
      g++;
      start = r;
    }
    groups[r] = g;
    if (r > start) for (const f of [0, 2, 3]) cols[f]![r] = cols[f]![start]!;
  }
  cols[0]![start] = Number.NaN; // the last group: x0 varies (NaN vs a value), so it is walked per row
  const want = bs.map((b) => b.predict(cols));
  for (const threads of [1, 2]) {
    const got = await predictBinned(bs, cols, threads, groups);
    assert.ok(got !== null);
    for (const [k, p] of got.entries()) assert.deepEqual(p, want[k], `booster ${k}, ${threads} threads`);
  }
  // On the background thread (the caller joining after other work): the same scores; the columns may be reused
  // as soon as it has started (columns not in shared memory are copied).
  const pending = await startPredictBinned(bs, cols, groups);
  assert.ok(pending !== null);
  const before = cols.map((c) => c.slice());
  for (const c of cols) c.fill(Number.NaN);
  const bg = await pending.join();
  for (const [f, c] of cols.entries()) c.set(before[f]!);
  for (const [k, p] of bg.entries()) assert.deepEqual(p, want[k], `booster ${k}, background`);
  // Columns in shared memory are read in place.
  const sharedCols = cols.map((c) => {
    const out = new Float32Array(new SharedArrayBuffer(4 * c.length));
    out.set(c);
    return out;
  });
  const inPlace = await (await startPredictBinned(bs, sharedCols, groups))!.join();
  for (const [k, p] of inPlace.entries()) assert.deepEqual(p, want[k], `booster ${k}, shared columns`);
  // Every row its own group, and one group of all rows.
  for (const gs of [Int32Array.from(groups, (_, i) => i), new Int32Array(groups.length)]) {
    const got = await predictBinned(bs, cols, 1, gs);
    for (const [k, p] of got!.entries()) assert.deepEqual(p, want[k]);
  }
});

test("divided features (column / row divisor) predict as the divided columns do: rows alone, in runs (divisor constant or varying in a run), 1 and 2 threads, background", async () => {
  const bs = await boosters();
  const { cols } = data(2600, 6, true);
  const n = cols[0]!.length;
  const groups = new Int32Array(n);
  const divisor = new Float32Array(n);
  for (let r = 0; r < n; r++) {
    groups[r] = Math.floor(r / 28);
    const start = groups[r]! * 28;
    if (r > start) for (const f of [0, 2, 3]) cols[f]![r] = cols[f]![start]!;
    // Constant in most groups; varying within every fifth.
    divisor[r] = groups[r]! % 5 === 0 ? 0.5 + (r % 3) : 0.25 + (groups[r]! % 7);
  }
  const divide = { divisor, divided: Uint8Array.of(1, 0, 0, 1, 1) };
  const want = predictDivided(bs, cols, divide);
  for (const [threads, gs] of [
    [1, null],
    [2, null],
    [1, groups],
    [2, groups],
  ] as const) {
    const got = await predictBinned(bs, cols, threads, gs, divide);
    for (const [k, p] of got!.entries()) assert.deepEqual(p, want[k], `booster ${k}, ${threads} threads`);
  }
  const bg = await (await startPredictBinned(bs, cols, groups, divide))!.join();
  for (const [k, p] of bg.entries()) assert.deepEqual(p, want[k], `booster ${k}, background`);
});

test("features vouched constant within each group are read on its first row only (the other rows may hold anything); a longer group is refused", async () => {
  const bs = await boosters();
  const { cols } = data(2600, 8, true);
  const n = cols[0]!.length;
  const groups = new Int32Array(n);
  for (let r = 0; r < n; r++) {
    groups[r] = Math.floor(r / 28);
    const start = groups[r]! * 28;
    if (r > start) for (const f of [0, 2, 3]) cols[f]![r] = cols[f]![start]!;
  }
  const want = bs.map((b) => b.predict(cols));
  const constant = Uint8Array.of(1, 0, 1, 1, 0);
  // Anything on the rows after each group's first.
  for (let r = 0; r < n; r++)
    if (r % 28 !== 0) for (const f of [0, 2, 3]) cols[f]![r] = r % 2 ? Number.NaN : 1e9;
  const got = await (await startPredictBinned(bs, cols, groups, null, constant))!.join();
  for (const [k, p] of got.entries()) assert.deepEqual(p, want[k], `booster ${k}`);
  const long = new Int32Array(n);
  await assert.rejects(
    async () => (await startPredictBinned(bs, cols, long, null, constant))!.join(),
    /groups of at most 256 rows/,
  );
});

test("rows of runs repeating the previous run's values (a forecast's calendar) predict as rows alone", async () => {
  const bs = await boosters();
  const { cols } = data(2600, 8, true);
  const n = cols[0]!.length;
  const groups = new Int32Array(n);
  const divisor = new Float32Array(n);
  // Runs of 28 rows, some of 27 (their neighbours then differ in length); x1 and x4 follow the row's offset in its
  // run (as a calendar does) except in every third run, with NaN at some offsets; in runs 10..30 the divided x3
  // and the divisor also follow the offset, so whole runs of quotients repeat; elsewhere the divisor varies too.
  let g = 0;
  let start = 0;
  for (let r = 0; r < n; r++) {
    if (r - start >= (g % 9 === 4 ? 27 : 28)) {
      g++;
      start = r;
    }
    groups[r] = g;
    const k = r - start;
    if (r > start) for (const f of [0, 2]) cols[f]![r] = cols[f]![start]!;
    if (g % 3 !== 0) {
      cols[1]![r] = k % 5 === 2 ? Number.NaN : k / 7 - 1;
      cols[4]![r] = k % 4;
    }
    if (g >= 10 && g <= 30) {
      cols[3]![r] = 1 + (k % 6);
      divisor[r] = 0.5 + (k % 3);
    } else divisor[r] = 0.25 + ((g + k) % 4);
  }
  const divide = { divisor, divided: Uint8Array.of(1, 0, 0, 1, 0) };
  const want = predictDivided(bs, cols, divide);
  for (const threads of [1, 2]) {
    const got = await predictBinned(bs, cols, threads, groups, divide);
    for (const [k, p] of got!.entries()) assert.deepEqual(p, want[k], `booster ${k}, ${threads} threads`);
  }
});
