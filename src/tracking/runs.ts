import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, renameSync, statSync, writeFileSync } from "node:fs";
import { isAbsolute, join, relative, resolve } from "node:path";
import { ConflictError, InputError, NotFoundError } from "../core/errors.ts";
import { canonicalJson, dataFingerprint } from "../data/fingerprint.ts";
import type { Warehouse } from "../data/warehouse.ts";
import { codeVersion } from "./code-version.ts";
import { dropScoreStaging, storeSeriesScores } from "./store-scores.ts";
import { sqlTimestamp } from "./time.ts";

/** A started run: its id and its directory (`<runsDir>/<runId>/`), where its artifacts go. */
export interface RunHandle {
  runId: string;
  dir: string;
}

/** One metric of a run: `level` is the quantile level (null for all levels); lo/hi the 95% CI (NaN when none). */
export interface RunMetric {
  model: string;
  metric: string;
  level: number | null;
  value: number;
  lo: number;
  hi: number;
}

/** Per-series values of one (model, metric), aligned arrays: what `runs compare` bootstraps over. */
export interface SeriesScore {
  model: string;
  metric: string;
  storeId: string[];
  productId: string[];
  value: Float64Array;
}

/** Every per-series score of a run. */
export type SeriesScores = SeriesScore[];

/** What `startRun` records before the work begins. */
export interface StartRunOptions {
  kind: "train" | "backtest";
  runsDir: string;
  config: unknown;
  seed: number;
  featureVersion: string;
  /** The clock (tests inject one). */
  now?: () => Date;
}

/** How a run ended, written by `finishRun`. */
export interface FinishRunOptions {
  status: "succeeded" | "failed";
  metrics: RunMetric[];
  /** Seconds per stage. */
  timings: Record<string, number>;
  /** Files under the run directory (relative to it, or absolute inside it). */
  artifacts: string[];
  seriesScores?: SeriesScores;
  error?: string;
  now?: () => Date;
}

/** An artifact as recorded: path relative to the run directory and its size (null when it was missing). */
export interface ArtifactRecord {
  path: string;
  bytes: number | null;
}

/**
 * Starts a tracked run: fingerprints the data, creates `<runsDir>/<runId>/` with `config.json`, and inserts
 * the `runs` row with status "running". Ids sort by start time: `YYYYMMDDTHHMMSS-<seed>-<4 hex>`.
 */
export async function startRun(wh: Warehouse, o: StartRunOptions): Promise<RunHandle> {
  if (!Number.isInteger(o.seed) || o.seed < 0) {
    throw new InputError(`the seed must be a non-negative integer, not ${o.seed}`, { column: "seed" });
  }
  const now = (o.now ?? (() => new Date()))();
  const fingerprint = await dataFingerprint(wh);
  const code = codeVersion();
  const configJson = canonicalJson(o.config ?? null);
  mkdirSync(o.runsDir, { recursive: true });
  const { runId, dir } = await claimRunDir(wh, o.runsDir, now, o.seed);
  writeAtomic(join(dir, "config.json"), `${JSON.stringify(o.config ?? null, null, 2)}\n`);
  await wh.run(
    `INSERT INTO runs (run_id, kind, status, created_at, finished_at, seed, config, data_fingerprint, data_hash,
       feature_version, code_version, timings, artifacts, dir, error)
     VALUES ($1, $2, 'running', CAST($3 AS TIMESTAMP), NULL, $4, $5, $6, $7, $8, $9, NULL, NULL, $10, NULL)`,
    [
      runId,
      o.kind,
      sqlTimestamp(now),
      o.seed,
      configJson,
      JSON.stringify(fingerprint.tables),
      fingerprint.hash,
      o.featureVersion,
      JSON.stringify(code),
      dir,
    ],
  );
  return { runId, dir };
}

