import { closeSync, openSync, readSync } from "node:fs";
import { InputError } from "../../core/errors.ts";

const OTHER_DELIMITERS = [";", "\t", "|"] as const;
const HEAD_BYTES = 1 << 16;

/**
 * Reads a CSV file's header line and returns its column names (trimmed, lower-cased). Throws an InputError
 * naming the file when it is empty, not text, uses another delimiter than a comma, or repeats a name:
 * DuckDB would otherwise read such a file as one odd column and every row would land in quarantine.
 */
export function readCsvHeader(path: string, shownAs = path): string[] {
  const buf = Buffer.alloc(HEAD_BYTES);
  const fd = openSync(path, "r");
  let n: number;
  try {
    n = readSync(fd, buf, 0, HEAD_BYTES, 0);
  } finally {
    closeSync(fd);
  }
  let text = buf.subarray(0, n).toString("utf8");
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.includes("\u0000")) {
    throw new InputError("is not a text CSV file (it contains binary data); was it meant to be Parquet?", {
      file: shownAs,
    });
  }
  const end = text.search(/\r?\n/);
  const line = end === -1 ? text : text.slice(0, end);
  if (line.trim() === "")
    throw new InputError("is empty: a CSV file needs a header line", { file: shownAs, row: 1 });
  const fields = splitLine(line, ",");
  if (fields.length === 1) {
    for (const d of OTHER_DELIMITERS) {
      if (splitLine(line, d).length > 1) {
        const name = d === "\t" ? "a tab" : `"${d}"`;
        throw new InputError(
          `the header is separated by ${name}, not by commas; megaretail reads comma-separated files: re-export the file with "," as delimiter`,
          { file: shownAs, row: 1 },
        );
      }
    }
  }
  const names = fields.map((f) => f.trim().toLowerCase());
  const seen = new Set<string>();
  for (const name of names) {
    if (name === "") throw new InputError("the header has an empty column name", { file: shownAs, row: 1 });
    if (seen.has(name))
      throw new InputError("the header names this column twice", { file: shownAs, row: 1, column: name });
    seen.add(name);
  }
  return names;
}

/** Splits one CSV line on `delim`, honouring double quotes ("" is an escaped quote). */
function splitLine(line: string, delim: string): string[] {
  const out: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === delim) {
      out.push(field);
      field = "";
    } else field += ch;
  }
  out.push(field);
  return out;
}
