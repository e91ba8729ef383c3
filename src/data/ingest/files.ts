import { createHash } from "node:crypto";
import { createReadStream, existsSync, readdirSync, statSync } from "node:fs";
import { extname, join, resolve } from "node:path";
import { InputError } from "../../core/errors.ts";
import { sqlString, type Warehouse } from "../warehouse.ts";
import type { IngestFormat } from "./types.ts";

/** One input as the user named it, resolved to the files it stands for. */
export interface ResolvedInput {
  /** As given on the command line (what summaries show). */
  given: string;
  format: IngestFormat;
  /** Absolute paths of the files to read (several for a directory or glob of Parquet parts). */
  paths: string[];
}

const CSV_EXT = new Set([".csv", ".txt"]);
const PARQUET_EXT = new Set([".parquet", ".pq"]);

/** Decides the format of `given` and lists its files; throws an InputError naming the path when unusable. */
export async function resolveInput(
  wh: Warehouse,
  given: string,
  format: IngestFormat | undefined,
): Promise<ResolvedInput> {
  const isGlob = /[*?[]/.test(given);
  const abs = resolve(given);
  if (isGlob) {
    if (format === "csv")
      throw new InputError("globs are read as Parquet parts; list CSV files one by one", { file: given });
    const rows = await wh.all<{ file: string }>(`SELECT file FROM glob(${sqlString(abs)}) ORDER BY file`);
    if (rows.length === 0) throw new InputError("no file matches this pattern", { file: given });
    return { given, format: "parquet", paths: rows.map((r) => r.file) };
  }
  if (!existsSync(abs)) throw new InputError("file not found; check the path", { file: given });
  if (statSync(abs).isDirectory()) {
    if (format === "csv")
      throw new InputError("is a directory; give the CSV files themselves", { file: given });
    const paths = listParquetParts(abs);
    if (paths.length === 0) throw new InputError("directory holds no .parquet files", { file: given });
    return { given, format: "parquet", paths };
  }
  const ext = extname(abs).toLowerCase();
  const detected: IngestFormat | undefined = CSV_EXT.has(ext)
    ? "csv"
    : PARQUET_EXT.has(ext)
      ? "parquet"
      : undefined;
  const chosen = format ?? detected;
  if (!chosen) {
    throw new InputError(
      `cannot tell the format from the extension "${ext}"; name it .csv or .parquet, or pass --format`,
      { file: given },
    );
  }
  return { given, format: chosen, paths: [abs] };
}

function listParquetParts(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (PARQUET_EXT.has(extname(name).toLowerCase())) out.push(p);
    }
  };
  walk(dir);
  return out;
}

/** sha256 of a file's bytes, streamed (files can be larger than memory). */
export function sha256File(path: string): Promise<string> {
  return new Promise((ok, fail) => {
    const hash = createHash("sha256");
    createReadStream(path, { highWaterMark: 1 << 20 })
      .on("data", (chunk) => hash.update(chunk))
      .on("error", (e) =>
        fail(new InputError(`cannot read the file: ${e.message}`, { file: path }, { cause: e })),
      )
      .on("end", () => ok(hash.digest("hex")));
  });
}

/** Content hash of an input: the file's sha256, or for several parts the sha256 of their sorted hashes. */
export async function sha256Input(input: ResolvedInput): Promise<string> {
  if (input.paths.length === 1) return sha256File(input.paths[0]!);
  const parts = await Promise.all(input.paths.map(sha256File));
  return createHash("sha256").update(parts.sort().join("\n")).digest("hex");
}
