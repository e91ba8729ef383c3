import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { after, test } from "node:test";
import { InputError, UsageError } from "../core/errors.ts";
import { Warehouse } from "../data/warehouse.ts";
import { simulate } from "./simulate.ts";

const root = mkdtempSync(join(tmpdir(), "megaretail-sim-det-"));
after(() => rmSync(root, { recursive: true, force: true }));

const SMALL = { dcs: 2, stores: 4, products: 25, days: 70, faults: true };

/** sha256 of every file under a directory, by relative path. */
function hashes(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out[relative(dir, p)] = createHash("sha256").update(readFileSync(p)).digest("hex");
    }
  };
  walk(dir);
  return out;
}

for (const format of ["parquet", "csv"] as const) {
  test(`the same seed gives byte-identical ${format} files (whatever the thread count)`, async () => {
    const a = join(root, `${format}-a`);
    const b = join(root, `${format}-b`);
    // Three store blocks: run one after another on this thread, then by two worker threads.
    await simulate({ ...SMALL, format, seed: 5 }, a, { threads: 1, shards: 3 });
    await simulate({ ...SMALL, format, seed: 5 }, b, { threads: 2, shards: 3 });
    const ha = hashes(a);
    assert.ok(Object.keys(ha).length >= 15, `files: ${Object.keys(ha).join(", ")}`);
    assert.deepEqual(hashes(b), ha);
  });
}

test("another seed gives other demand", async () => {
  const a = join(root, "seed-1");
  const b = join(root, "seed-2");
  await simulate({ ...SMALL, seed: 1 }, a);
  await simulate({ ...SMALL, seed: 2 }, b);
  const truth = "truth/demand/part-000-00000.parquet";
  assert.notEqual(hashes(a)[truth], hashes(b)[truth]);
});

test("a non-empty directory that is not a simulation is refused and left alone", async () => {
  const dir = join(root, "user-files");
  mkdirSync(dir);
  writeFileSync(join(dir, "precious.txt"), "keep me");
  await assert.rejects(simulate(SMALL, dir), InputError);
  assert.equal(readFileSync(join(dir, "precious.txt"), "utf8"), "keep me");
});

test("bad parameters are usage errors naming the parameter", async () => {
  await assert.rejects(simulate({ ...SMALL, start: "2022-02-30" }, join(root, "bad")), (e: unknown) => {
    assert.ok(e instanceof UsageError);
    assert.match((e as Error).message, /start/);
    return true;
  });
});

test("the split into store blocks changes files, not rows", async () => {
  const a = join(root, "blocks-1");
  const b = join(root, "blocks-3");
  await simulate({ ...SMALL, seed: 3 }, a, { shards: 1 });
  await simulate({ ...SMALL, seed: 3 }, b, { shards: 3, threads: 2 });
  const wh = await Warehouse.open(":memory:");
  try {
    for (const table of ["truth/demand", "stock", "prices", "transactions", "store_traffic"]) {
      const rows = async (dir: string) =>
        wh.all(`SELECT * FROM read_parquet('${join(dir, table)}/*.parquet') ORDER BY ALL`);
      const one = await rows(a);
      assert.ok(one.length > 100, `${table}: ${one.length} rows`);
      assert.deepEqual(await rows(b), one, table);
    }
  } finally {
    wh.close();
  }
});
