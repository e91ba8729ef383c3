// Shared by the benchmarks that write their section of docs/BENCHMARKS.md.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";

/**
 * Replaces the section that starts with `heading` (up to the next `## `) with `text`, or appends it. A hand-written
 * "### Notes" part of the section (history, analysis of the figures) survives a re-run. The file is written
 * through a temp file and a rename, then formatted as Biome prints it (the lint gate checks Markdown tables).
 */
export function writeBenchmarkSection(heading: string, text: string): void {
  const path = new URL("../docs/BENCHMARKS.md", import.meta.url).pathname;
  const old = existsSync(path) ? readFileSync(path, "utf8") : "# Benchmarks\n";
  const start = old.indexOf(heading);
  let next: string;
  if (start < 0) next = `${old.trimEnd()}\n\n${text}`;
  else {
    const end = old.indexOf("\n## ", start + 3);
    const body = old.slice(start, end < 0 ? old.length : end + 1);
    const notesAt = body.indexOf("\n### Notes");
    const notes = notesAt < 0 ? "" : `${body.slice(notesAt + 1).trimEnd()}\n`;
    next = `${old.slice(0, start)}${text}${notes ? `\n${notes}` : ""}${end < 0 ? "" : `\n${old.slice(end + 1)}`}`;
  }
  writeFileSync(`${path}.tmp`, next.endsWith("\n") ? next : `${next}\n`);
  renameSync(`${path}.tmp`, path);
  spawnSync(new URL("../node_modules/.bin/biome", import.meta.url).pathname, ["format", "--write", path], {
    stdio: "ignore",
  });
}
