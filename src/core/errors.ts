/**
 * Typed errors. Each kind maps to one exit code (cli) and one HTTP status (api), in exactly one place per app.
 * Messages are for a person: what was wrong, where (file, row, field) and what to do.
 */
export type ErrorKind = "usage" | "input" | "not-found" | "conflict" | "internal";

/** Base class of every error the system raises on purpose. */
export class MegaretailError extends Error {
  constructor(
    readonly kind: ErrorKind,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The command line or a request was malformed (unknown option, bad flag value). */
export class UsageError extends MegaretailError {
  constructor(message: string) {
    super("usage", message);
  }
}

/** A file or value cannot be used as given: names where and what to do. */
export class InputError extends MegaretailError {
  constructor(
    message: string,
    readonly where: { file?: string; row?: number; column?: string } = {},
    options?: { cause?: unknown },
  ) {
    super("input", formatWhere(where) + message, options);
  }
}

/** A thing that was asked for does not exist (a model version, a run, a table). */
export class NotFoundError extends MegaretailError {
  constructor(message: string) {
    super("not-found", message);
  }
}

/** The request is valid but conflicts with the current state (e.g. a schema mismatch). */
export class ConflictError extends MegaretailError {
  constructor(message: string) {
    super("conflict", message);
  }
}

function formatWhere(where: { file?: string; row?: number; column?: string }): string {
  const parts: string[] = [];
  if (where.file) parts.push(where.file);
  if (where.row !== undefined) parts.push(`row ${where.row}`);
  if (where.column) parts.push(`column "${where.column}"`);
  return parts.length > 0 ? `${parts.join(", ")}: ` : "";
}

/** One data problem, as data: what (code), where (table, source, row, column) and a message for a person. */
export interface DataIssue {
  code: string;
  table: string;
  source?: string;
  row?: number;
  column?: string;
  message: string;
}
