import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { ConflictError, InputError, NotFoundError, UsageError } from "../core/errors.ts";
import type { Warehouse } from "../data/warehouse.ts";
import { sqlTimestamp } from "./time.ts";

/** Registry stages: new versions are candidates; at most one production and one shadow at a time. */
export type Stage = "candidate" | "shadow" | "production" | "archived";

/** A registered model version, as `resolveModel` and `listModels` return it. */
export interface ModelVersion {
  version: number;
  name: string;
  file: string;
  sha256: string;
  featureSchemaHash: string;
  runId: string;
  stage: Stage;
  createdAt: string;
  metrics: Record<string, number> | null;
}

/** One stage change of a version (the registry's history). */
export interface StageEvent {
  seq: number;
  version: number;
  fromStage: Stage | null;
  toStage: Stage;
  at: string;
  reason: string | null;
}

/** What `registerModel` needs: the run that made the model and its file, content hash and feature schema. */
export interface RegisterModelOptions {
  runId: string;
  name: string;
  file: string;
  sha256: string;
  featureSchemaHash: string;
  metrics?: Record<string, number>;
  now?: () => Date;
}

/**
 * Registers a model file as the next version, stage "candidate". Refuses an unknown run, a missing file,
 * or a file whose content does not match `sha256` (the registry must point at exactly what was evaluated).
 */
export async function registerModel(wh: Warehouse, o: RegisterModelOptions): Promise<{ version: number }> {
  const run = await wh.one("SELECT run_id FROM runs WHERE run_id = $1", [o.runId]);
  if (!run) throw new NotFoundError(`run ${o.runId} is not in the warehouse; start it with startRun first`);
  if (!existsSync(o.file))
    throw new InputError("model file does not exist; write it before registering", { file: o.file });
  const actual = createHash("sha256").update(readFileSync(o.file)).digest("hex");
  if (actual !== o.sha256) {
    throw new InputError(`model file's sha256 is ${actual}, not ${o.sha256} as given; was it rewritten?`, {
      file: o.file,
    });
  }
  const at = sqlTimestamp((o.now ?? (() => new Date()))());
  return wh.transaction(async () => {
    const version = (await wh.scalar("SELECT coalesce(max(version), 0) + 1 FROM model_versions")) as number;
    await wh.run(
      `INSERT INTO model_versions (version, name, run_id, file, sha256, feature_schema_hash, stage, created_at, metrics)
       VALUES ($1, $2, $3, $4, $5, $6, 'candidate', CAST($7 AS TIMESTAMP), $8)`,
      [
        version,
        o.name,
        o.runId,
        o.file,
        o.sha256,
        o.featureSchemaHash,
        at,
        o.metrics ? JSON.stringify(o.metrics) : null,
      ],
    );
    await logEvent(wh, version, null, "candidate", at, "registered");
    return { version };
  });
}

/**
 * Puts `version` into production or shadow; the version holding that stage before goes to "archived".
 * Every change is logged in `model_stage_events`, all in one transaction. Promoting to the stage a version
 * already has changes nothing.
 */
export async function promote(
  wh: Warehouse,
  version: number,
  stage: "production" | "shadow",
  now: () => Date = () => new Date(),
): Promise<{ version: number; stage: Stage; archived: number | null }> {
  const at = sqlTimestamp(now());
  return wh.transaction(async () => {
    const target = await getVersion(wh, version);
    if (target.stage === stage) return { version, stage, archived: null };
    const holder = await wh.one<{ version: number }>("SELECT version FROM model_versions WHERE stage = $1", [
      stage,
    ]);
    if (holder) await setStage(wh, holder.version, stage, "archived", at, `replaced by version ${version}`);
    await setStage(wh, version, target.stage, stage, at, "promote");
    return { version, stage, archived: holder?.version ?? null };
  });
}

/**
 * Rolls production back: the current production version goes to "archived" and the version that was in
 * production before it comes back. Refuses when nothing is in production or there is no earlier one.
 */
export async function rollback(
  wh: Warehouse,
  now: () => Date = () => new Date(),
): Promise<{ from: number; to: number }> {
  const at = sqlTimestamp(now());
  return wh.transaction(async () => {
    const current = await wh.one<{ version: number }>(
      "SELECT version FROM model_versions WHERE stage = 'production'",
    );
    if (!current) throw new ConflictError("no model is in production, so there is nothing to roll back");
    const stack = productionStack(await stageHistory(wh));
    const previous = stack.length >= 2 ? stack[stack.length - 2] : undefined;
    if (previous === undefined || stack[stack.length - 1] !== current.version) {
      throw new ConflictError(
        `version ${current.version} is the first production model: there is no earlier one to roll back to (promote a version instead)`,
      );
    }
    const target = await getVersion(wh, previous);
    await setStage(wh, current.version, "production", "archived", at, `rolled back to version ${previous}`);
    await setStage(wh, previous, target.stage, "production", at, "rollback");
    return { from: current.version, to: previous };
  });
}

