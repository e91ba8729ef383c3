#!/usr/bin/env node
// Runs every colocated *.test.ts under src/ (and bench/) with node's test runner and tsx, in UTC.
// Node 20's --test takes no globs, so the files are listed here. Extra arguments pass through
// (e.g. `npm run test:unit -- src/gbdt` to run only the files under a path).
import { spawnSync } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";

const root = new URL("..", import.meta.url).pathname;
const args = process.argv.slice(2);
const filters = args.filter((a) => !a.startsWith("-"));
const flags = args.filter((a) => a.startsWith("-"));

function walk(dir, out) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (name.endsWith(".test.ts")) out.push(relative(root, p));
  }
  return out;
}

let files = [...walk(join(root, "src"), []), ...walk(join(root, "bench"), [])].sort();
if (filters.length > 0) files = files.filter((f) => filters.some((x) => f.includes(x)));
if (files.length === 0) {
  console.error("run-tests: no test files matched", filters.join(" "));
  process.exit(1);
}
const r = spawnSync(process.execPath, ["--import", "tsx", "--test", ...flags, ...files], {
  cwd: root,
  stdio: "inherit",
  env: { ...process.env, TZ: "UTC", FORCE_COLOR: process.env.FORCE_COLOR ?? "0" },
});
process.exit(r.status ?? 1);
