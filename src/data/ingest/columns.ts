import { InputError } from "../../core/errors.ts";
import type { ColumnSpec, TableSpec } from "../schema.ts";
import type { Drift } from "./types.ts";

/** How a file's columns line up with a table spec. */
export interface ColumnMatch {
  /** Spec columns the file has. */
  present: ColumnSpec[];
  /** Nullable spec columns the file lacks (loaded as NULL). */
  missingOptional: ColumnSpec[];
  /** File columns the spec does not know (ignored, recorded as drift). */
  extra: string[];
  drift: Drift[];
}

/**
 * Matches a file's column names (already lower-cased) to the table spec. A missing required column makes
 * the whole file unusable: throws an InputError naming the file and the first such column, so that nothing
 * of the file is loaded. Extra and missing optional columns are schema drift, not errors.
 */
export function matchColumns(spec: TableSpec, fileColumns: string[], shownAs: string): ColumnMatch {
  const have = new Set(fileColumns);
  const missingRequired = spec.columns.filter((c) => !c.nullable && !have.has(c.name));
  if (missingRequired.length > 0) {
    const names = missingRequired.map((c) => `"${c.name}"`).join(", ");
    throw new InputError(
      `required column${missingRequired.length > 1 ? "s" : ""} ${names} missing for table "${spec.name}" (file has: ${fileColumns.join(", ")}); add ${missingRequired.length > 1 ? "them" : "it"} to the file`,
      { file: shownAs, column: missingRequired[0]!.name },
    );
  }
  const known = new Set(spec.columns.map((c) => c.name));
  const present = spec.columns.filter((c) => have.has(c.name));
  const missingOptional = spec.columns.filter((c) => c.nullable && !have.has(c.name));
  const extra = fileColumns.filter((n) => !known.has(n));
  const drift: Drift[] = [
    ...extra.map((column) => ({
      column,
      kind: "extra_column" as const,
      detail: `not a column of "${spec.name}"; ignored`,
    })),
    ...missingOptional.map((c) => ({
      column: c.name,
      kind: "missing_optional_column" as const,
      detail: "optional column absent; loaded as NULL",
    })),
  ];
  return { present, missingOptional, extra, drift };
}

/** Double-quotes an identifier for SQL. */
export function ident(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
