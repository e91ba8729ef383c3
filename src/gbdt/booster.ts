/**
 * A trained model: bin mappers, flat trees and the loss's link. Predicts from raw feature values (row-major
 * matrix or columns), single-threaded or over a worker pool; each row's score adds the tree outputs in tree order,
 * so every path gives byte-identical results.
 */
import { InputError } from "../core/errors.ts";
import type { BinMapper } from "./binning.ts";
import { accessor, type FeatureInput, isMatrix } from "./dataset.ts";
import { featureImportance, type ImportanceKind } from "./importance.ts";
import { JOB_PREDICT } from "./jobs.ts";
import { getLoss, identity, type Loss, type LossParams } from "./losses/index.ts";
import { getPool } from "./pool.ts";
import { type EnsembleArrays, ensembleArrays, predictRows } from "./predict.ts";
import type { Tree } from "./tree.ts";

/** Everything a model is made of (what serialize.ts writes). */
export interface ModelData {
  loss: { name: string; params: LossParams };
  /** Raw score before the first tree. */
  base: number;
  featureNames: string[];
  mappers: BinMapper[];
  trees: Tree[];
  /** Predictions are floored (models fitted with countJitter). */
  floorPredictions: boolean;
  /** Training parameters, for the record. */
  params: Record<string, unknown>;
}

/** Options of predict. */
export interface PredictOptions {
  /** Return raw scores (before the link and flooring). */
  raw?: boolean;
  /** Use only the first n trees. */
  iterations?: number;
}

/** A trained gradient-boosted tree model. */
export class Booster {
  private readonly loss: Loss;
  private ensembles = new Map<string, EnsembleArrays>();

  constructor(readonly model: ModelData) {
    this.loss = getLoss(model.loss.name, model.loss.params);
  }

  /** Number of trees. */
  get numTrees(): number {
    return this.model.trees.length;
  }

  /** Number of features the model expects. */
  get numFeatures(): number {
    return this.model.mappers.length;
  }

  /** Importance of each feature: number of splits or total split gain. */
  importance(kind: ImportanceKind = "gain"): Float64Array {
    return featureImportance(this.model.trees, this.numFeatures, kind);
  }

  /** Predictions for every row of x, on the calling thread. */
  predict(x: FeatureInput, options: PredictOptions = {}): Float64Array {
    const m = this.rowMajor(x, false);
    const out = new Float64Array(m.nRows);
    predictRows(this.ensemble(options, false), m.data, m.nCols, 0, m.nRows, out);
    return this.finish(out, options);
  }

  /** Predictions for every row of x over `threads` threads (worth it from about 10^5 rows). */
  async predictParallel(
    x: FeatureInput,
    options: PredictOptions & { threads: number },
  ): Promise<Float64Array> {
    if (options.threads <= 1) return this.predict(x, options);
    const m = this.rowMajor(x, true);
    const out = new Float64Array(new SharedArrayBuffer(Math.max(m.nRows, 1) * 8), 0, m.nRows);
    const pool = await getPool(options.threads);
    pool.setup({
      kind: "predict",
      x: m.data,
      nRows: m.nRows,
      nCols: m.nCols,
      model: this.ensemble(options, true),
      out,
    });
    pool.run(JOB_PREDICT, 0, 0, 0);
    return this.finish(out, options);
  }

  /** Predictions from raw scores computed elsewhere (predict-binned.ts): the link and flooring, in place. */
  fromRaw(raw: Float64Array): Float64Array {
    return this.finish(raw, {});
  }

  private finish(out: Float64Array, o: PredictOptions): Float64Array {
    const floor = this.model.floorPredictions;
    // Nothing to do (and 10^7 calls saved on a batch job's scores).
    if (o.raw || (this.loss.transform === identity && !floor)) return out;
    for (let i = 0; i < out.length; i++) {
      const v = this.loss.transform(out[i]);
      out[i] = floor ? Math.max(0, Math.floor(v)) : v;
    }
    return out;
  }

  private ensemble(o: PredictOptions, shared: boolean): EnsembleArrays {
    const n = Math.min(o.iterations ?? this.numTrees, this.numTrees);
    const key = `${n}:${shared}`;
    let e = this.ensembles.get(key);
    if (e === undefined) {
      e = ensembleArrays(this.model.trees.slice(0, n), this.model.mappers, this.model.base, shared);
      this.ensembles.set(key, e);
    }
    return e;
  }

  /** The input as a row-major matrix (copied when given as columns, or when it must be shared and is not). */
  private rowMajor(
    x: FeatureInput,
    shared: boolean,
  ): { data: Float32Array | Float64Array; nRows: number; nCols: number } {
    const { nRows, nCols } = accessor(x);
    if (nCols !== this.numFeatures) {
      throw new InputError(
        `the model has ${this.numFeatures} features but the data has ${nCols}; give the same columns in the same order`,
        {
          column: "features",
        },
      );
    }
    if (isMatrix(x)) {
      if (!shared || x.data.buffer instanceof SharedArrayBuffer) return x;
      const sab = new SharedArrayBuffer(Math.max(x.data.length, 1) * x.data.BYTES_PER_ELEMENT);
      const data = x.data instanceof Float32Array ? new Float32Array(sab) : new Float64Array(sab);
      data.set(x.data);
      return { data, nRows, nCols };
    }
    const bytes = Math.max(nRows * nCols, 1) * 8;
    const data = new Float64Array(shared ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes));
    x.forEach((col, f) => {
      for (let i = 0; i < nRows; i++) data[i * nCols + f] = col[i];
    });
    return { data, nRows, nCols };
  }
}
