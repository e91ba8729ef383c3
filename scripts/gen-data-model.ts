// Writes docs/data-model.md from src/data/schema.ts (see src/data/data-model-doc.ts). Run: npm run docs:data-model
import { spawnSync } from "node:child_process";
import { renameSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { renderDataModel } from "../src/data/data-model-doc.ts";

const root = fileURLToPath(new URL("..", import.meta.url));
const target = `${root}docs/data-model.md`;

/** The page as committed: rendered, then formatted by Biome (which `npm run lint` applies to Markdown too). */
export function formattedDataModel(): string {
  const r = spawnSync(`${root}node_modules/.bin/biome`, ["format", "--stdin-file-path=docs/data-model.md"], {
    cwd: root,
    input: renderDataModel(),
    encoding: "utf8",
  });
  if (r.status !== 0) throw new Error(`biome format failed: ${r.stderr || r.error}`);
  return r.stdout;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  // Temp file + rename: a reader never sees a half-written page.
  writeFileSync(`${target}.tmp`, formattedDataModel());
  renameSync(`${target}.tmp`, target);
  process.stdout.write(`wrote ${target}\n`);
}