/** Picks a fresh id and creates its directory; mkdir without `recursive` fails on an existing one. */
async function claimRunDir(wh: Warehouse, runsDir: string, now: Date, seed: number) {
  const stamp = now.toISOString().slice(0, 19).replaceAll("-", "").replaceAll(":", "");
  for (let attempt = 0; attempt < 20; attempt++) {
    // Ids only need to be unique, not reproducible: the suffix comes from the OS, not the run's seed.
    const runId = `${stamp}-${seed}-${randomBytes(2).toString("hex")}`;
    const dir = resolve(runsDir, runId);
    const taken = await wh.scalar("SELECT count(*) FROM runs WHERE run_id = $1", [runId]);
    if (taken > 0 || existsSync(dir)) continue;
    try {
      mkdirSync(dir);
      return { runId, dir };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
    }
  }
  throw new ConflictError(`could not find a free run id in ${runsDir} after 20 tries; is the clock stuck?`);
}

/**
 * Ends a run: status, finish time, timings, the artifact list, metrics and per-series scores, all in ONE
 * transaction (a reader never sees a half-recorded run). Refuses a run that is unknown or already finished.
 */
export async function finishRun(wh: Warehouse, run: RunHandle, r: FinishRunOptions): Promise<void> {
  const row = await wh.one<{ status: string }>("SELECT status FROM runs WHERE run_id = $1", [run.runId]);
  if (!row) throw new NotFoundError(`run ${run.runId} is not in the warehouse's runs table`);
  if (row.status !== "running") {
    throw new ConflictError(`run ${run.runId} already finished (${row.status}); start a new run instead`);
  }
  const artifacts = r.artifacts.map((a) => artifactRecord(run.dir, a, r.status));
  for (const s of r.seriesScores ?? []) checkSeriesScore(s);
  const now = (r.now ?? (() => new Date()))();
  try {
    await record(wh, run, r, artifacts, sqlTimestamp(now));
  } finally {
    await dropScoreStaging(wh);
  }
}

/** The writes of `finishRun`, in one transaction. */
async function record(
  wh: Warehouse,
  run: RunHandle,
  r: FinishRunOptions,
  artifacts: ArtifactRecord[],
  at: string,
) {
  await wh.transaction(async () => {
    await wh.run(
      `UPDATE runs SET status = $2, finished_at = CAST($3 AS TIMESTAMP), timings = $4, artifacts = $5, error = $6
       WHERE run_id = $1`,
      [run.runId, r.status, at, JSON.stringify(r.timings), JSON.stringify(artifacts), r.error ?? null],
    );
    await wh.run("DELETE FROM run_metrics WHERE run_id = $1", [run.runId]);
    for (const m of r.metrics) {
      await wh.run("INSERT INTO run_metrics VALUES ($1, $2, $3, $4, $5, $6, $7)", [
        run.runId,
        m.model,
        m.metric,
        m.level,
        finite(m.value),
        finite(m.lo),
        finite(m.hi),
      ]);
    }
    await wh.run("DELETE FROM run_series_scores WHERE run_id = $1", [run.runId]);
    for (const s of r.seriesScores ?? []) await storeSeriesScores(wh, run.runId, s);
  });
}

function artifactRecord(dir: string, file: string, status: string): ArtifactRecord {
  const abs = isAbsolute(file) ? file : join(dir, file);
  const rel = relative(dir, abs);
  if (rel.startsWith("..") || isAbsolute(rel)) {
    throw new InputError(`artifact ${file} is not under the run directory ${dir}; write artifacts there`, {
      file,
    });
  }
  if (!existsSync(abs)) {
    // A failed run may have stopped before writing everything it meant to: record the gap, do not refuse.
    if (status === "failed") return { path: rel, bytes: null };
    throw new InputError(`artifact ${rel} of a succeeded run does not exist; write it before finishRun`, {
      file: abs,
    });
  }
  return { path: rel, bytes: statSync(abs).size };
}

function checkSeriesScore(s: SeriesScore): void {
  const n = s.value.length;
  if (s.storeId.length !== n || s.productId.length !== n) {
    throw new InputError(
      `series scores of ${s.model}/${s.metric}: ${s.storeId.length} store ids, ${s.productId.length} product ids and ${n} values; the three arrays must align`,
    );
  }
}

/** NaN and infinities are stored as NULL (no CI, undefined metric). */
function finite(v: number): number | null {
  return Number.isFinite(v) ? v : null;
}

/** Writes through a temp file + rename, so a reader never sees half a file. */
function writeAtomic(file: string, text: string): void {
  writeFileSync(`${file}.tmp`, text);
  renameSync(`${file}.tmp`, file);
}
