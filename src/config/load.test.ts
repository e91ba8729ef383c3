import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { InputError } from "../core/errors.ts";
import { loadConfig } from "./load.ts";

test("defaults < file < env < flags", () => {
  const dir = mkdtempSync(join(tmpdir(), "mr-config-"));
  const file = join(dir, "c.json");
  writeFileSync(file, JSON.stringify({ db: "from-file.duckdb", etl: { rewriteDays: 5 }, logLevel: "warn" }));
  const none = loadConfig({ env: {} });
  assert.equal(none.db, "./megaretail.duckdb");
  assert.equal(none.etl.rewriteDays, 3);
  const c = loadConfig({ file, env: { MEGARETAIL_LOG_LEVEL: "error" }, flags: { db: "flag.duckdb" } });
  assert.equal(c.db, "flag.duckdb");
  assert.equal(c.logLevel, "error");
  assert.equal(c.etl.rewriteDays, 5);
});

test("a bad value is an InputError naming the file and the field", () => {
  const dir = mkdtempSync(join(tmpdir(), "mr-config-"));
  const file = join(dir, "bad.json");
  writeFileSync(file, JSON.stringify({ etl: { rewriteDays: -1 } }));
  assert.throws(
    () => loadConfig({ file, env: {} }),
    (e: unknown) =>
      e instanceof InputError && e.message.includes(file) && e.message.includes("etl.rewriteDays"),
  );
  // A tail level must be one of the forecast levels (it is matched exactly; another value would do nothing).
  writeFileSync(file, JSON.stringify({ train: { tails: { levels: [0.9] } } }));
  assert.throws(() => loadConfig({ file, env: {} }), /train\.tails\.levels\.0.*one of the forecast levels/);
  writeFileSync(file, JSON.stringify({ dbb: "typo" }));
  assert.throws(() => loadConfig({ file, env: {} }), /dbb|Unrecognized/);
});
