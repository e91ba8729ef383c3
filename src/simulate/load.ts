import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { InputError } from "../core/errors.ts";
import { noProgress, type Progress } from "../core/progress.ts";
import { type IngestSummary, ingestFiles } from "../data/ingest/index.ts";
import type { Warehouse } from "../data/warehouse.ts";
import type { Manifest } from "./simulate.ts";

/** Reads `manifest.json` of a simulation directory. */
export function readManifest(dir: string): Manifest {
  const file = join(dir, "manifest.json");
  if (!existsSync(file)) {
    throw new InputError(
      "no manifest.json here: not a simulator output; run `megaretail simulate --out DIR`",
      {
        file: dir,
      },
    );
  }
  return JSON.parse(readFileSync(file, "utf8")) as Manifest;
}

/**
 * Ingests every source table of a simulation into the warehouse, in the manifest's load order (DCs,
 * stores and products before the facts that reference them). Returns one summary per table.
 */
export async function loadSimulation(
  wh: Warehouse,
  dir: string,
  options: { progress?: Progress } = {},
): Promise<IngestSummary[]> {
  const manifest = readManifest(dir);
  const progress = options.progress ?? noProgress;
  const out: IngestSummary[] = [];
  for (const [k, entry] of manifest.tables.entries()) {
    progress({ step: "ingest", done: k, total: manifest.tables.length });
    const files = entry.files.map((f) => join(dir, f));
    out.push(await ingestFiles(wh, entry.table, files, { format: manifest.params.format }));
  }
  progress({ step: "ingest", done: manifest.tables.length, total: manifest.tables.length });
  return out;
}
