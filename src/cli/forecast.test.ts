import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { promote, registerModel, startRun } from "../tracking/index.ts";
import { runCliChild } from "./child.test-support.ts";
import { EXIT } from "./exit-codes.ts";
import { testChain } from "./forecast-chain.test-support.ts";

test("megaretail forecast: serves the production model, resumes, refuses a changed file or a schema mismatch", async () => {
  const { dir, db, wh, model } = await testChain();
  const file = join(dir, "model.json");
  const json = model.serialize();
  writeFileSync(file, json);
  try {
    const run = await startRun(wh, {
      kind: "train",
      runsDir: join(dir, "runs"),
      config: {},
      seed: 1,
      featureVersion: model.schema.version,
    });
    const sha256 = createHash("sha256").update(json).digest("hex");
    const { version } = await registerModel(wh, {
      runId: run.runId,
      name: model.name,
      file,
      sha256,
      featureSchemaHash: model.schema.hash,
    });
    await promote(wh, version, "production");
  } finally {
    wh.close();
  }

  const out = join(dir, "out", "forecasts.csv");
  const first = runCliChild(["forecast", "--db", db, "--json", "--out", out, "--threads", "1"]);
  assert.equal(first.code, EXIT.ok, first.err);
  const s = JSON.parse(first.out);
  assert.equal(s.model.version, 1);
  assert.ok(s.rowsWritten > 0);
  assert.equal(s.rowsTotal, s.rowsWritten);
  assert.ok(existsSync(out));

  // A rerun finds every partition complete and writes nothing; the text summary says so.
  const again = runCliChild(["forecast", "--db", db, "--threads", "1"]);
  assert.equal(again.code, EXIT.ok, again.err);
  assert.match(again.out, /0 rows written \(0 partitions; 2 already complete\)/);

  // The current config produces other features than the model: refused, naming them.
  const config = join(dir, "lags.json");
  writeFileSync(config, JSON.stringify({ features: { lags: [1, 7, 35] } }));
  const mismatch = runCliChild(["forecast", "--db", db, "--config", config]);
  assert.equal(mismatch.code, EXIT.conflict, mismatch.err);
  assert.match(mismatch.err, /demand_lag35/);
  assert.match(mismatch.err, /demand_lag2/);

  // The registered file edited after registration: refused by its sha256.
  writeFileSync(file, json.replace(`"horizon":28`, `"horizon":27`));
  const changed = runCliChild(["forecast", "--db", db]);
  assert.equal(changed.code, EXIT.conflict, changed.err);
  assert.match(changed.err, /differs from the registry/);

  // The same damaged file given directly: an input error naming the file.
  const direct = runCliChild(["forecast", "--db", db, "--model-file", file]);
  assert.equal(direct.code, EXIT.input, direct.err);
  assert.ok(direct.err.includes(file), direct.err);
});
