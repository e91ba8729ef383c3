import { statSync } from "node:fs";
import { resolve } from "node:path";
import { UsageError } from "../../core/errors.ts";
import { SOURCE_TABLES, type TableSpec, tableSpec } from "../schema.ts";
import type { Warehouse } from "../warehouse.ts";
import { type ResolvedInput, resolveInput, sha256Input } from "./files.ts";
import { stageCsv } from "./stage-csv.ts";
import { stageParquet } from "./stage-parquet.ts";
import { dropStaging, type Staged, T } from "./staging.ts";
import type { FileSummary, IngestOptions, IngestSummary } from "./types.ts";
import { validateStaged } from "./validate.ts";
import { type IngestRun, writeAccepted, writeDrift, writeLog, writeQuarantine } from "./write.ts";

/**
 * Loads CSV or Parquet files into a source table: every row validated in SQL, bad rows quarantined with a
 * reason, rows replacing existing ones with the same key. All files go in one transaction: a file that
 * cannot be read at all (missing required column, wrong delimiter, not Parquet, missing file) throws an
 * InputError naming it, and the warehouse is left exactly as before. A file whose content (sha256) was
 * already ingested into this table is skipped (`alreadyIngested`), so re-running an ingest adds nothing.
 */
export async function ingestFiles(
  wh: Warehouse,
  table: string,
  files: string[],
  options: IngestOptions = {},
): Promise<IngestSummary> {
  const spec = tableSpec(table);
  if (spec?.kind !== "source") {
    throw new UsageError(`unknown table "${table}"; ingest loads one of: ${SOURCE_TABLES.join(", ")}`);
  }
  if (files.length === 0) throw new UsageError("name at least one file to ingest");
  const inputs: ResolvedInput[] = [];
  for (const f of files) inputs.push(await resolveInput(wh, f, options.format));

  const summaries = await wh.transaction(async () => {
    const out: FileSummary[] = [];
    const seen = new Set<string>();
    for (const input of inputs) out.push(await ingestOne(wh, spec, input, seen, options));
    return out;
  });
  const total: IngestSummary = {
    table,
    rowsRead: 0,
    accepted: 0,
    quarantined: 0,
    byReason: {},
    files: summaries,
  };
  for (const f of summaries) {
    total.rowsRead += f.rowsRead;
    total.accepted += f.accepted;
    total.quarantined += f.quarantined;
    for (const [reason, n] of Object.entries(f.byReason))
      total.byReason[reason] = (total.byReason[reason] ?? 0) + n;
  }
  return total;
}

/** Inputs at least this big are hashed while DuckDB parses them. */
const OVERLAP_BYTES = 64 * 1024 * 1024;

function inputBytes(input: ResolvedInput): number {
  return input.paths.reduce((sum, p) => sum + statSync(p).size, 0);
}

async function ingestOne(
  wh: Warehouse,
  spec: TableSpec,
  input: ResolvedInput,
  seen: Set<string>,
  options: IngestOptions,
): Promise<FileSummary> {
  const skipped: FileSummary = {
    file: input.given,
    rowsRead: 0,
    accepted: 0,
    quarantined: 0,
    byReason: {},
    alreadyIngested: true,
  };
  const known = async (sha: string) =>
    seen.has(sha) ||
    (await wh.scalar("SELECT count(*) FROM ingest_log WHERE table_name = $1 AND file_sha256 = $2", [
      spec.name,
      sha,
    ])) > 0;
  const stage = () =>
    input.format === "csv"
      ? stageCsv(wh, spec, input.paths[0]!, input.given, options.progress)
      : stageParquet(wh, spec, input.paths, input.given, options.progress);

  await dropStaging(wh);
  let sha: string;
  let staged: Staged;
  if (inputBytes(input) < OVERLAP_BYTES) {
    // Small files: hash first, so a re-ingest costs nothing.
    sha = await sha256Input(input);
    if (await known(sha)) return skipped;
    staged = await stage();
  } else {
    // Big files: Node hashes while DuckDB parses on its own threads; a re-ingest then wastes one parse.
    const hashing = sha256Input(input);
    hashing.catch(() => {});
    staged = await stage();
    sha = await hashing;
    if (await known(sha)) {
      await dropStaging(wh);
      return skipped;
    }
  }
  seen.add(sha);

  // Same content into the same table happens at most once (see above), so the id is stable and unique.
  const run: IngestRun = {
    ingestId: `${spec.name}:${sha.slice(0, 16)}`,
    table: spec.name,
    sourceFile: input.paths.length === 1 ? input.paths[0]! : resolve(input.given),
  };
  await validateStaged(wh, spec, staged.hasTypeErrors);
  const badRows = await wh.scalar(`SELECT count(*) FROM ${T.bad}`);
  const byReason = await writeQuarantine(wh, spec, run, staged);
  const accepted = await writeAccepted(wh, spec, staged.rows, badRows);
  await writeDrift(wh, run, staged.drift);
  const counts = {
    rowsRead: staged.rows + staged.rejected,
    accepted,
    quarantined: badRows + staged.rejected,
  };
  await writeLog(wh, run, sha, counts);
  // On failure the transaction rolls back, which removes the staging tables too.
  await dropStaging(wh);
  return { file: input.given, ...counts, byReason, alreadyIngested: false };
}
