/**
 * Model files: versioned JSON with typed arrays as base64 of their little-endian bytes, so doubles come back bit
 * for bit and predictions after a round trip are byte-identical. `dump` writes a readable text form for debugging.
 */
import { InputError } from "../core/errors.ts";
import type { BinMapper } from "./binning.ts";
import { Booster, type ModelData } from "./booster.ts";
import type { Tree } from "./tree.ts";

/** Format name written into every model file. */
export const MODEL_FORMAT = "megaretail-gbdt";
/** Current format version; readers accept this version only (bump it on any incompatible change). */
export const MODEL_VERSION = 1;

type Typed = Int32Array | Uint32Array | Uint8Array | Float64Array;

const TREE_ARRAYS = {
  feature: Int32Array,
  threshold: Float64Array,
  binThreshold: Int32Array,
  left: Int32Array,
  right: Int32Array,
  defaultLeft: Uint8Array,
  cat: Int32Array,
  catWords: Uint32Array,
  value: Float64Array,
  gain: Float64Array,
  count: Float64Array,
} as const;

function encode(a: Typed): string {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString("base64");
}

function decode<T extends Typed>(
  C: { new (b: ArrayBuffer): T; BYTES_PER_ELEMENT: number },
  s: unknown,
  what: string,
): T {
  if (typeof s !== "string")
    throw new InputError(`model file: ${what} is missing or not base64 text`, { column: what });
  const buf = Buffer.from(s, "base64");
  if (buf.byteLength % C.BYTES_PER_ELEMENT !== 0) {
    throw new InputError(`model file: ${what} has ${buf.byteLength} bytes, not a whole number of values`, {
      column: what,
    });
  }
  // Copy into a fresh, aligned buffer (Buffer's pool offset need not be aligned).
  const ab = new ArrayBuffer(buf.byteLength);
  new Uint8Array(ab).set(buf);
  return new C(ab);
}

/** The model as a JSON string. */
export function serialize(b: Booster): string {
  const m = b.model;
  return JSON.stringify({
    format: MODEL_FORMAT,
    version: MODEL_VERSION,
    loss: m.loss,
    base: m.base,
    floorPredictions: m.floorPredictions,
    featureNames: m.featureNames,
    params: m.params,
    mappers: m.mappers.map((x) => ({
      kind: x.kind,
      nBins: x.nBins,
      thresholds: encode(x.thresholds),
      categories: encode(x.categories),
    })),
    trees: m.trees.map((t) =>
      Object.fromEntries(Object.keys(TREE_ARRAYS).map((k) => [k, encode(t[k as keyof typeof TREE_ARRAYS])])),
    ),
  });
}

/** A Booster from a string written by `serialize`; errors say what is wrong with the file. */
export function deserialize(json: string, file = "model"): Booster {
  let o: Record<string, unknown>;
  try {
    o = JSON.parse(json);
  } catch (e) {
    throw new InputError(`not a JSON model file (${(e as Error).message})`, { file });
  }
  if (o.format !== MODEL_FORMAT) {
    throw new InputError(`not a ${MODEL_FORMAT} model (format ${String(o.format)})`, {
      file,
      column: "format",
    });
  }
  if (o.version !== MODEL_VERSION) {
    throw new InputError(
      `model version ${String(o.version)} cannot be read by this build (reads ${MODEL_VERSION}); retrain or upgrade`,
      {
        file,
        column: "version",
      },
    );
  }
  if (!Array.isArray(o.mappers) || !Array.isArray(o.trees) || typeof o.base !== "number") {
    throw new InputError("model file lacks mappers, trees or base", { file });
  }
  const mappers: BinMapper[] = o.mappers.map((x: Record<string, unknown>, f: number) => ({
    kind: x.kind === "categorical" ? "categorical" : "numeric",
    nBins: Number(x.nBins),
    thresholds: decode(Float64Array, x.thresholds, `mappers[${f}].thresholds`),
    categories: decode(Float64Array, x.categories, `mappers[${f}].categories`),
  }));
  const trees: Tree[] = o.trees.map(
    (t: Record<string, unknown>, i: number) =>
      Object.fromEntries(
        Object.entries(TREE_ARRAYS).map(([k, C]) => [k, decode(C as never, t[k], `trees[${i}].${k}`)]),
      ) as unknown as Tree,
  );
  const model: ModelData = {
    loss: o.loss as ModelData["loss"],
    base: o.base,
    featureNames: o.featureNames as string[],
    mappers,
    trees,
    floorPredictions: o.floorPredictions === true,
    params: (o.params as Record<string, unknown>) ?? {},
  };
  return new Booster(model);
}

/** A readable text form of the model: one indented line per node. */
export function dump(b: Booster): string {
  const m = b.model;
  const lines = [
    `${MODEL_FORMAT} v${MODEL_VERSION} loss=${m.loss.name} ${JSON.stringify(m.loss.params)} base=${m.base} trees=${m.trees.length}`,
  ];
  m.trees.forEach((t, k) => {
    lines.push(`tree ${k}:`);
    const walk = (node: number, depth: number) => {
      const pad = "  ".repeat(depth + 1);
      const f = t.feature[node];
      if (f < 0) {
        lines.push(`${pad}leaf ${node}: value=${t.value[node]} count=${t.count[node]}`);
        return;
      }
      const name = m.featureNames[f] ?? `f${f}`;
      const cond =
        t.cat[node] >= 0
          ? `${name} in {${categoriesLeft(t, node, m.mappers[f]).join(",")}}`
          : `${name} <= ${t.threshold[node]}`;
      lines.push(
        `${pad}node ${node}: ${cond} missing=${t.defaultLeft[node] ? "left" : "right"} gain=${t.gain[node]} count=${t.count[node]}`,
      );
      walk(t.left[node], depth + 1);
      walk(t.right[node], depth + 1);
    };
    walk(0, 0);
  });
  return `${lines.join("\n")}\n`;
}

function categoriesLeft(t: Tree, node: number, m: BinMapper): string[] {
  const out: string[] = [];
  const c = t.cat[node];
  for (let b = 0; b <= m.nBins; b++) {
    if ((t.catWords[c + (b >>> 5)] & (1 << (b & 31))) !== 0)
      out.push(b === m.nBins ? "missing" : String(m.categories[b]));
  }
  return out;
}
