import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { Warehouse } from "../data/warehouse.ts";
import { registerModel } from "../tracking/registry.ts";
import { startRun } from "../tracking/runs.ts";
import { runCliChild } from "./child.test-support.ts";
import { EXIT } from "./exit-codes.ts";

test("megaretail models list / promote / promote --stage rollback / history", async () => {
  const dir = mkdtempSync(join(tmpdir(), "mr-cli-models-"));
  const db = join(dir, "w.duckdb");
  const wh = await Warehouse.open(db);
  const run = await startRun(wh, {
    kind: "train",
    runsDir: join(dir, "runs"),
    config: {},
    seed: 1,
    featureVersion: "f",
  });
  for (const k of [1, 2]) {
    const file = join(run.dir, `model-${k}.json`);
    writeFileSync(file, `{"k":${k}}`);
    const sha256 = createHash("sha256").update(`{"k":${k}}`).digest("hex");
    await registerModel(wh, { runId: run.runId, name: "gbdt", file, sha256, featureSchemaHash: "h" });
  }
  wh.close();
  const cli = (...args: string[]) => runCliChild(["models", ...args, "--db", db]);
  const stages = () => {
    const r = cli("list", "--json");
    assert.equal(r.code, 0, r.err);
    return Object.fromEntries(
      JSON.parse(r.out).map((m: { version: number; stage: string }) => [m.version, m.stage]),
    );
  };

  let r = cli("promote", "1", "--stage", "production");
  assert.equal(r.code, 0, r.err);
  r = cli("promote", "2", "--stage", "production");
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /version 2 in production; version 1 archived/);
  assert.deepEqual(stages(), { 1: "archived", 2: "production" });

  r = cli("promote", "1", "--stage", "rollback");
  assert.equal(r.code, EXIT.usage, "naming a version that is not in production is refused");
  r = cli("promote", "--stage", "rollback", "--json");
  assert.equal(r.code, 0, r.err);
  assert.deepEqual([JSON.parse(r.out).from, JSON.parse(r.out).to], [2, 1]);
  r = cli("promote", "--stage", "rollback");
  assert.equal(r.code, EXIT.conflict);
  assert.match(r.err, /no earlier one to roll back to/);
  assert.equal(cli("promote", "--stage", "shadow").code, EXIT.usage, "production/shadow need a VERSION");

  r = cli("history", "1");
  assert.equal(r.code, 0, r.err);
  assert.deepEqual(
    r.out
      .trim()
      .split("\n")
      .slice(1)
      .map((l) => l.split(/\s+/)[3]),
    ["candidate", "production", "archived", "production"],
    "the history of version 1 after promote, replace, rollback",
  );
});
