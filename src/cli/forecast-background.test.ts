import assert from "node:assert/strict";
import { after, test } from "node:test";
import type { Warehouse } from "../data/warehouse.ts";
import { forecastJob } from "../forecasting/batch.ts";
import { closePools } from "../gbdt/pool.ts";
import { closePredictThread } from "../gbdt/predict-background.ts";
import { testChain } from "./forecast-chain.test-support.ts";

after(async () => {
  await closePools();
  await closePredictThread();
});

const rowsOf = async (wh: Warehouse, version: number) =>
  (
    await wh.all(
      `SELECT * EXCLUDE (created_at, model_version) FROM forecasts WHERE model_version = $1
       ORDER BY store_id, product_id, date`,
      [version],
    )
  ).map((r) => ({ ...r }));

test("forecast job on 2 threads (boosters on the background thread, pipelined with the next partition's features) writes the rows of the 1-thread job; a crash resumes to them", async () => {
  const { wh, model } = await testChain();
  try {
    const one = await forecastJob(wh, { model, modelVersion: 1, runId: "r", threads: 1 });
    assert.ok(one.rowsWritten > 0);
    const two = await forecastJob(wh, { model, modelVersion: 2, runId: "r", threads: 2 });
    assert.equal(two.rowsWritten, one.rowsWritten);
    assert.deepEqual(await rowsOf(wh, 2), await rowsOf(wh, 1));
    const seq = await forecastJob(wh, { model, modelVersion: 3, runId: "r", threads: 2, sequential: true });
    assert.equal(seq.rowsWritten, one.rowsWritten);
    assert.deepEqual(await rowsOf(wh, 3), await rowsOf(wh, 1));
    // A crash after the first partition's commit, while the second is being predicted: the rerun completes it.
    await assert.rejects(
      forecastJob(wh, {
        model,
        modelVersion: 4,
        runId: "r",
        threads: 2,
        afterPartition: () => {
          throw new Error("simulated crash");
        },
      }),
      /simulated crash/,
    );
    assert.equal(await wh.scalar("SELECT count(*) FROM forecast_partitions WHERE model_version = 4"), 1);
    const resumed = await forecastJob(wh, { model, modelVersion: 4, runId: "r", threads: 2 });
    assert.deepEqual(
      resumed.partitions.map((p) => p.status),
      ["skipped", "written"],
    );
    assert.deepEqual(await rowsOf(wh, 4), await rowsOf(wh, 1));
  } finally {
    wh.close();
  }
});
