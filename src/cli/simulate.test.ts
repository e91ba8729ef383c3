import assert from "node:assert/strict";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import type { Manifest } from "../simulate/simulate.ts";
import { runCliChild } from "./child.test-support.ts";
import { EXIT } from "./exit-codes.ts";

const root = mkdtempSync(join(tmpdir(), "mr-cli-sim-"));
after(() => rmSync(root, { recursive: true, force: true }));

const run = runCliChild;

test("megaretail simulate writes the tables of its manifest; --json reports them", () => {
  const out = join(root, "sim");
  const r = run(["simulate", "--out", out, "--stores", "3", "--products", "15", "--days", "40", "--json"]);
  assert.equal(r.code, EXIT.ok, r.err);
  const { manifest } = JSON.parse(r.out) as { manifest: Manifest };
  assert.equal(manifest.params.stores, 3);
  assert.equal(manifest.tables[0]!.table, "dcs");
  for (const t of manifest.tables) for (const f of t.files) assert.ok(existsSync(join(out, f)), f);
  assert.ok(manifest.tables.some((t) => t.table === "transactions" && t.rows > 0));
});

test("megaretail simulate: bad flags and parameters are usage errors (exit 2) naming the problem", () => {
  const bad = run(["simulate", "--out", join(root, "x"), "--params", '{"chain":{"monthlyChurn":2}}']);
  assert.equal(bad.code, EXIT.usage);
  assert.match(bad.err, /chain\.monthlyChurn/);
  const json = run(["simulate", "--out", join(root, "y"), "--params", "{oops"]);
  assert.equal(json.code, EXIT.usage);
  assert.match(json.err, /--params/);
});
