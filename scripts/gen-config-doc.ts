// Writes docs/configuration.md from the zod config schema (see src/config/config-doc.ts). Run: npm run docs:config
import { spawnSync } from "node:child_process";
import { renameSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { renderConfigDoc } from "../src/config/config-doc.ts";

const root = fileURLToPath(new URL("..", import.meta.url));
const target = `${root}docs/configuration.md`;

/** The page as committed: rendered, then formatted by Biome (which `npm run lint` applies to Markdown too). */
export function formattedConfigDoc(): string {
  const r = spawnSync(
    `${root}node_modules/.bin/biome`,
    ["format", "--stdin-file-path=docs/configuration.md"],
    {
      cwd: root,
      input: renderConfigDoc(),
      encoding: "utf8",
    },
  );
  if (r.status !== 0) throw new Error(`biome format failed: ${r.stderr || r.error}`);
  return r.stdout;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(`${target}.tmp`, formattedConfigDoc());
  renameSync(`${target}.tmp`, target);
  process.stdout.write(`wrote ${target}\n`);
}
