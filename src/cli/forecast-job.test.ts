import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { formatDay } from "../core/days.ts";
import { QUANTILES } from "../core/quantiles.ts";
import { loadDailyPanel } from "../data/to-panel.ts";
import type { Warehouse } from "../data/warehouse.ts";
import { buildFeatures } from "../features/build.ts";
import { forecastRows } from "../features/rows.ts";
import { activeSeries } from "../forecasting/active.ts";
import { forecastJob } from "../forecasting/batch.ts";
import { forecastPartitions } from "../forecasting/partitions.ts";
import { fillPlannedInputs } from "../forecasting/planned.ts";
import { conformPanel, dictionariesOf } from "../models/production-model-schema.ts";
import { testChain, testSettings } from "./forecast-chain.test-support.ts";

const settings = testSettings;

type Row = Record<string, unknown>;
const rowsOf = async (wh: Warehouse, version: number): Promise<Row[]> =>
  (
    await wh.all(
      `SELECT * EXCLUDE (created_at, model_version) FROM forecasts WHERE model_version = $1
       ORDER BY store_id, product_id, date`,
      [version],
    )
  ).map((r) => ({ ...r }));

test("forecast job: per-DC features equal whole-chain features; crash after a partition resumes to the same rows", async () => {
  const { dir, wh, model, ctx, daily } = await testChain();
  try {
    const dcs = await forecastPartitions(wh);
    assert.equal(dcs.length, 2, "the chain has two DCs");
    const origin = ctx.dataEnd + settings.latencyDays;
    const cutoff = ctx.dataEnd;

    // 1. Features of a DC's own panel equal the same series' features computed on the whole chain (store volume
    //    and penetration sum within a store, and a store is in one DC; categories keep the model's codes).
    const dict = dictionariesOf(daily);
    const whole = conformPanel(daily, dict);
    const wholeRows = forecastRows(whole, origin, 28, settings.latencyDays);
    const wholeM = buildFeatures(whole, ctx.calendar, settings, wholeRows, { weather: ctx.weather });
    const index = new Map(daily.storeId.map((s, i) => [`${s}|${daily.productId[i]}`, i]));
    let compared = 0;
    for (const dc of dcs) {
      const part = conformPanel(await loadDailyPanel(wh, { dc, keepConstant: true }), dict);
      const rows = forecastRows(part, origin, 28, settings.latencyDays);
      const m = buildFeatures(part, ctx.calendar, settings, rows, { weather: ctx.weather });
      assert.deepEqual(m.names, wholeM.names);
      for (let r = 0; r < rows.series.length; r++) {
        const i = index.get(`${part.storeId[rows.series[r]!]}|${part.productId[rows.series[r]!]}`)!;
        const wr = wholeRows.series.indexOf(i) + rows.horizon[r]! - 1;
        for (let f = 0; f < m.names.length; f++) {
          const a = m.columns[f]![r]!;
          const b = wholeM.columns[f]![wr]!;
          assert.ok(Object.is(a, b), `${m.names[f]} of ${part.storeId[rows.series[r]!]}: ${a} vs ${b}`);
        }
        compared++;
      }
    }
    assert.equal(compared, wholeRows.series.length, "every series of the chain is in exactly one DC");

    // 2. An uninterrupted run (version 1) equals the whole-chain prediction for the active series.
    const full = await forecastJob(wh, { model, modelVersion: 1, runId: "r1", out: join(dir, "f.parquet") });
    assert.equal(full.origin, origin);
    assert.deepEqual(
      full.partitions.map((p) => p.status),
      ["written", "written"],
    );
    const active = activeSeries(daily, cutoff);
    assert.ok(active.length > 0 && active.length <= daily.storeId.length);
    assert.equal(full.rowsTotal, active.length * 28);
    assert.equal(full.out?.rows, full.rowsTotal);
    assert.ok(existsSync(join(dir, "f.parquet")));
    assert.equal(
      await wh.scalar(`SELECT count(*) FROM read_parquet('${join(dir, "f.parquet")}')`),
      full.rowsTotal,
    );
    // The whole chain in one panel, with the planned inputs filled as the job does: the same numbers per series.
    const chain = await loadDailyPanel(wh, { end: origin + settings.plannedDays });
    await fillPlannedInputs(wh, chain, ctx.dataEnd);
    assert.deepEqual(chain.storeId, daily.storeId);
    const direct = await model.predict(
      { daily: chain, calendar: ctx.calendar, settings, weather: ctx.weather },
      origin,
      28,
      { series: active },
    );
    const i0 = active[0]!;
    const first = await wh.all<{ q0_5: number; mean: number }>(
      "SELECT q0_5, mean FROM forecasts WHERE model_version = 1 AND store_id = $1 AND product_id = $2 ORDER BY date",
      [daily.storeId[i0]!, daily.productId[i0]!],
    );
    const L = QUANTILES.length;
    assert.deepEqual(
      first.map((r) => r.q0_5),
      Array.from({ length: 28 }, (_, h) => direct.q[(i0 * 28 + h) * L + 2]!),
    );
    assert.deepEqual(
      first.map((r) => r.mean),
      Array.from({ length: 28 }, (_, h) => direct.mean![i0 * 28 + h]!),
    );

    // 3. Crash after the first partition (version 2), then rerun: the same rows as the uninterrupted run.
    await assert.rejects(
      forecastJob(wh, {
        model,
        modelVersion: 2,
        runId: "r1",
        afterPartition: () => {
          throw new Error("simulated crash");
        },
      }),
      /simulated crash/,
    );
    assert.equal(await wh.scalar("SELECT count(*) FROM forecast_partitions WHERE model_version = 2"), 1);
    const resumed = await forecastJob(wh, { model, modelVersion: 2, runId: "r1" });
    assert.deepEqual(
      resumed.partitions.map((p) => p.status),
      ["skipped", "written"],
    );
    assert.deepEqual(await rowsOf(wh, 2), await rowsOf(wh, 1));

    // 4. A rerun adds nothing; a partition list limits the job; an unknown partition is refused.
    const again = await forecastJob(wh, { model, modelVersion: 2, runId: "r1" });
    assert.equal(again.rowsWritten, 0);
    assert.equal(again.rowsTotal, full.rowsTotal);
    const one = await forecastJob(wh, { model, modelVersion: 3, runId: "r1", partitions: [dcs[1]!] });
    assert.deepEqual(
      one.partitions.map((p) => p.dc),
      [dcs[1]],
    );
    await assert.rejects(
      forecastJob(wh, { model, modelVersion: 3, runId: "r1", partitions: ["nope"] }),
      /unknown partition/,
    );
    await assert.rejects(
      forecastJob(wh, { model, modelVersion: 3, runId: "r1", origin: ctx.dataEnd + 30 }),
      /needs data up to its cutoff/,
    );

    // 5. Planned inputs past the data end: the last regular price carries forward; planned prices and promos win.
    assert.ok(full.partitions.every((p) => p.planned.days > 0));
    const i = active[0]!;
    const [store, product] = [daily.storeId[i]!, daily.productId[i]!];
    const day = (k: number) => formatDay(ctx.dataEnd + k);
    await wh.run("INSERT INTO prices VALUES ($1::DATE, $2, $3, 9.5, NULL)", [day(2), store, product]);
    await wh.run(
      "INSERT INTO promos (promo_id, product_id, store_id, dc_id, start_date, end_date, promo_type, discount) VALUES ('PX', $1, NULL, NULL, $2::DATE, $3::DATE, 'tpr', 0.2)",
      [product, day(5), day(6)],
    );
    const panel = await loadDailyPanel(wh, { end: ctx.dataEnd + 31, stores: [store] });
    const k = panel.storeId.findIndex((s, j) => s === store && panel.productId[j] === product);
    const at = (d: number) => panel.indptr[k]! + ctx.dataEnd + d - panel.start[k]!;
    const lastRegular = panel.regularPrice[at(0)]!;
    assert.ok(Number.isNaN(panel.price[at(1)]!), "daily has nothing past the data end");
    const fill = await fillPlannedInputs(wh, panel, ctx.dataEnd);
    assert.ok(fill.fromPrices >= 1 && fill.promoDays >= 2);
    assert.equal(panel.regularPrice[at(1)], lastRegular);
    assert.equal(panel.regularPrice[at(2)], 9.5);
    assert.equal(panel.onPromo[at(4)], 0);
    assert.deepEqual([panel.onPromo[at(5)], panel.onPromo[at(6)], panel.onPromo[at(7)]], [1, 1, 0]);
    assert.equal(panel.price[at(5)], Math.fround(lastRegular * 0.8));
    assert.ok(Math.abs(panel.promoDiscount[at(5)]! - 0.2) < 1e-6);
  } finally {
    wh.close();
  }
});
