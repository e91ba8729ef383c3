// Shared by the scripts that generate docs pages from code (gen-data-model.ts, gen-config-doc.ts).
import { spawnSync } from "node:child_process";
import { renameSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));

/** The page as committed: rendered Markdown formatted by Biome (which `npm run lint` applies to Markdown too). */
export function formatDoc(relPath: string, markdown: string): string {
  const r = spawnSync(`${root}node_modules/.bin/biome`, ["format", `--stdin-file-path=${relPath}`], {
    cwd: root,
    input: markdown,
    encoding: "utf8",
  });
  if (r.status !== 0) throw new Error(`biome format failed: ${r.stderr || r.error}`);
  return r.stdout;
}

/** Writes a generated page through a temp file and a rename, so a reader never sees half a page. */
export function writeDoc(relPath: string, text: string): void {
  const target = `${root}${relPath}`;
  writeFileSync(`${target}.tmp`, text);
  renameSync(`${target}.tmp`, target);
  process.stdout.write(`wrote ${target}\n`);
}
