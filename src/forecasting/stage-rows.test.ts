import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { test } from "node:test";
import { Rng } from "../core/rng.ts";
import { sqlString, Warehouse } from "../data/warehouse.ts";
import { RowStager, type RowsToStage, removeStaged } from "./stage-rows.ts";

/** A forecast block of 5 panel series × 3 days × 6 levels, with a mean NaN in some cells. */
function rowsToStage(): RowsToStage {
  const rng = new Rng(7);
  const nSeries = 5;
  const H = 3;
  return {
    series: Int32Array.from([4, 1, 2]),
    sidOffset: 100,
    horizon: H,
    q: Float32Array.from({ length: nSeries * H * 6 }, () => Math.floor(rng.next() * 50) / 4),
    mean: Float32Array.from({ length: nSeries * H }, (_, i) => (i % 4 === 0 ? Number.NaN : i / 3)),
  };
}

/** The staged file's rows as [sid, horizon, q0..q5, mean] (null for a missing mean). */
async function readStaged(file: string): Promise<unknown[][]> {
  const wh = await Warehouse.open(":memory:");
  try {
    const rows = await wh.all(`SELECT * FROM read_parquet(${sqlString(file)})`);
    return rows.map((r) => Object.values(r));
  } finally {
    wh.close();
  }
}

test("RowStager writes the forecast rows of the chosen series, keyed by offset + panel index, on a worker and in process alike", async () => {
  const p = rowsToStage();
  const want: unknown[][] = [];
  for (const i of p.series) {
    for (let h = 1; h <= p.horizon; h++) {
      const cell = i * p.horizon + h - 1;
      const mean = p.mean![cell]!;
      want.push([
        100 + i,
        h,
        ...Array.from(p.q.subarray(cell * 6, cell * 6 + 6)),
        Number.isNaN(mean) ? null : mean,
      ]);
    }
  }
  for (const start of [RowStager.inProcess, RowStager.start]) {
    const stager = await start();
    try {
      const staged = await stager.stage(p);
      assert.equal(staged.rows, 9);
      assert.deepEqual(await readStaged(staged.file), want);
      removeStaged(staged);
      assert.equal(existsSync(staged.dir), false);
    } finally {
      await stager.close();
    }
  }
  // Handed over to the worker: the same rows, and the caller's arrays are moved (detached), not copied.
  const stager = await RowStager.start();
  try {
    const moved = rowsToStage();
    const staged = await stager.stage(moved, true);
    assert.deepEqual(await readStaged(staged.file), want);
    assert.equal(moved.q.length, 0);
    assert.equal(moved.mean!.length, 0);
    removeStaged(staged);
  } finally {
    await stager.close();
  }
});

test("RowStager: a failed staging rejects with the worker's error and the worker serves the next request", async () => {
  const stager = await RowStager.start();
  try {
    await assert.rejects(
      stager.stage({ ...rowsToStage(), series: null as unknown as Int32Array }),
      /stage worker: .*null/,
    );
    const staged = await stager.stage(rowsToStage());
    assert.equal(staged.rows, 9);
    removeStaged(staged);
  } finally {
    await stager.close();
  }
});
