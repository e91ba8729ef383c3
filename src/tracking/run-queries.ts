import { NotFoundError } from "../core/errors.ts";
import type { TableFingerprint } from "../data/fingerprint.ts";
import type { Warehouse } from "../data/warehouse.ts";
import type { CodeVersion } from "./code-version.ts";
import type { ArtifactRecord, RunMetric } from "./runs.ts";

/** A run as `runs list` shows it. */
export interface RunSummary {
  runId: string;
  kind: string;
  status: string;
  createdAt: string;
  finishedAt: string | null;
  seed: number;
  dataHash: string;
  featureVersion: string;
  dir: string;
}

/** Everything recorded about one run (`runs show`). */
export interface RunDetail extends RunSummary {
  config: unknown;
  dataFingerprint: TableFingerprint[];
  codeVersion: CodeVersion;
  timings: Record<string, number> | null;
  artifacts: ArtifactRecord[] | null;
  error: string | null;
  metrics: RunMetric[];
  /** (model, metric) pairs with per-series scores, and how many series each has. */
  seriesScores: { model: string; metric: string; series: number }[];
  /** Model versions registered from this run, with their current stage. */
  models: { version: number; name: string; stage: string }[];
}

interface RunRow extends Record<string, string | number | boolean | null> {
  run_id: string;
  kind: string;
  status: string;
  created_at: string;
  finished_at: string | null;
  seed: number;
  config: string;
  data_fingerprint: string;
  data_hash: string;
  feature_version: string;
  code_version: string;
  timings: string | null;
  artifacts: string | null;
  dir: string;
  error: string | null;
}

/** The newest `limit` runs, newest first. */
export async function listRuns(wh: Warehouse, limit = 20): Promise<RunSummary[]> {
  const rows = await wh.all<RunRow>("SELECT * FROM runs ORDER BY created_at DESC, run_id DESC LIMIT $1", [
    limit,
  ]);
  return rows.map(summary);
}

/** One run with its metrics; NotFoundError naming the id when it is not recorded. */
export async function getRun(wh: Warehouse, runId: string): Promise<RunDetail> {
  const row = await wh.one<RunRow>("SELECT * FROM runs WHERE run_id = $1", [runId]);
  if (!row) throw new NotFoundError(`run ${runId} is not recorded (see \`megaretail runs list\`)`);
  const metrics = await wh.all<{
    model: string;
    metric: string;
    level: number | null;
    value: number | null;
    lo: number | null;
    hi: number | null;
  }>(
    "SELECT model, metric, level, value, lo, hi FROM run_metrics WHERE run_id = $1 ORDER BY model, metric, level NULLS FIRST",
    [runId],
  );
  const scores = await wh.all<{ model: string; metric: string; series: number }>(
    "SELECT model, metric, count(*) AS series FROM run_series_scores WHERE run_id = $1 GROUP BY model, metric ORDER BY model, metric",
    [runId],
  );
  const models = await wh.all<{ version: number; name: string; stage: string }>(
    "SELECT version, name, stage FROM model_versions WHERE run_id = $1 ORDER BY version",
    [runId],
  );
  return {
    ...summary(row),
    config: JSON.parse(row.config),
    dataFingerprint: JSON.parse(row.data_fingerprint) as TableFingerprint[],
    codeVersion: JSON.parse(row.code_version) as CodeVersion,
    timings: row.timings === null ? null : (JSON.parse(row.timings) as Record<string, number>),
    artifacts: row.artifacts === null ? null : (JSON.parse(row.artifacts) as ArtifactRecord[]),
    error: row.error,
    metrics: metrics.map((m) => ({
      model: m.model,
      metric: m.metric,
      level: m.level,
      value: m.value ?? Number.NaN,
      lo: m.lo ?? Number.NaN,
      hi: m.hi ?? Number.NaN,
    })),
    seriesScores: scores.map((s) => ({ ...s, series: Number(s.series) })),
    models,
  };
}

/**
 * The per-series scores of (model, metric) in two runs, paired on the series both have, in a fixed order
 * (store, product) so a seeded bootstrap over them is reproducible.
 */
export async function pairedSeriesScores(
  wh: Warehouse,
  runA: string,
  runB: string,
  model: string,
  metric: string,
): Promise<{ a: Float64Array; b: Float64Array }> {
  const cols = await wh.readTyped(
    `SELECT a.value AS a, b.value AS b
     FROM run_series_scores a JOIN run_series_scores b USING (model, metric, store_id, product_id)
     WHERE a.run_id = $1 AND b.run_id = $2 AND model = $3 AND metric = $4
     ORDER BY store_id, product_id`,
    { a: "f64", b: "f64" },
    [runA, runB, model, metric],
  );
  return cols;
}

function summary(r: RunRow): RunSummary {
  return {
    runId: r.run_id,
    kind: r.kind,
    status: r.status,
    createdAt: r.created_at,
    finishedAt: r.finished_at,
    seed: r.seed,
    dataHash: r.data_hash,
    featureVersion: r.feature_version,
    dir: r.dir,
  };
}
