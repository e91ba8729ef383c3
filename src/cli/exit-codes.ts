import { MegaretailError } from "../core/errors.ts";

/** Exit codes of the CLI, one place for all of them (documented in the README). */
export const EXIT = {
  ok: 0,
  internal: 1,
  usage: 2,
  /** The command ran, and found data-quality issues (e.g. `megaretail quality`). */
  issuesFound: 3,
  input: 4,
  notFound: 5,
  conflict: 6,
} as const;

/** Maps any thrown value to an exit code and a one-line message for stderr. */
export function exitFor(e: unknown): { code: number; message: string } {
  if (e instanceof MegaretailError) {
    const code = {
      usage: EXIT.usage,
      input: EXIT.input,
      "not-found": EXIT.notFound,
      conflict: EXIT.conflict,
      internal: EXIT.internal,
    }[e.kind];
    return { code, message: `error: ${e.message}` };
  }
  const err = e as Error;
  return { code: EXIT.internal, message: `internal error: ${err?.stack ?? String(e)}` };
}
