import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** Which code made a run: the package version, and the git commit and dirty flag when run from a checkout. */
export interface CodeVersion {
  package: string;
  commit: string | null;
  dirty: boolean | null;
}

const ROOT = resolve(fileURLToPath(new URL("../..", import.meta.url)));

/**
 * The code version of this megaretail. Never fails: without git, outside a checkout, or inside someone
 * else's repository (megaretail installed as a dependency), commit and dirty are null.
 */
export function codeVersion(): CodeVersion {
  return { package: packageVersion(), ...gitState() };
}

function packageVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(resolve(ROOT, "package.json"), "utf8")) as { version?: unknown };
    return typeof pkg.version === "string" ? pkg.version : "unknown";
  } catch {
    return "unknown";
  }
}

function git(args: string[]): string | null {
  try {
    const r = spawnSync("git", args, { cwd: ROOT, encoding: "utf8", timeout: 10_000 });
    return r.status === 0 ? r.stdout.trim() : null;
  } catch {
    return null;
  }
}

function gitState(): { commit: string | null; dirty: boolean | null } {
  const top = git(["rev-parse", "--show-toplevel"]);
  // Only our own checkout counts: an enclosing repository's commit would name the wrong code.
  if (top === null || resolve(top) !== ROOT) return { commit: null, dirty: null };
  const commit = git(["rev-parse", "HEAD"]);
  if (commit === null) return { commit: null, dirty: null };
  const status = git(["status", "--porcelain", "--untracked-files=no"]);
  return { commit, dirty: status === null ? null : status.length > 0 };
}
