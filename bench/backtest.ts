/**
 * Backtest benchmark (issue #5):
 *  1. features: feature-matrix throughput on a seeded synthetic 10M-row daily panel (10,000 series x 1,000 days,
 *     features/test-panel.ts): training rows at weekly origins over the whole history, 10% of the horizons;
 *  2. backtest: wall time and peak RSS of the full 5-fold backtest of every forecaster on m5-dev
 *     (../shared/data/m5-dev, imported into a fresh warehouse first), run as `megaretail backtest` in a child
 *     process so its peak RSS is its own.
 *  The feature part runs buildFeaturesParallel on `--threads` threads (default: the cores Node may use; 1 = the
 *  single-thread buildFeatures) and prints wall and CPU seconds (all threads) and a SHA-1 of every output column,
 *  which must not depend on the thread count.
 *   npm run bench:backtest [-- --skip-features] [--skip-backtest] [--threads N] [--m5 DIR] [--models a,b]
 *     [--row-sample SHARE]   (default: the backtest's, 0.25; 1 = all rows, ~24 minutes)
 */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { loadConfig } from "../src/config/load.ts";
import { buildFeaturesParallel, closeFeatureWorkers, startFeatureWorkers } from "../src/features/parallel.ts";
import { trainingRows } from "../src/features/rows.ts";
import { testPanel } from "../src/features/test-panel.ts";

const args = process.argv.slice(2);
const flag = (name: string) => args.includes(`--${name}`);
const value = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? args[i + 1]! : fallback;
};
const root = resolve(new URL("..", import.meta.url).pathname);
const load = () =>
  loadavg()
    .map((x) => x.toFixed(2))
    .join(" / ");

if (!flag("skip-features")) {
  const t0 = performance.now();
  const { panel, calendar, weather } = testPanel(10_000, 1_000, 7);
  const made = (performance.now() - t0) / 1000;
  const settings = loadConfig({ env: {} }).features;
  const origin = 1_000 - 28;
  const threads = Number(value("threads", String(availableParallelism())));
  // Worker start-up (loading the code, once per process) is timed apart: a backtest or a forecast job reuses them.
  const tw = performance.now();
  await startFeatureWorkers(threads);
  const workerStart = (performance.now() - tw) / 1000;
  // Timed as before this session's changes: making the training rows plus building their features.
  const t1 = performance.now();
  const cpu0 = process.cpuUsage();
  // Every weekly origin of every series, 10% of the (origin, horizon) rows: the as-of features see the whole
  // panel while the matrix stays ~4M rows (all horizons would be 28 GB of float32).
  const rows = trainingRows(panel, {
    trainStart: 0,
    trainEnd: origin - 3,
    origin,
    step: 7,
    maxHorizon: 28,
    sample: 0.1,
    seed: 1,
  });
  const rowsSeconds = (performance.now() - t1) / 1000;
  const m = await buildFeaturesParallel(panel, calendar, settings, rows, { weather, threads });
  const seconds = (performance.now() - t1) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const panelRows = panel.units.length;
  const hash = createHash("sha1");
  for (const c of [...m.columns, m.target, m.price])
    hash.update(new Uint8Array(c.buffer, c.byteOffset, c.byteLength));
  await closeFeatureWorkers();
  console.log(
    JSON.stringify({
      bench: "features",
      panelRows,
      featureRows: rows.series.length,
      features: m.names.length,
      threads,
      workerStartSeconds: +workerStart.toFixed(2),
      seconds: +seconds.toFixed(2),
      rowsSeconds: +rowsSeconds.toFixed(2),
      cpuSeconds: +((cpu.user + cpu.system) / 1e6).toFixed(2),
      panelRowsPerSecond: Math.round(panelRows / seconds),
      featureRowsPerSecond: Math.round(rows.series.length / seconds),
      featureValuesPerSecond: Math.round((rows.series.length * m.names.length) / seconds),
      panelBuildSeconds: +made.toFixed(2),
      peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
      load: load(),
      checksum: hash.digest("hex").slice(0, 16),
    }),
  );
}

if (!flag("skip-backtest")) {
  const m5 = resolve(value("m5", join(root, "..", "shared", "data", "m5-dev")));
  if (!existsSync(m5)) {
    console.log(JSON.stringify({ bench: "backtest", skipped: `no M5 folder at ${m5} (pass --m5 DIR)` }));
  } else {
    const dir = mkdtempSync(join(tmpdir(), "mr-bench-bt-"));
    const db = join(dir, "m5.duckdb");
    const cli = (cmd: string[]) => {
      const t = performance.now();
      const r = spawnSync(
        "/usr/bin/time",
        ["-f", "%M", process.execPath, "--import", "tsx", join(root, "src/cli/main.ts"), ...cmd],
        { encoding: "utf8", cwd: root, env: { ...process.env, TZ: "UTC" }, maxBuffer: 1 << 26 },
      );
      if (r.status !== 0) throw new Error(`megaretail ${cmd.join(" ")} failed:\n${r.stderr}`);
      const rssKb = Number(r.stderr.trim().split("\n").pop());
      return {
        seconds: (performance.now() - t) / 1000,
        peakRssMB: Math.round(rssKb / 1024),
        stdout: r.stdout,
      };
    };
    const startLoad = load();
    const imported = cli(["import", "m5", m5, "--db", db, "--json"]);
    const models = value("models", "");
    const rowSample = value("row-sample", "");
    const bt = cli([
      "backtest",
      "--db",
      db,
      "--out",
      join(dir, "bt"),
      "--json",
      // Unless asked, the backtest's own default share of training rows (the CLI's BACKTEST_ROW_SAMPLE).
      ...(rowSample ? ["--row-sample", rowSample] : []),
      ...(models ? ["--models", models] : []),
    ]);
    const summary = JSON.parse(bt.stdout);
    console.log(
      JSON.stringify({
        bench: "backtest",
        data: "m5-dev (196 series x 1913 days)",
        folds: 5,
        rowSample: rowSample || "default (0.25)",
        importSeconds: +imported.seconds.toFixed(1),
        backtestSeconds: +bt.seconds.toFixed(1),
        peakRssMB: bt.peakRssMB,
        perModel: summary.headline.map(
          (h: { model: string; seconds: number; meanScaledPinball: number }) => ({
            model: h.model,
            seconds: +h.seconds.toFixed(1),
            meanScaledPinball: +h.meanScaledPinball.toFixed(4),
          }),
        ),
        loadStart: startLoad,
        loadEnd: load(),
      }),
    );
    rmSync(dir, { recursive: true, force: true });
  }
}
