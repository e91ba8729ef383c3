/**
 * Vega-Lite spec -> SVG text, headless and deterministic: the same spec gives the same bytes on every call and
 * machine, and the ids inside one chart never collide with those of another chart inlined in the same page.
 */
import { createHash } from "node:crypto";
import { parse, View } from "vega";
import { compile, type TopLevelSpec } from "vega-lite";
import { MegaretailError } from "../core/errors.ts";
import { HOUSE_CONFIG } from "./theme.ts";

/** Options of renderSvg. */
export interface RenderOptions {
  /** Compiler and runtime warnings are appended here (tests assert there are none); dropped when absent. */
  warnings?: string[];
}

/** Render a Vega-Lite spec to an SVG string with the house config merged under the spec's own config. */
export async function renderSvg(spec: TopLevelSpec, options: RenderOptions = {}): Promise<string> {
  const logger = collectingLogger(options.warnings);
  const config = mergeConfig(HOUSE_CONFIG as Record<string, unknown>, spec.config as Record<string, unknown>);
  const vgSpec = compile({ ...spec, config } as TopLevelSpec, { logger }).spec;
  // renderer "none": no DOM or canvas; toSVG draws the scenegraph straight to a string.
  const view = new View(parse(vgSpec), { renderer: "none", logger, logLevel: 2 });
  try {
    return stableIds(await view.toSVG());
  } finally {
    view.finalize();
  }
}

/**
 * Vega numbers clip paths and gradients from process-wide counters, so the second render of the same chart gets
 * other ids, and two charts in one page can share "clip1". Rename every id by order of appearance under a prefix
 * hashed from the chart itself.
 */
export function stableIds(svg: string): string {
  const index = new Map<string, number>();
  for (const m of svg.matchAll(/\bid="([^"]+)"/g)) if (!index.has(m[1]!)) index.set(m[1]!, index.size);
  if (index.size === 0) return svg;
  const reference = /(\bid="|url\(#|href="#)([^")]+)(?=[")])/g;
  const renumber = (prefix: string) =>
    svg.replace(reference, (all, lead: string, id: string) =>
      index.has(id) ? `${lead}${prefix}${index.get(id)}` : all,
    );
  const prefix = `v${createHash("sha256").update(renumber("")).digest("hex").slice(0, 10)}-`;
  return renumber(prefix);
}

function mergeConfig(base: Record<string, unknown>, own: Record<string, unknown> | undefined) {
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(own ?? {})) {
    const b = base[k];
    out[k] = isPlainObject(b) && isPlainObject(v) ? { ...b, ...v } : v;
  }
  return out;
}

function isPlainObject(x: unknown): x is Record<string, unknown> {
  return typeof x === "object" && x !== null && !Array.isArray(x);
}

interface Logger {
  level(): number;
  level(n: number): Logger;
  error(...args: unknown[]): Logger;
  warn(...args: unknown[]): Logger;
  info(...args: unknown[]): Logger;
  debug(...args: unknown[]): Logger;
}

function collectingLogger(sink: string[] | undefined): Logger {
  const logger: Logger = {
    level: ((n?: number) => (n === undefined ? 2 : logger)) as Logger["level"],
    error: (...args) => {
      throw new MegaretailError("internal", `chart rendering failed: ${args.map(String).join(" ")}`);
    },
    warn: (...args) => {
      sink?.push(args.map(String).join(" "));
      return logger;
    },
    info: () => logger,
    debug: () => logger,
  };
  return logger;
}
