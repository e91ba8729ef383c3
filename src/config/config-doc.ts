/**
 * docs/configuration.md, rendered from the zod config schema (names, types, defaults, ranges, descriptions), so the
 * page cannot drift from what the loader accepts. `npm run docs:config` writes it; a test checks it is current.
 */
import { z } from "zod";
import { configSchema } from "./schema.ts";

interface JsonSchema {
  type?: string | string[];
  description?: string;
  default?: unknown;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  enum?: unknown[];
  items?: JsonSchema;
  properties?: Record<string, JsonSchema>;
  anyOf?: JsonSchema[];
  pattern?: string;
}

// Defaults that depend on the machine are described, not printed.
const MACHINE_DEFAULTS: Record<string, string> = { threads: "available cores" };

const cell = (s: string) => s.replace(/\|/g, "\\|").replace(/\n/g, " ");

function typeOf(s: JsonSchema): string {
  if (s.enum) return s.enum.map((v) => `\`${JSON.stringify(v)}\``).join(" / ");
  if (s.anyOf) return s.anyOf.map(typeOf).join(" or ");
  const base = Array.isArray(s.type) ? s.type.join(" or ") : (s.type ?? "any");
  if (base === "array" && s.items) return `${typeOf(s.items)}[]`;
  const range: string[] = [];
  if (s.minimum !== undefined) range.push(`>= ${s.minimum}`);
  if (s.exclusiveMinimum !== undefined) range.push(`> ${s.exclusiveMinimum}`);
  if (s.maximum !== undefined && s.maximum < Number.MAX_SAFE_INTEGER) range.push(`<= ${s.maximum}`);
  return range.length > 0 ? `${base} (${range.join(", ")})` : base;
}

function rows(s: JsonSchema, path: string[], out: string[][]): void {
  for (const [name, p] of Object.entries(s.properties ?? {})) {
    const key = [...path, name].join(".");
    if (p.type === "object" && p.properties) {
      out.push([`**${key}**`, "section", "", p.description ?? ""]);
      rows(p, [...path, name], out);
      continue;
    }
    const dflt =
      MACHINE_DEFAULTS[key] ?? (p.default === undefined ? "(none)" : `\`${JSON.stringify(p.default)}\``);
    out.push([`\`${key}\``, typeOf(p), dflt, p.description ?? ""]);
  }
}

/** The configuration reference page (Markdown). */
export function renderConfigDoc(): string {
  const schema = z.toJSONSchema(configSchema, { io: "input", unrepresentable: "any" }) as JsonSchema;
  const table: string[][] = [];
  rows(schema, [], table);
  return [
    "# Configuration",
    "",
    "Generated from `src/config/schema.ts` and `src/config/train.ts` by `npm run docs:config`; do not edit by hand.",
    "",
    "Every command reads one configuration: defaults < a JSON file given with `--config FILE` < environment",
    "(`MEGARETAIL_DB`, `MEGARETAIL_LOG_LEVEL`, `MEGARETAIL_THREADS`) < command-line flags. A file sets only what it",
    "changes, with the nesting shown by the dotted keys, e.g.",
    "",
    "```json",
    '{ "threads": 2, "train": { "seed": 7, "learner": { "maxLeaves": 127 }, "tune": { "enabled": true, "trials": 20 } } }',
    "```",
    "",
    "An unknown key or a value out of range stops the command with exit code 4, naming the file and the key.",
    "",
    "| key | type | default | meaning |",
    "| --- | --- | --- | --- |",
    ...table.map((r) => `| ${r.map(cell).join(" | ")} |`),
    "",
  ].join("\n");
}
