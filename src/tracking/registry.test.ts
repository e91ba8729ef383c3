import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { ConflictError, InputError, NotFoundError, UsageError } from "../core/errors.ts";
import { Rng } from "../core/rng.ts";
import { Warehouse } from "../data/warehouse.ts";
import {
  listModels,
  productionStack,
  promote,
  registerModel,
  resolveModel,
  rollback,
  stageHistory,
} from "./registry.ts";
import { getRun } from "./run-queries.ts";
import { startRun } from "./runs.ts";

async function setup() {
  const wh = await Warehouse.open(":memory:");
  const runsDir = join(mkdtempSync(join(tmpdir(), "mr-reg-")), "runs");
  const run = await startRun(wh, { kind: "train", runsDir, config: {}, seed: 1, featureVersion: "f" });
  let n = 0;
  /** Writes a distinct model file into the run directory and registers it. */
  const register = async () => {
    const file = join(run.dir, `model-${++n}.json`);
    const text = `{"model":${n}}`;
    writeFileSync(file, text);
    const sha256 = createHash("sha256").update(text).digest("hex");
    return (
      await registerModel(wh, { runId: run.runId, name: "gbdt", file, sha256, featureSchemaHash: "fs" })
    ).version;
  };
  return { wh, run, register };
}

async function stages(wh: Warehouse): Promise<Record<number, string>> {
  return Object.fromEntries((await listModels(wh)).map((m) => [m.version, m.stage]));
}

test("register: versions count up from 1 as candidates; wrong hash, missing file and unknown run are refused", async () => {
  const { wh, run, register } = await setup();
  assert.equal(await register(), 1);
  assert.equal(await register(), 2);
  assert.deepEqual(await stages(wh), { 1: "candidate", 2: "candidate" });
  const file = join(run.dir, "model-1.json");
  const base = { runId: run.runId, name: "gbdt", file, sha256: "0".repeat(64), featureSchemaHash: "fs" };
  await assert.rejects(registerModel(wh, base), InputError);
  await assert.rejects(registerModel(wh, { ...base, file: join(run.dir, "absent.json") }), InputError);
  await assert.rejects(registerModel(wh, { ...base, runId: "no-such-run" }), NotFoundError);
  assert.equal((await listModels(wh)).length, 2);
  const v1 = await resolveModel(wh, "1");
  assert.deepEqual([v1.version, v1.file, v1.featureSchemaHash, v1.runId], [1, file, "fs", run.runId]);
  assert.deepEqual(
    (await getRun(wh, run.runId)).models.map((m) => [m.version, m.stage]),
    [
      [1, "candidate"],
      [2, "candidate"],
    ],
  );
  wh.close();
});

test("promote: one production and one shadow at a time, the previous holder archived, every change logged", async () => {
  const { wh, register } = await setup();
  for (let i = 0; i < 3; i++) await register();
  await assert.rejects(resolveModel(wh), NotFoundError);
  assert.deepEqual(await promote(wh, 1, "production"), { version: 1, stage: "production", archived: null });
  assert.deepEqual(await promote(wh, 2, "shadow"), { version: 2, stage: "shadow", archived: null });
  assert.deepEqual(await stages(wh), { 1: "production", 2: "shadow", 3: "candidate" });
  assert.deepEqual(await promote(wh, 2, "production"), { version: 2, stage: "production", archived: 1 });
  assert.deepEqual(await stages(wh), { 1: "archived", 2: "production", 3: "candidate" });
  assert.equal((await resolveModel(wh)).version, 2);
  await assert.rejects(resolveModel(wh, "shadow"), NotFoundError);
  await assert.rejects(resolveModel(wh, "latest"), UsageError);
  await assert.rejects(promote(wh, 9, "production"), NotFoundError);
  // Promoting to the stage a version already has is a no-op, not an event.
  const before = (await stageHistory(wh)).length;
  await promote(wh, 2, "production");
  assert.equal((await stageHistory(wh)).length, before);
  const h2 = (await stageHistory(wh, 2)).map((e) => [e.fromStage, e.toStage]);
  assert.deepEqual(h2, [
    [null, "candidate"],
    ["candidate", "shadow"],
    ["shadow", "production"],
  ]);
  const h1 = await stageHistory(wh, 1);
  assert.equal(h1.at(-1)!.reason, "replaced by version 2");
  wh.close();
});

test("rollback goes back one production version per call, archives the current one, and refuses at the start", async () => {
  const { wh, register } = await setup();
  await assert.rejects(rollback(wh), ConflictError);
  for (let i = 0; i < 3; i++) await promote(wh, await register(), "production");
  assert.deepEqual(await rollback(wh), { from: 3, to: 2 });
  assert.deepEqual(await stages(wh), { 1: "archived", 2: "production", 3: "archived" });
  assert.deepEqual(await rollback(wh), { from: 2, to: 1 }, "a second rollback goes further back, not to 3");
  await assert.rejects(rollback(wh), /no earlier one to roll back to/);
  assert.deepEqual(await stages(wh), { 1: "production", 2: "archived", 3: "archived" });
  const last = (await stageHistory(wh)).at(-1)!;
  assert.deepEqual(
    [last.version, last.fromStage, last.toStage, last.reason],
    [1, "archived", "production", "rollback"],
  );
  wh.close();
});

test("production stack: promotions push, rollbacks pop", () => {
  const e = (version: number, reason: string) => ({
    seq: 0,
    version,
    fromStage: null,
    toStage: "production" as const,
    at: "",
    reason,
  });
  assert.deepEqual(productionStack([e(1, "promote"), e(2, "promote"), e(1, "promote")]), [1, 2, 1]);
  assert.deepEqual(
    productionStack([e(1, "promote"), e(2, "promote"), e(3, "promote"), e(2, "rollback")]),
    [1, 2],
  );
});

test("stage rules hold through a random sequence of promotions and rollbacks", async () => {
  const { wh, register } = await setup();
  const rng = new Rng(42);
  for (let i = 0; i < 5; i++) await register();
  for (let step = 0; step < 40; step++) {
    const r = rng.next();
    if (r < 0.15) await register();
    else if (r < 0.35) await rollback(wh).catch((e) => assert.ok(e instanceof ConflictError));
    else {
      const version = 1 + rng.int((await listModels(wh)).length);
      await promote(wh, version, r < 0.7 ? "production" : "shadow");
    }
    const all = await listModels(wh);
    assert.ok(
      all.filter((m) => m.stage === "production").length <= 1,
      `step ${step}: two production versions`,
    );
    assert.ok(all.filter((m) => m.stage === "shadow").length <= 1, `step ${step}: two shadow versions`);
    // The log replays to the current stages.
    const replayed = new Map<number, string>();
    for (const ev of await stageHistory(wh)) replayed.set(ev.version, ev.toStage);
    for (const m of all) assert.equal(replayed.get(m.version), m.stage, `step ${step}: version ${m.version}`);
  }
  wh.close();
});
