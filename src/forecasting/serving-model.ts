import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { ConflictError, InputError } from "../core/errors.ts";
import type { Warehouse } from "../data/warehouse.ts";
import type { FeatureSettings } from "../features/names.ts";
import { featureSchemaOf, ProductionModel, schemaDifference } from "../models/production-model.ts";
import { listModels, resolveModel } from "../tracking/index.ts";
import { hasWeather } from "./chain-context.ts";

/** A model ready to serve, with where it came from. */
export interface ServingModel {
  model: ProductionModel;
  /** Registry version (0: a file not in the registry). */
  version: number;
  runId: string;
  file: string;
  sha256: string;
}

function readModelText(file: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch (e) {
    throw new InputError(`cannot read the model file (${(e as Error).message}); check the path`, { file });
  }
}

/**
 * Resolves and loads the model to serve: a registry reference (production, shadow or a version; the file's sha256
 * must match the registry's) or a model file (recognised in the registry by its sha256 when registered). Refuses
 * with a ConflictError when its feature schema is not what the current feature settings and data produce.
 */
export async function loadServingModel(
  wh: Warehouse,
  settings: FeatureSettings,
  o: { ref?: string; file?: string },
): Promise<ServingModel> {
  let entry: {
    version: number;
    runId: string;
    file: string;
    sha256: string | null;
    schemaHash: string | null;
  };
  if (o.file !== undefined) {
    entry = { version: 0, runId: "(file)", file: o.file, sha256: null, schemaHash: null };
  } else {
    const v = await resolveModel(wh, o.ref ?? "production");
    entry = {
      version: v.version,
      runId: v.runId,
      file: v.file,
      sha256: v.sha256,
      schemaHash: v.featureSchemaHash,
    };
  }
  const text = readModelText(entry.file);
  const sha256 = createHash("sha256").update(text).digest("hex");
  if (entry.sha256 !== null && sha256 !== entry.sha256) {
    throw new ConflictError(
      `${entry.file}: sha256 ${sha256.slice(0, 12)}... differs from the registry's ${entry.sha256.slice(0, 12)}... for version ${entry.version}: the file changed after registration; restore it or register a new version`,
    );
  }
  if (o.file !== undefined) {
    const known = (await listModels(wh)).find((m) => m.sha256 === sha256);
    if (known)
      entry = { ...entry, version: known.version, runId: known.runId, schemaHash: known.featureSchemaHash };
  }
  const model = ProductionModel.deserialize(text, entry.file);
  if (entry.schemaHash !== null && entry.schemaHash !== model.schema.hash) {
    throw new ConflictError(
      `${entry.file}: its feature schema ${model.schema.hash.slice(0, 12)}... is not the one registered (${entry.schemaHash.slice(0, 12)}...); the registry entry and the file disagree`,
    );
  }
  const current = featureSchemaOf(settings, await hasWeather(wh));
  if (current.hash !== model.schema.hash) {
    throw new ConflictError(
      `${entry.file}: the model's features differ from what the current config and data produce (${schemaDifference(model.schema, current)}); retrain with megaretail train, or use the feature settings the model was trained with`,
    );
  }
  return { model, version: entry.version, runId: entry.runId, file: entry.file, sha256 };
}
