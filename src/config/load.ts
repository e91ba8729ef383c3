import { readFileSync } from "node:fs";
import { z } from "zod";
import { InputError } from "../core/errors.ts";
import { type Config, type ConfigInput, configSchema } from "./schema.ts";

/** Environment variables that set config fields (lower precedence than flags, higher than the file). */
const ENV: Record<string, (v: string) => ConfigInput> = {
  MEGARETAIL_DB: (v) => ({ db: v }),
  MEGARETAIL_LOG_LEVEL: (v) => ({ logLevel: v as ConfigInput["logLevel"] }),
  MEGARETAIL_THREADS: (v) => ({ threads: Number(v) }),
};

/**
 * Loads the configuration: defaults < config file (JSON) < environment < flags. Throws an InputError naming
 * the file and field when anything is invalid.
 */
export function loadConfig(
  options: { file?: string; env?: NodeJS.ProcessEnv; flags?: ConfigInput } = {},
): Config {
  let merged: Record<string, unknown> = {};
  if (options.file) merged = deepMerge(merged, readConfigFile(options.file));
  const env = options.env ?? process.env;
  for (const [name, set] of Object.entries(ENV)) {
    const v = env[name];
    if (v !== undefined && v !== "") merged = deepMerge(merged, set(v) as Record<string, unknown>);
  }
  if (options.flags) merged = deepMerge(merged, stripUndefined(options.flags) as Record<string, unknown>);
  const parsed = configSchema.safeParse(merged);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new InputError(
      `invalid configuration: ${issue.message} (fix the value or remove it to use the default)`,
      {
        file: options.file ?? "configuration",
        column: issue.path.join("."),
      },
    );
  }
  return parsed.data;
}

function readConfigFile(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    throw new InputError(`cannot read config file: ${(e as Error).message}`, { file });
  }
  try {
    const value = JSON.parse(text);
    return z.record(z.string(), z.unknown()).parse(value);
  } catch (e) {
    throw new InputError(`config file is not a JSON object: ${(e as Error).message}`, { file });
  }
}

function stripUndefined(o: object): object {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}

function deepMerge(a: Record<string, unknown>, b: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...a };
  for (const [k, v] of Object.entries(b)) {
    const prev = out[k];
    out[k] =
      isPlainObject(prev) && isPlainObject(v)
        ? deepMerge(prev as Record<string, unknown>, v as Record<string, unknown>)
        : v;
  }
  return out;
}

function isPlainObject(v: unknown): boolean {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
