/**
 * Permutation importance (Breiman 2001; scikit-learn `permutation_importance`): how much the loss on held-out rows
 * grows when one feature's values are shuffled across the rows, which breaks its link with the target and keeps
 * its distribution. Unlike split counts or gain it measures what the model's accuracy owes to the feature on data
 * it did not train on; correlated features share (and so each understate) their importance.
 */

import { InputError } from "../core/errors.ts";
import { gather } from "../core/gather.ts";
import { Rng } from "../core/rng.ts";

/** Inputs of permutationImportance. */
export interface PermutationOptions {
  /** The model: predictions for the rows of the given feature columns (same order as `columns`). */
  predict: (cols: Float32Array[]) => Float64Array | Promise<Float64Array>;
  /** Feature columns of the validation rows. */
  columns: Float32Array[];
  /** One name per column. */
  names: string[];
  /** Target per row. */
  y: Float32Array;
  /** Loss of predictions (lower is better), e.g. the mean pinball loss of the model's quantile. */
  loss: (y: Float32Array, pred: Float64Array) => number;
  /** Shuffles per feature (>= 1); mean and std are over them. */
  repeats: number;
  /** Seed of the row sample and of every shuffle. */
  seed: number;
  /** Score on at most this many rows (a seeded sample) to bound the cost: features x repeats predictions. */
  maxRows?: number;
}

/** Importance of one feature: mean and standard deviation (over the repeats) of the loss increase. */
export interface PermutationImportance {
  name: string;
  mean: number;
  std: number;
}

/**
 * Loss increase per feature when its column is shuffled, one feature at a time, largest mean first (ties by
 * name). Each (feature, repeat) shuffle draws from its own seeded stream, so a feature's result does not depend
 * on the other features or on their order.
 */
export async function permutationImportance(o: PermutationOptions): Promise<PermutationImportance[]> {
  check(o);
  const rows = sampleRows(o.y.length, o.maxRows, o.seed);
  const pick = (c: Float32Array) => (rows === null ? c : gather(c, rows));
  const cols = o.columns.map(pick);
  const y = pick(o.y);
  const base = o.loss(y, await o.predict(cols));
  const out: PermutationImportance[] = [];
  for (let f = 0; f < cols.length; f++) {
    const original = cols[f]!;
    const increases: number[] = [];
    for (let k = 0; k < o.repeats; k++) {
      cols[f] = shuffled(original, Rng.derive(o.seed, f, k));
      increases.push(o.loss(y, await o.predict(cols)) - base);
    }
    cols[f] = original;
    out.push({ name: o.names[f]!, ...meanStd(increases) });
  }
  return out.sort((a, b) => b.mean - a.mean || a.name.localeCompare(b.name));
}

function check(o: PermutationOptions): void {
  if (!(Number.isInteger(o.repeats) && o.repeats >= 1)) {
    throw new InputError(`permutation importance: repeats must be an integer >= 1, got ${o.repeats}`, {
      column: "repeats",
    });
  }
  if (o.names.length !== o.columns.length) {
    throw new InputError(`permutation importance: ${o.names.length} names for ${o.columns.length} columns`, {
      column: "names",
    });
  }
  o.columns.forEach((c, f) => {
    if (c.length !== o.y.length) {
      throw new InputError(`permutation importance: column has ${c.length} rows but y has ${o.y.length}`, {
        column: o.names[f],
      });
    }
  });
}

/** Ascending seeded sample of maxRows of n rows, or null to use all. */
function sampleRows(n: number, maxRows: number | undefined, seed: number): Uint32Array | null {
  if (maxRows === undefined || maxRows >= n) return null;
  const rng = Rng.derive(seed, -1);
  const idx = Array.from({ length: n }, (_, i) => i);
  // Partial Fisher-Yates: the first maxRows entries are a uniform sample without replacement.
  for (let i = 0; i < maxRows; i++) {
    const j = i + rng.int(n - i);
    [idx[i], idx[j]] = [idx[j]!, idx[i]!];
  }
  return Uint32Array.from(idx.slice(0, Math.max(0, maxRows))).sort();
}

function shuffled(c: Float32Array, rng: Rng): Float32Array {
  const s = Float32Array.from(c);
  for (let i = s.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const t = s[i]!;
    s[i] = s[j]!;
    s[j] = t;
  }
  return s;
}

function meanStd(x: number[]): { mean: number; std: number } {
  const mean = x.reduce((s, v) => s + v, 0) / x.length;
  const ss = x.reduce((s, v) => s + (v - mean) ** 2, 0);
  return { mean, std: x.length > 1 ? Math.sqrt(ss / (x.length - 1)) : 0 };
}
