import assert from "node:assert/strict";
import { after, test } from "node:test";
import { loadConfig } from "../config/load.ts";
import { buildFeatures, type FeatureMatrix } from "./build.ts";
import { seriesBlocks } from "./feature-blocks.ts";
import { buildFeaturesParallel, closeFeatureWorkers } from "./parallel.ts";
import { trainingRows } from "./rows.ts";
import { testPanel } from "./test-panel.ts";

after(closeFeatureWorkers);

const settings = loadConfig({ env: {} }).features;

/** The bytes of every output array, for a bit-for-bit comparison (NaN payloads and -0 included). */
function bytes(m: FeatureMatrix): Buffer[] {
  return [...m.columns, m.target, m.price].map((a) => Buffer.from(a.buffer, a.byteOffset, a.byteLength));
}

test("parallel features are bit-identical to the single-thread matrix for 2 and 3 threads", async () => {
  const { panel, calendar, weather } = testPanel(30, 500, 3);
  // Fractional demand in one series sends it through the sorted window instead of the count histogram.
  for (let j = panel.indptr[4]!; j < panel.indptr[5]!; j += 3) panel.demand[j] = panel.demand[j]! + 0.25;
  const rows = trainingRows(panel, { trainStart: 0, trainEnd: 470, origin: 473, step: 7, maxHorizon: 28 });
  const one = buildFeatures(panel, calendar, settings, rows, { weather });
  for (const threads of [2, 3]) {
    const m = await buildFeaturesParallel(panel, calendar, settings, rows, { weather, threads });
    assert.ok(m.columns[0]!.buffer instanceof SharedArrayBuffer, "the workers really wrote the columns");
    assert.deepEqual(m.names, one.names);
    const a = bytes(one);
    const b = bytes(m);
    for (let k = 0; k < a.length; k++) {
      assert.ok(a[k]!.equals(b[k]!), `column ${one.names[k] ?? k} differs at ${threads} threads`);
    }
    assert.equal(m.rows, rows);
  }
});

test("series blocks start where a series starts and cover every row once", () => {
  const { panel } = testPanel(9, 200, 1);
  const rows = trainingRows(panel, { trainStart: 0, trainEnd: 190, origin: 193, step: 7, maxHorizon: 7 });
  const bounds = seriesBlocks(rows, 4);
  assert.equal(bounds[0], 0);
  assert.equal(bounds[bounds.length - 1], rows.series.length);
  for (let k = 1; k < bounds.length - 1; k++) {
    const r = bounds[k]!;
    assert.ok(r > bounds[k - 1]!);
    assert.notEqual(rows.series[r], rows.series[r - 1], `block ${k} starts inside a series`);
  }
  assert.ok(bounds.length >= 4, "rows are split into several blocks");
});

test("a panel changed in place between parallel builds is copied again, not served from the shared copy", async () => {
  const { panel, calendar } = testPanel(12, 300, 5);
  const rows = trainingRows(panel, { trainStart: 0, trainEnd: 290, origin: 293, step: 7, maxHorizon: 14 });
  await buildFeaturesParallel(panel, calendar, settings, rows, { threads: 2 });
  for (let j = 0; j < panel.demand.length; j += 5) panel.demand[j] = panel.demand[j]! + 1;
  const again = await buildFeaturesParallel(panel, calendar, settings, rows, { threads: 2 });
  const one = buildFeatures(panel, calendar, settings, rows);
  const a = bytes(one);
  const b = bytes(again);
  for (let k = 0; k < a.length; k++) assert.ok(a[k]!.equals(b[k]!), `column ${one.names[k] ?? k} is stale`);
});
