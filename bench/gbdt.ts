/**
 * GBDT benchmark against the peers of ../shared/peers (scikit-learn HistGradientBoosting, XGBoost) on exactly
 * their data and settings: 200 iterations, learning rate 0.1, 63 leaves, 255 bins, min 20 rows per leaf, no L2,
 * no subsampling, no early stopping. Prints one JSON line per run (each run in a fresh child process, so peak RSS
 * is the run's own).
 *   npm run bench:gbdt -- --data $PEERS_WORK/data [--runs q50,q95,tweedie] [--threads 2,1]
 * (`--iterations N` shortens a run for profiling; the comparison uses the default 200.)
 */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { closeSync, openSync, readFileSync, readSync, statSync } from "node:fs";
import { join } from "node:path";
import { Dataset } from "../src/gbdt/dataset.ts";
import { closePools, getPool } from "../src/gbdt/pool.ts";
import { serialize } from "../src/gbdt/serialize.ts";
import { train } from "../src/gbdt/train.ts";

const RUNS: Record<string, { loss: string; alpha?: number; tweedieVariancePower?: number; peer: string }> = {
  q50: { loss: "quantile", alpha: 0.5, peer: "hgb_q50" },
  q95: { loss: "quantile", alpha: 0.95, peer: "hgb_q95" },
  tweedie: { loss: "tweedie", tweedieVariancePower: 1.5, peer: "xgb_tweedie" },
};

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1] : fallback;
}

/**
 * A float32 file read straight into shared memory: the parallel predict then reads the caller's matrix in place, as
 * XGBoost's inplace_predict reads the numpy array (a non-shared matrix would be copied first).
 */
function load(dir: string, name: string): Float32Array {
  const path = join(dir, `${name}.f32`);
  const bytes = statSync(path).size;
  const out = new Float32Array(new SharedArrayBuffer(bytes));
  const fd = openSync(path, "r");
  try {
    const view = new Uint8Array(out.buffer);
    for (let off = 0; off < bytes; ) {
      const got = readSync(fd, view, off, Math.min(bytes - off, 1 << 30), off);
      if (got === 0) throw new Error(`${path}: file ended at byte ${off} of ${bytes}`);
      off += got;
    }
  } finally {
    closeSync(fd);
  }
  return out;
}

/**
 * CPU seconds of the main thread alone (Linux /proc), null elsewhere. With 2 threads the main thread runs every
 * serial part plus its share of the parallel ones, so on a loaded machine it approximates the quiet-machine wall
 * time better than the wall time does.
 */
