import { spawnSync } from "node:child_process";

/**
 * Runs the CLI in a child process, for tests (the test runner owns this process's stdout): exit code, stdout
 * and stderr. TZ is UTC like the tests themselves.
 */
export function runCliChild(argv: string[]): { code: number; out: string; err: string } {
  const main = new URL("./main.ts", import.meta.url).pathname;
  const r = spawnSync(process.execPath, ["--import", "tsx", main, ...argv], {
    encoding: "utf8",
    env: { ...process.env, TZ: "UTC" },
    maxBuffer: 1 << 26,
  });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}
