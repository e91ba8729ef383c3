import { readFileSync } from "node:fs";
import { CommanderError } from "commander";
import { EXIT, exitFor } from "./exit-codes.ts";
import { createProgram } from "./program.ts";

const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as {
  version: string;
};

/** Runs the CLI on argv and resolves to the exit code (never calls process.exit itself). */
export async function runCli(argv: string[]): Promise<number> {
  const program = createProgram(pkg.version);
  try {
    await program.parseAsync(argv, { from: "user" });
    return typeof process.exitCode === "number" ? process.exitCode : EXIT.ok;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? EXIT.ok : EXIT.usage;
    const { code, message } = exitFor(e);
    process.stderr.write(`${message}\n`);
    return code;
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.exitCode = await runCli(process.argv.slice(2));
}
