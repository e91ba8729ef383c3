import { createHash } from "node:crypto";
import { type Categorical, type DailyPanel, SERIES_ATTRIBUTES } from "../data/to-panel.ts";
import { type FeatureSettings, featureNames } from "../features/names.ts";

/**
 * Version of the feature definitions (src/features): bump it whenever a feature's meaning changes without its
 * name changing, so models trained on the old meaning are refused instead of fed the new one.
 */
export const FEATURE_SET_VERSION = "2026.11.1";

/** The features a production model was trained on: what serving must produce, in this column order. */
export interface FeatureSchema {
  version: string;
  names: string[];
  categorical: string[];
  /** sha256 of the canonical JSON of {version, names, categorical}. */
  hash: string;
}

/** A categorical series attribute's labels as the model saw them: code k means labels[k]. */
export interface Dictionary {
  name: string;
  labels: string[];
}

/** True for the features computed from the weather table. */
function isWeather(name: string): boolean {
  return name.startsWith("weather_");
}

/**
 * The feature schema of a production model for these settings: every generated feature name (every series
 * attribute the warehouse may carry, constant ones included, so the schema depends on settings alone), without
 * the weather features when there is no weather data.
 */
export function featureSchemaOf(settings: FeatureSettings, withWeather: boolean): FeatureSchema {
  const all = featureNames(settings, {
    categoricals: SERIES_ATTRIBUTES.categorical.map((name) => ({
      name,
      codes: new Int32Array(0),
      labels: [],
    })),
    numerics: SERIES_ATTRIBUTES.numeric.map((name) => ({ name, values: new Float32Array(0) })),
  });
  const names = withWeather ? all.names : all.names.filter((n) => !isWeather(n));
  const categorical = all.categorical.filter((n) => names.includes(n));
  const version = FEATURE_SET_VERSION;
  const hash = createHash("sha256").update(JSON.stringify({ version, names, categorical })).digest("hex");
  return { version, names, categorical, hash };
}

/** The features a schema leaves out of what buildFeatures computes (the weather ones without weather). */
export function excludedFeatures(withWeather: boolean, settings: FeatureSettings): string[] {
  if (withWeather) return [];
  return featureSchemaOf(settings, true).names.filter(isWeather);
}

/** Which features differ between two schemas, for a person: "missing: a, b; extra: c; order differs". */
export function schemaDifference(model: FeatureSchema, current: FeatureSchema): string {
  const missing = model.names.filter((n) => !current.names.includes(n));
  const extra = current.names.filter((n) => !model.names.includes(n));
  const parts: string[] = [];
  if (model.version !== current.version)
    parts.push(`feature set version ${model.version} (model) vs ${current.version} (this build)`);
  if (missing.length > 0) parts.push(`in the model, not produced now: ${missing.join(", ")}`);
  if (extra.length > 0) parts.push(`produced now, not in the model: ${extra.join(", ")}`);
  if (parts.length === 0 && model.categorical.join() !== current.categorical.join())
    parts.push(
      `categorical features differ: ${model.categorical.join(",")} vs ${current.categorical.join(",")}`,
    );
  if (parts.length === 0 && model.hash !== current.hash) parts.push("same features in a different order");
  return parts.join("; ");
}

/** The dictionaries of a training panel: every series attribute, with no labels where the panel lacks it. */
export function dictionariesOf(daily: DailyPanel): Dictionary[] {
  return SERIES_ATTRIBUTES.categorical.map((name) => ({
    name,
    labels: [...(daily.categoricals.find((c) => c.name === name)?.labels ?? [])],
  }));
}

/**
 * The panel with the model's attributes: every saved categorical coded by the saved labels (a label the model
 * never saw, or an attribute the panel lacks, becomes -1: missing), every schema numeric (NaN where absent). So a
 * partition of the chain, or a later load with new products, gets the codes the model was trained with.
 */
export function conformPanel(daily: DailyPanel, dictionaries: readonly Dictionary[]): DailyPanel {
  const n = daily.storeId.length;
  const categoricals: Categorical[] = dictionaries.map((d) => {
    const have = daily.categoricals.find((c) => c.name === d.name);
    const codes = new Int32Array(n).fill(-1);
    if (have) {
      const index = new Map(d.labels.map((label, k) => [label, k]));
      const map = have.labels.map((label) => index.get(label) ?? -1);
      for (let i = 0; i < n; i++) codes[i] = have.codes[i]! < 0 ? -1 : map[have.codes[i]!]!;
    }
    return { name: d.name, codes, labels: d.labels };
  });
  const numerics = SERIES_ATTRIBUTES.numeric.map(
    (name) =>
      daily.numerics.find((x) => x.name === name) ?? { name, values: new Float32Array(n).fill(Number.NaN) },
  );
  return { ...daily, categoricals, numerics };
}
