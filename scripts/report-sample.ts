#!/usr/bin/env -S node --import tsx
/**
 * Writes a sample report built from made-up, seeded data to the path given on the command line, so a person can
 * look at every chart and table kind: `node --import tsx scripts/report-sample.ts out/report-sample.html [seed]`.
 */
import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { UsageError } from "../src/core/errors.ts";
import { samplePage } from "../src/report/sample-page.ts";

async function main(): Promise<void> {
  const [out, seedText] = process.argv.slice(2);
  if (!out)
    throw new UsageError("usage: report-sample.ts OUT.html [SEED]  (writes a sample report to OUT.html)");
  const seed = seedText === undefined ? 7 : Number(seedText);
  if (!Number.isInteger(seed)) throw new UsageError(`seed "${seedText}" is not an integer`);
  const html = await samplePage(seed);
  mkdirSync(dirname(out), { recursive: true });
  // Temp file + rename: a reader never sees half a page.
  writeFileSync(`${out}.tmp`, html);
  renameSync(`${out}.tmp`, out);
  console.log(`wrote ${out} (${(html.length / 1024).toFixed(0)} KiB)`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
