import assert from "node:assert/strict";
import { after, test } from "node:test";
import { Rng } from "../core/rng.ts";
import { binOf, fitCategorical, fitNumeric, upperBound } from "./binning.ts";
import { Dataset } from "./dataset.ts";
import { closePools, getPool } from "./pool.ts";

after(() => closePools());

test("binning a matrix or columns over 2 threads gives the same mappers and bins as 1 thread", async () => {
  const rng = new Rng(21);
  const nRows = 30_000;
  const nCols = 5;
  // A float32 matrix (as the benchmark data), NaN in column 1, integer codes in column 3 (categorical).
  const data = new Float32Array(nRows * nCols);
  for (let i = 0; i < nRows; i++) {
    data[i * nCols] = rng.normal();
    data[i * nCols + 1] = rng.chance(0.05) ? Number.NaN : rng.next() * 100;
    data[i * nCols + 2] = rng.int(7);
    data[i * nCols + 3] = rng.int(12);
    data[i * nCols + 4] = Math.exp(rng.normal());
  }
  const m = { data, nRows, nCols };
  const opts = { categorical: [3], binSampleSize: 20_000, seed: 5 };
  await getPool(2);
  const one = Dataset.fromMatrix(m, opts);
  const two = Dataset.fromMatrix(m, { ...opts, threads: 2 });
  assert.deepEqual(two.mappers, one.mappers);
  assert.ok(two.mappers[0].nBins > 200, "column 0 uses many bins (the sampled fit is exercised)");
  assert.deepEqual(two.bins, one.bins);
  assert.deepEqual(two.binsByFeature(), one.binsByFeature());
  // The same data as columns (Float64 and Float32 arrays, as the forecasters pass them), binned block by block.
  const cols = Array.from({ length: nCols }, (_, f) => {
    const c = f % 2 === 0 ? new Float64Array(nRows) : new Float32Array(nRows);
    for (let i = 0; i < nRows; i++) c[i] = data[i * nCols + f];
    return c;
  });
  const colsOne = Dataset.fromColumns(cols, opts);
  const colsTwo = Dataset.fromColumns(cols, { ...opts, threads: 2 });
  assert.deepEqual(colsTwo.mappers, colsOne.mappers);
  assert.deepEqual(colsOne.bins, one.bins, "columns bin like the matrix");
  assert.deepEqual(colsTwo.bins, one.bins);
  assert.deepEqual(colsTwo.binsByFeature(), one.binsByFeature());
});

test("few distinct values: one bin each, thresholds at midpoints, NaN in the missing bin", () => {
  const m = fitNumeric(Float64Array.from([3, 1, 2, 2, Number.NaN, 1]), 255);
  assert.equal(m.nBins, 3);
  assert.deepEqual([...m.thresholds], [1.5, 2.5]);
  assert.deepEqual(
    [1, 2, 3, 99, -5, Number.NaN].map((x) => binOf(m, x)),
    [0, 1, 2, 2, 0, 3],
  );
});

test("many distinct values: at most maxBins quantile bins with roughly equal counts", () => {
  const rng = new Rng(3);
  const v = Float64Array.from({ length: 10000 }, () => rng.normal());
  const m = fitNumeric(v, 16);
  assert.equal(m.nBins, 16);
  const counts = new Array(17).fill(0);
  for (const x of v) counts[binOf(m, x)]++;
  for (let b = 0; b < 16; b++) assert.ok(Math.abs(counts[b] - 625) < 20, `bin ${b}: ${counts[b]}`);
});

test("categorical: codes map to bins, unseen codes and NaN to the missing bin, bad codes are input errors", () => {
  const vals = [5, 2, 5, 9, Number.NaN, 2, 5];
  const m = fitCategorical((i) => vals[i], vals.length, 255, "store");
  assert.deepEqual([...m.categories], [2, 5, 9]);
  assert.deepEqual(
    [2, 5, 9, 7, Number.NaN].map((x) => binOf(m, x)),
    [0, 1, 2, 3, 3],
  );
  assert.throws(
    () => fitCategorical(() => 1.5, 3, 255, "store"),
    /row 0, column "store".*non-negative integer/,
  );
});

test("dataset bins equal binOf for row-major and column input (branch-free search = binary search)", () => {
  const rng = new Rng(9);
  const n = 3000;
  const cols = [0, 1, 2].map((f) =>
    Float32Array.from({ length: n }, () =>
      rng.chance(0.05) ? Number.NaN : f === 2 ? rng.int(4) : rng.normal() * 10,
    ),
  );
  const a = Dataset.fromColumns(cols, { categorical: [2], maxBins: 64, binSampleSize: 500 });
  const data = new Float32Array(n * 3);
  for (let i = 0; i < n; i++) for (let f = 0; f < 3; f++) data[i * 3 + f] = cols[f][i];
  const b = Dataset.fromMatrix(
    { data, nRows: n, nCols: 3 },
    { categorical: [2], maxBins: 64, binSampleSize: 500 },
  );
  assert.deepEqual(a.bins, b.bins);
  for (let i = 0; i < n; i++)
    for (let f = 0; f < 3; f++) assert.equal(a.bins[i * 3 + f], binOf(a.mappers[f], cols[f][i]));
  const byF = a.binsByFeature();
  for (let i = 0; i < n; i++) assert.equal(byF[2 * n + i], a.bins[i * 3 + 2]);
  assert.equal(upperBound(Float64Array.from([1, 2]), 2), 1);
});

test("bad input names the row and column", () => {
  assert.throws(
    () => Dataset.fromColumns([[1, 2, 3]], { label: [1, Number.NaN, 3] }),
    /row 1, column "label"/,
  );
  assert.throws(() => Dataset.fromColumns([[1, 2], [1]]), /column "1".*1 rows/);
  assert.throws(() => Dataset.fromColumns([[1, 2]], { weight: [1, -1] }), /row 1, column "weight"/);
});
