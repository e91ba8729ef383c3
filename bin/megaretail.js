#!/usr/bin/env node
// Entry point of the `megaretail` command. In a source checkout (src/ and tsx present) it runs the
// TypeScript directly, so a developer never runs a stale build; the published package runs dist/.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const src = `${root}src/cli/main.ts`;
let tsx = null;
try {
  // Resolved from this file, so the command works from any directory (a bare "--import tsx" would be
  // looked up from the current directory).
  tsx = import.meta.resolve("tsx");
} catch {}
if (existsSync(src) && tsx) {
  // --import tsx is inherited by worker threads, which a programmatic register() would not be.
  const r = spawnSync(process.execPath, ["--import", tsx, src, ...process.argv.slice(2)], {
    stdio: "inherit",
  });
  process.exit(r.status ?? (r.signal ? 128 + 15 : 1));
} else {
  const { runCli } = await import(new URL("../dist/cli/main.js", import.meta.url).href);
  process.exitCode = await runCli(process.argv.slice(2));
}