/**
 * Replays the history into the stack of production versions: a promotion pushes, a rollback pops (so two
 * rollbacks in a row go two versions back, not back and forth).
 */
export function productionStack(events: StageEvent[]): number[] {
  const stack: number[] = [];
  for (const e of events) {
    if (e.toStage !== "production") continue;
    if (e.reason === "rollback") stack.pop();
    else stack.push(e.version);
  }
  return stack;
}

/**
 * The model a reference names: "production" (default), "shadow", or a version number. NotFoundError when
 * the stage is empty or the version does not exist.
 */
export async function resolveModel(wh: Warehouse, ref = "production"): Promise<ModelVersion> {
  if (ref === "production" || ref === "shadow") {
    const row = await wh.one<VersionRow>("SELECT * FROM model_versions WHERE stage = $1", [ref]);
    if (!row) {
      throw new NotFoundError(
        `no model is in ${ref}; run \`megaretail models list\` and \`megaretail models promote VERSION --stage ${ref}\``,
      );
    }
    return fromRow(row);
  }
  if (!/^[1-9][0-9]*$/.test(ref)) {
    throw new UsageError(`model reference "${ref}": use production, shadow or a version number`);
  }
  return getVersion(wh, Number(ref));
}

/** Every registered version, newest first. */
export async function listModels(wh: Warehouse): Promise<ModelVersion[]> {
  const rows = await wh.all<VersionRow>("SELECT * FROM model_versions ORDER BY version DESC");
  return rows.map(fromRow);
}

/** The stage history, oldest first (of one version when given). */
export async function stageHistory(wh: Warehouse, version?: number): Promise<StageEvent[]> {
  const rows = await wh.all<{
    seq: number;
    version: number;
    from_stage: string | null;
    to_stage: string;
    at: string;
    reason: string | null;
  }>(
    `SELECT * FROM model_stage_events ${version === undefined ? "" : "WHERE version = $1"} ORDER BY seq`,
    version === undefined ? [] : [version],
  );
  return rows.map((r) => ({
    seq: r.seq,
    version: r.version,
    fromStage: r.from_stage as Stage | null,
    toStage: r.to_stage as Stage,
    at: r.at,
    reason: r.reason,
  }));
}

interface VersionRow extends Record<string, string | number | boolean | null> {
  version: number;
  name: string;
  run_id: string;
  file: string;
  sha256: string;
  feature_schema_hash: string;
  stage: string;
  created_at: string;
  metrics: string | null;
}

function fromRow(r: VersionRow): ModelVersion {
  return {
    version: r.version,
    name: r.name,
    file: r.file,
    sha256: r.sha256,
    featureSchemaHash: r.feature_schema_hash,
    runId: r.run_id,
    stage: r.stage as Stage,
    createdAt: r.created_at,
    metrics: r.metrics === null ? null : (JSON.parse(r.metrics) as Record<string, number>),
  };
}

async function getVersion(wh: Warehouse, version: number): Promise<ModelVersion> {
  const row = await wh.one<VersionRow>("SELECT * FROM model_versions WHERE version = $1", [version]);
  if (!row)
    throw new NotFoundError(`model version ${version} is not registered (see \`megaretail models list\`)`);
  return fromRow(row);
}

async function setStage(wh: Warehouse, version: number, from: Stage, to: Stage, at: string, reason: string) {
  await wh.run("UPDATE model_versions SET stage = $2 WHERE version = $1", [version, to]);
  await logEvent(wh, version, from, to, at, reason);
}

async function logEvent(
  wh: Warehouse,
  version: number,
  from: Stage | null,
  to: Stage,
  at: string,
  reason: string,
): Promise<void> {
  await wh.run(
    `INSERT INTO model_stage_events (seq, version, from_stage, to_stage, "at", reason)
     SELECT coalesce(max(seq), 0) + 1, $1, $2, $3, CAST($4 AS TIMESTAMP), $5 FROM model_stage_events`,
    [version, from, to, at, reason],
  );
}
