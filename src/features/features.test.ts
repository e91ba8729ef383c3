import assert from "node:assert/strict";
import { test } from "node:test";
import { loadConfig } from "../config/load.ts";
import { buildFeatures, type FeatureRows } from "./build.ts";
import { findLeaks } from "./leakage.ts";
import { featureNames } from "./names.ts";
import { forecastRows, trainingRows } from "./rows.ts";
import { SortedWindow } from "./sorted-window.ts";
import { testPanel } from "./test-panel.ts";

const settings = loadConfig({ env: {} }).features;
const { panel, calendar, weather } = testPanel();

function someRows(): FeatureRows {
  // Every series at three origins, horizons 1, 7, 28 (and the late series before it started).
  const series: number[] = [];
  const origin: number[] = [];
  const horizon: number[] = [];
  for (let i = 0; i < panel.storeId.length; i++) {
    for (const o of [200, 380, 420]) {
      for (const h of [1, 7, 28]) {
        series.push(i);
        origin.push(o);
        horizon.push(h);
      }
    }
  }
  return {
    series: Int32Array.from(series),
    origin: Int32Array.from(origin),
    horizon: Int32Array.from(horizon),
  };
}

test("feature names are generated from the settings, unique, and the matrix has one column per name", () => {
  const { names } = featureNames(settings, panel);
  assert.equal(new Set(names).size, names.length);
  assert.ok(
    names.includes("demand_mean_w28") && names.includes("demand_q50_w364") && names.includes("demand_lag7"),
  );
  const m = buildFeatures(panel, calendar, settings, someRows());
  assert.equal(m.columns.length, names.length);
  assert.equal(m.columns[0]!.length, someRows().series.length);
});

test("history features equal a direct computation", () => {
  const rows = someRows();
  const m = buildFeatures(panel, calendar, settings, rows);
  const col = (name: string) => m.columns[m.names.indexOf(name)]!;
  const r = 4; // series 0, origin 380, horizon 7
  assert.equal(rows.origin[r], 380);
  const c = 380 - settings.latencyDays;
  const window = Array.from(panel.demand.subarray(c - 27, c + 1)).filter((v) => !Number.isNaN(v));
  const mean = window.reduce((a, b) => a + b, 0) / window.length;
  assert.ok(Math.abs(col("demand_mean_w28")[r]! - mean) < 1e-4);
  const sorted = [...window].sort((a, b) => a - b);
  assert.equal(col("demand_min_w28")[r], sorted[0]);
  assert.equal(col("demand_max_w28")[r], sorted[sorted.length - 1]);
  assert.equal(col("demand_lag1")[r], panel.demand[c]);
  assert.equal(col("horizon")[r], 7);
  assert.equal(col("weekday")[r], (((380 + 7 + 3) % 7) + 7) % 7);
  assert.equal(col("price")[r], panel.price[387]);
  assert.equal(m.target[r], panel.demand[387]);
});

test("sliding sorted windows agree with sorting from scratch", () => {
  const w = new SortedWindow(4);
  const xs = [5, 1, Number.NaN, 3, 3, 9, 0, 2];
  for (let t = 0; t < xs.length; t++) {
    w.add(xs[t]!);
    if (t >= 4) w.remove(xs[t - 4]!);
    const win = xs
      .slice(Math.max(0, t - 3), t + 1)
      .filter((v) => !Number.isNaN(v))
      .sort((a, b) => a - b);
    assert.equal(w.min(), win[0]);
    assert.equal(w.max(), win[win.length - 1]);
  }
});

test("leakage: no feature changes when data after the cutoff changes", () => {
  const leaks = findLeaks(panel, calendar, settings, someRows(), { weather });
  assert.deepEqual(leaks, []);
  const m = buildFeatures(panel, calendar, settings, someRows(), { weather });
  const fc = m.columns[m.names.indexOf("weather_temp_forecast")]!;
  assert.ok(!Number.isNaN(fc[0]!), "a short-horizon row has a weather forecast");
  assert.ok(Number.isNaN(fc[2]!), "28 days ahead is past the 14-day forecast: unknown");
});

test("leakage: a lag shifted one day into the future is caught", () => {
  const leaks = findLeaks(panel, calendar, settings, someRows(), {
    unsafeLagShift: settings.latencyDays + 1,
  });
  assert.ok(leaks.length > 0);
  assert.ok(
    leaks.every((l) => l.feature.startsWith("demand_lag")),
    JSON.stringify(leaks.slice(0, 3)),
  );
});

test("training rows: targets inside the window, known, origins a week apart; forecast rows cover active series", () => {
  const rows = trainingRows(panel, { trainStart: 100, trainEnd: 400, origin: 403, step: 7, maxHorizon: 28 });
  assert.ok(rows.series.length > 0);
  for (let r = 0; r < rows.series.length; r++) {
    const d = rows.origin[r]! + rows.horizon[r]!;
    assert.ok(d >= 100 && d <= 400);
    assert.equal((403 - rows.origin[r]!) % 7, 0);
    const i = rows.series[r]!;
    assert.ok(!Number.isNaN(panel.demand[panel.indptr[i]! + d - panel.start[i]!]!));
  }
  const f = forecastRows(panel, 250, 28, 3);
  assert.equal(f.series.length, (panel.storeId.length - 1) * 28); // the late series starts at day 300
});

test("forecast rows (long runs of one origin: as-of and static features written once per run) equal rows built one horizon at a time (the row scratch), bit for bit", () => {
  const origin = 420;
  const all = forecastRows(panel, origin, 28, settings.latencyDays);
  const m = buildFeatures(panel, calendar, settings, all, { weather });
  for (const h of [1, 2, 9, 28]) {
    const keep = [...all.horizon.keys()].filter((r) => all.horizon[r] === h);
    const rows: FeatureRows = {
      series: Int32Array.from(keep, (r) => all.series[r]!),
      origin: Int32Array.from(keep, (r) => all.origin[r]!),
      horizon: Int32Array.from(keep, (r) => all.horizon[r]!),
    };
    const one = buildFeatures(panel, calendar, settings, rows, { weather });
    for (let f = 0; f < m.names.length; f++) {
      const a = new Int32Array(m.columns[f]!.buffer, m.columns[f]!.byteOffset, m.columns[f]!.length);
      const b = new Int32Array(one.columns[f]!.buffer, one.columns[f]!.byteOffset, one.columns[f]!.length);
      keep.forEach((r, k) => {
        assert.equal(a[r], b[k], `${m.names[f]} row ${r} (horizon ${h})`);
      });
    }
  }
});
