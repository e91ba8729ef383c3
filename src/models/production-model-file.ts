import { createHash } from "node:crypto";
import { InputError } from "../core/errors.ts";
import type { FeatureSettings } from "../features/names.ts";
import type { Booster } from "../gbdt/booster.ts";
import { deserialize as readBooster, serialize as writeBooster } from "../gbdt/serialize.ts";
import type { TweedieFit } from "./gbdt-tweedie.ts";
import {
  type Dictionary,
  FEATURE_SET_VERSION,
  type FeatureSchema,
  featureSchemaOf,
  schemaDifference,
} from "./production-model-schema.ts";
import type { ScaleSpec } from "./series-scale.ts";

/** Format name written into every production model file. */
export const PRODUCTION_MODEL_FORMAT = "megaretail-production-model";
/**
 * Current file version (bump it on any incompatible change). Version 2 added `scale`; a version-1 file is read as
 * a model of unscaled targets, which it is. An older build refuses version 2 rather than ignore the scale.
 */
export const PRODUCTION_MODEL_VERSION = 2;
const READABLE_VERSIONS = [1, PRODUCTION_MODEL_VERSION];

/** Everything a production model is made of (what the file holds). */
export interface ModelParts {
  name: string;
  levels: number[];
  horizon: number;
  settings: FeatureSettings;
  withWeather: boolean;
  schema: FeatureSchema;
  dictionaries: Dictionary[];
  boosters: Booster[];
  tweedie: TweedieFit | null;
  /** Per-series target scale of the quantile boosters (series-scale.ts); null: they predict units directly. */
  scale: ScaleSpec | null;
}

function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

/**
 * The model file: {format, version, sha256, model} where sha256 is over the model's JSON text, so any changed
 * byte of the content is caught on load (a changed tree threshold would otherwise still parse).
 */
export function writeModelFile(p: ModelParts): string {
  const sizes = p.tweedie?.sizes;
  const content = JSON.stringify({
    name: p.name,
    levels: p.levels,
    horizon: p.horizon,
    settings: p.settings,
    withWeather: p.withWeather,
    schema: p.schema,
    dictionaries: p.dictionaries,
    boosters: p.boosters.map((b) => JSON.parse(writeBooster(b))),
    tweedie: p.tweedie
      ? {
          segmentAttribute: p.tweedie.segmentAttribute,
          // Bytes, not numbers: Infinity (Poisson) has no JSON form and doubles come back bit for bit.
          sizes: Buffer.from(sizes!.buffer, sizes!.byteOffset, sizes!.byteLength).toString("base64"),
          booster: JSON.parse(writeBooster(p.tweedie.booster)),
        }
      : null,
    scale: p.scale,
  });
  return `{"format":"${PRODUCTION_MODEL_FORMAT}","version":${PRODUCTION_MODEL_VERSION},"sha256":"${sha256(content)}","model":${content}}`;
}

/** Reads a model file written by `writeModelFile`; every problem is an InputError naming the file. */
export function readModelFile(json: string, file: string): ModelParts {
  const bad = (message: string, column?: string) => new InputError(message, { file, column });
  let o: Record<string, unknown>;
  try {
    o = JSON.parse(json);
  } catch (e) {
    throw bad(
      `not a JSON model file (${(e as Error).message}); give a model.json written by megaretail train`,
    );
  }
  if (o === null || typeof o !== "object" || o.format !== PRODUCTION_MODEL_FORMAT)
    throw bad(
      `not a ${PRODUCTION_MODEL_FORMAT} file; give a model.json written by megaretail train`,
      "format",
    );
  if (!READABLE_VERSIONS.includes(o.version as number)) {
    throw bad(
      `file version ${String(o.version)} cannot be read by this build (reads ${READABLE_VERSIONS.join(", ")}); retrain the model`,
      "version",
    );
  }
  const m = o.model as Record<string, unknown> | undefined;
  if (m === null || typeof m !== "object") throw bad("the file has no model", "model");
  if (typeof o.sha256 !== "string" || sha256(JSON.stringify(m)) !== o.sha256) {
    throw bad(
      "the content does not match its sha256: the file is damaged or was edited; use an intact copy",
      "sha256",
    );
  }
  const levels = m.levels as number[];
  const horizon = m.horizon as number;
  if (!Array.isArray(levels) || !levels.every((x) => typeof x === "number") || !Number.isInteger(horizon))
    throw bad("levels or horizon missing", "levels");
  const settings = m.settings as FeatureSettings;
  const withWeather = m.withWeather === true;
  const schema = m.schema as FeatureSchema;
  if (schema?.version !== FEATURE_SET_VERSION) {
    throw bad(
      `the model uses feature set ${String(schema?.version)}, this build computes ${FEATURE_SET_VERSION}; retrain the model`,
      "schema",
    );
  }
  const current = featureSchemaOf(settings, withWeather);
  if (current.hash !== schema.hash) {
    throw bad(
      `the model's features are not what this build computes for its settings (${schemaDifference(schema, current)}); retrain the model`,
      "schema",
    );
  }
  const booster = (x: unknown, where: string): Booster => {
    const b = readBooster(JSON.stringify(x), `${file} ${where}`);
    if (b.model.featureNames.join() !== schema.names.join())
      throw bad(`${where} was trained on other features than the schema`, where);
    return b;
  };
  const rawBoosters = m.boosters as unknown[];
  if (!Array.isArray(rawBoosters) || rawBoosters.length !== levels.length)
    throw bad(`expected one booster per level (${levels.length})`, "boosters");
  const boosters = rawBoosters.map((x, k) => booster(x, `boosters[${k}]`));
  const t = m.tweedie as Record<string, unknown> | null;
  let tweedie: TweedieFit | null = null;
  if (t) {
    const buf = Buffer.from(String(t.sizes), "base64");
    if (buf.byteLength % 8 !== 0) throw bad("tweedie.sizes is not a list of doubles", "tweedie.sizes");
    const sizes = new Float64Array(buf.byteLength / 8);
    new Uint8Array(sizes.buffer).set(buf);
    tweedie = {
      segmentAttribute: typeof t.segmentAttribute === "string" ? t.segmentAttribute : null,
      sizes,
      booster: booster(t.booster, "tweedie.booster"),
    };
  }
  return {
    name: String(m.name),
    scale: readScale(m.scale, bad),
    levels,
    horizon,
    settings,
    withWeather,
    schema,
    dictionaries: m.dictionaries as Dictionary[],
    boosters,
    tweedie,
  };
}

/** The model's scale spec (absent in version-1 files: unscaled), checked field by field. */
function readScale(x: unknown, bad: (message: string, column?: string) => InputError): ScaleSpec | null {
  if (x === undefined || x === null) return null;
  const o = x as Record<string, unknown>;
  const ok =
    typeof o === "object" &&
    Number.isInteger(o.window) &&
    (o.window as number) > 0 &&
    typeof o.floor === "number" &&
    o.floor > 0 &&
    (o.weight === "scale" || o.weight === "sqrt" || o.weight === "none") &&
    (o.relative === undefined || typeof o.relative === "boolean");
  if (!ok) throw bad("scale must be {window, floor > 0, weight, relative} or null", "scale");
  return {
    window: o.window as number,
    floor: o.floor as number,
    weight: o.weight as ScaleSpec["weight"],
    relative: o.relative === true,
  };
}