function mainThreadCpuS(): number | null {
  try {
    const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // utime and stime are fields 14 and 15 of stat (1-based), i.e. 11 and 12 after the command name.
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}

function pinball(y: Float32Array, p: Float64Array, q: number): number {
  let s = 0;
  for (let i = 0; i < y.length; i++) {
    const r = y[i] - p[i];
    s += Math.max(q * r, (q - 1) * r);
  }
  return s / y.length;
}

function poissonDev(y: Float32Array, p: Float64Array): number {
  let s = 0;
  for (let i = 0; i < y.length; i++) {
    const m = Math.max(p[i], 1e-9);
    s += (y[i] > 0 ? y[i] * Math.log(y[i] / m) : 0) - (y[i] - m);
  }
  return (2 * s) / y.length;
}

async function one(dir: string, run: string, threads: number): Promise<void> {
  const meta = JSON.parse(readFileSync(join(dir, "meta.json"), "utf8"));
  const F = meta.n_features as number;
  const Xtr = load(dir, "X_train");
  const ytr = load(dir, "y_train");
  const Xte = load(dir, "X_test");
  const yte = load(dir, "y_test");
  const cfg = RUNS[run];
  if (cfg === undefined) throw new Error(`unknown run ${run}; use ${Object.keys(RUNS).join(",")}`);
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const m0 = mainThreadCpuS();
  // The pool starts before binning (train would start it anyway), so binning runs on it too.
  if (threads > 1) await getPool(threads);
  const ds = Dataset.fromMatrix(
    { data: Xtr, nRows: meta.n_train, nCols: F },
    { label: ytr, maxBins: 255, threads },
  );
  const binS = (performance.now() - t0) / 1000;
  const booster = await train(ds, {
    ...cfg,
    iterations: Number(arg("iterations", "200")),
    learningRate: 0.1,
    maxLeaves: 63,
    minDataInLeaf: 20,
    lambdaL2: 0,
    threads,
  });
  const trainS = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(c0);
  // Process CPU time (all threads, workers included), comparable to the peers' train_cpu_s.
  const trainCpuS = (cpu.user + cpu.system) / 1e6;
  const m1 = mainThreadCpuS();
  const t1 = performance.now();
  const ptr =
    threads > 1
      ? await booster.predictParallel({ data: Xtr, nRows: meta.n_train, nCols: F }, { threads })
      : booster.predict({ data: Xtr, nRows: meta.n_train, nCols: F });
  const predictS = (performance.now() - t1) / 1000;
  const m2 = mainThreadCpuS();
  const pte = booster.predict({ data: Xte, nRows: meta.n_test, nCols: F });
  let le = 0;
  let lt = 0;
  let mean = 0;
  for (let i = 0; i < yte.length; i++) {
    if (yte[i] <= pte[i]) le++;
    if (yte[i] < pte[i]) lt++;
    mean += pte[i];
  }
  let trLe = 0;
  for (let i = 0; i < ytr.length; i++) if (ytr[i] <= ptr[i]) trLe++;
  const n = yte.length;
  const out = {
    model: `megaretail_${run}`,
    peer: cfg.peer,
    objective: cfg.loss,
    alpha: cfg.alpha ?? null,
    threads,
    n_train: meta.n_train,
    n_test: n,
    train_s: trainS,
    train_cpu_s: trainCpuS,
    train_main_thread_cpu_s: m0 !== null && m1 !== null ? m1 - m0 : null,
    predict_main_thread_cpu_s: m1 !== null && m2 !== null ? m2 - m1 : null,
    bin_s: binS,
    predict_1M_s: predictS,
    n_trees: booster.numTrees,
    // Equal hashes = byte-identical model files: compares runs (thread counts, code versions) beyond the metrics.
    model_sha256: createHash("sha256").update(serialize(booster)).digest("hex").slice(0, 16),
    test: {
      pinball_q50: pinball(yte, pte, 0.5),
      pinball_q95: pinball(yte, pte, 0.95),
      coverage_y_le_pred: le / n,
      coverage_y_lt_pred: lt / n,
      mean_pred: mean / n,
      poisson_dev: poissonDev(yte, pte),
    },
    train_coverage_y_le_pred: trLe / ytr.length,
    peak_rss_mb: process.resourceUsage().maxRSS / 1024,
  };
  console.log(JSON.stringify(out));
  await closePools();
}

async function main(): Promise<void> {
  const dir = arg("data", join(process.env.PEERS_WORK ?? "/tmp/megaretail-peers", "data"));
  const oneRun = arg("one", "");
  if (oneRun !== "") {
    await one(dir, oneRun, Number(arg("threads", "1")));
    return;
  }
  const runs = arg("runs", "q50,q95,tweedie").split(",");
  const threads = arg("threads", "2,1").split(",").map(Number);
  for (const run of runs) {
    for (const t of threads) {
      const r = spawnSync(
        process.execPath,
        [
          ...process.execArgv,
          process.argv[1],
          ...["--data", dir, "--one", run, "--threads", String(t), "--iterations", arg("iterations", "200")],
        ],
        { stdio: "inherit" },
      );
      if (r.status !== 0) process.exit(r.status ?? 1);
    }
  }
}

await main();
