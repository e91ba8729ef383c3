/** Feature importance from the trees: how often each feature splits, and the total gain of its splits. */
import type { Tree } from "./tree.ts";

/** Kinds of importance. */
export type ImportanceKind = "split" | "gain";

/** Importance of each of nFeatures features over `trees`. */
export function featureImportance(
  trees: readonly Tree[],
  nFeatures: number,
  kind: ImportanceKind,
): Float64Array {
  const out = new Float64Array(nFeatures);
  for (const t of trees) {
    for (let i = 0; i < t.feature.length; i++) {
      const f = t.feature[i];
      if (f >= 0) out[f] += kind === "split" ? 1 : t.gain[i];
    }
  }
  return out;
}
