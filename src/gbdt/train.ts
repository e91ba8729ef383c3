/**
 * The boosting loop: gradients, optional bagging and feature sampling, one tree, leaf renewal for quantile
 * losses, score update, validation and early stopping. `train(dataset, params) -> Booster`.
 */
import { InputError } from "../core/errors.ts";
import { Rng } from "../core/rng.ts";
import { Booster } from "./booster.ts";
import type { Dataset } from "./dataset.ts";
import { type GrowContext, type GrownLeaf, growTree } from "./grower.ts";
import { BIN_STRIDE, PACK_MAX_ROWS } from "./histogram.ts";
import {
  gradients,
  JOB_GRAD,
  JOB_LOCATE,
  JOB_QUANT,
  JOB_RENEW,
  JOB_RESIDUALS,
  JOB_SCORE,
  type TrainState,
} from "./jobs.ts";
import {
  addLeafValues,
  addLeafValuesByRow,
  CTL_WORDS,
  gatherResiduals,
  LEAF_FIELDS,
  locateRows,
  renewLeafValues,
  scatterResiduals,
} from "./leaf-jobs.ts";
import { getLoss, type Loss } from "./losses/index.ts";
import { defaultMetric } from "./metrics.ts";
import { enforceMonotone } from "./monotone.ts";
import { type ResolvedParams, resolveParams, type TrainParams } from "./params.ts";
import { getPool, type WorkerPool } from "./pool.ts";
import {
  gradMaxima,
  QSTAT_WORDS,
  quantBits,
  quantizeRows,
  quantMultiplier,
  roundingKey,
  setScales,
} from "./quantize.ts";
import { splitCtlWords } from "./split-jobs.ts";
import { addTreeBinned, type Tree, type TreeBuilder } from "./tree.ts";

/** Below this many rows, score updates and leaf renewal run on the calling thread. */
const PARALLEL_MIN_ROWS = 1 << 14;

/**
 * Leaves with at most this fraction of the rows are compacted. 0.3 rather than 0.15 since compaction copies rows
 * with unrolled word copies (row-moves.ts): paired 40-tree runs at load 5, train CPU q50 17.6 -> 16.2 s, q95
 * 15.2 -> 14.3 s, Tweedie 17.8 -> 17.3 s (0.5: q50 16.8 s).
 */
const COMPACT_FRACTION = 0.3;

/** Trains a model on a labelled dataset. */
export async function train(ds: Dataset, params: TrainParams = {}): Promise<Booster> {
  const p = resolveParams(params, ds);
  if (ds.label === null)
    throw new InputError("training data has no label; build it with { label }", { column: "label" });
  const loss = getLoss(p.loss, { alpha: p.alpha, tweedieVariancePower: p.tweedieVariancePower });
  const pool = p.threads > 1 ? await getPool(p.threads) : null;
  return boost(ds, ds.label, p, loss, pool);
}

function sharedF64(n: number): Float64Array {
  return new Float64Array(new SharedArrayBuffer(Math.max(n, 1) * 8), 0, n);
}

function boost(
  ds: Dataset,
  label: Float64Array,
  p: ResolvedParams,
  loss: Loss,
  pool: WorkerPool | null,
): Booster {
  const n = ds.nRows;
  const F = ds.nFeatures;
  const rng = new Rng(p.seed);
  const y = p.countJitter ? jitter(label, Rng.derive(p.seed, 1)) : label;
  const gradValues = twoValuedGradients(loss);
  const qBits = gradValues === null && p.quantizedGradients ? quantBits(n) : 0;
  const quant = qBits > 0;
  const packed = (gradValues !== null && ds.weight === null && n <= PACK_MAX_ROWS) || quant;
  // Leaves under COMPACT_FRACTION of the rows get their rows copied together when first built (grower.ts).
  const compactRows = Math.floor(COMPACT_FRACTION * n);
  const state: TrainState = {
    kind: "train",
    nRows: n,
    nFeatures: F,
    bins: ds.bins,
    y,
    w: ds.weight,
    raw: sharedF64(n),
    g: new Float32Array(new SharedArrayBuffer(Math.max(n, 1) * 4), 0, n),
    h: new Float32Array(new SharedArrayBuffer(Math.max(n, 1) * 4), 0, n),
    rowData: packed
      ? new Float64Array(new SharedArrayBuffer(Math.max(n, 1) * 8), 0, n)
      : new Float32Array(new SharedArrayBuffer(Math.max(n, 1) * 8), 0, 2 * n),
    packed,
    quant,
    quantBits: qBits,
    quantM: quant ? quantMultiplier(n, qBits) : 0,
    qstat: sharedF64(QSTAT_WORDS),
    gPos: gradValues?.[1] ?? 0,
    gNeg: gradValues?.[0] ?? 0,
    idx: new Uint32Array(new SharedArrayBuffer(Math.max(n, 1) * 4), 0, n),
    cbins: new Uint8Array(new SharedArrayBuffer(Math.max(n * F, 4))),
    crow: packed
      ? new Float64Array(new SharedArrayBuffer(Math.max(n, 1) * 8), 0, n)
      : new Float32Array(new SharedArrayBuffer(Math.max(n, 1) * 8), 0, 2 * n),
    hist: new Float64Array(new SharedArrayBuffer(p.maxLeaves * F * BIN_STRIDE * 8)),
    split: {
      mappers: ds.mappers,
      monotone: p.monotone,
      params: {
        minDataInLeaf: p.minDataInLeaf,
        minSumHessian: p.minSumHessian,
        lambdaL2: p.lambdaL2,
        minGainToSplit: p.minGainToSplit,
        catSmooth: p.catSmooth,
      },
      allowed: new Uint8Array(new SharedArrayBuffer(Math.max(F, 1))),
    },
    splitCtl: sharedF64(splitCtlWords(pool?.threads ?? 1)),
    binsByFeature: ds.binsByFeature(),
    scratch: new Uint32Array(new SharedArrayBuffer(Math.max(n, 1) * 4), 0, n),
    scratchBins: new Uint8Array(new SharedArrayBuffer(Math.max(compactRows * F, 4))),
    scratchRow: packed
      ? new Float64Array(new SharedArrayBuffer(Math.max(compactRows, 1) * 8), 0, compactRows)
      : new Float32Array(new SharedArrayBuffer(Math.max(compactRows, 1) * 8), 0, 2 * compactRows),
    ctl: new Int32Array(new SharedArrayBuffer(CTL_WORDS * 4)),
    leafTab: new Float64Array(new SharedArrayBuffer(p.maxLeaves * LEAF_FIELDS * 8)),
    residuals: loss.renewQuantile !== null ? sharedF64(n) : new Float64Array(0),
    rweights: loss.renewQuantile !== null && ds.weight !== null ? sharedF64(n) : null,
    pos: new Uint32Array(new SharedArrayBuffer(loss.renewQuantile !== null ? Math.max(n, 1) * 4 : 4)),
    leafOf: new Uint16Array(new SharedArrayBuffer(loss.renewQuantile !== null ? Math.max(n, 1) * 2 : 2)),
    lossName: loss.name,
    lossParams: loss.params,
  };
  pool?.setup(state);
  const ctx: GrowContext = {
    state,
    mappers: ds.mappers,
    monotone: p.monotone,
    pool,
    scratch: state.scratch,
    binsByFeature: state.binsByFeature,
    compactRows,
    scratchBins: state.scratchBins,
    scratchRow: state.scratchRow,
  };
  const missingBins = Int32Array.from(ds.mappers, (m) => m.nBins);
  const base = n > 0 ? loss.init(y, ds.weight) : 0;
  state.raw.fill(base);

  const valid = p.valid;
  const metric = p.metric ?? defaultMetric(loss);
  const vraw = valid ? new Float64Array(valid.nRows).fill(base) : null;
  const vpred = valid ? new Float64Array(valid.nRows) : null;
  let bestScore = Number.NaN;
  let bestIter = -1;

  const trees: Tree[] = [];
  let bag: Uint32Array | null = null;
  let oob: Uint32Array | null = null;
  for (let it = 0; it < p.iterations; it++) {
    if (pool !== null) pool.run(JOB_GRAD, 0, 0, 0);
    else gradients(state, 0, n);
    if (quant) {
      if (pool === null) gradMaxima(state, 0, n, 0);
      setScales(state, pool?.threads ?? 1);
      const key = roundingKey(p.seed, it);
      if (pool !== null) pool.run(JOB_QUANT, key, 0, 0);
      else quantizeRows(state, 0, n, key);
    }
    if (p.bagFraction < 1 && it % p.bagFreq === 0) [bag, oob] = drawBag(n, p.bagFraction, rng);
    let nBag = n;
    if (bag !== null) {
      state.idx.set(bag);
      nBag = bag.length;
    } else for (let i = 0; i < n; i++) state.idx[i] = i;
    const allowed = p.featureFraction < 1 ? drawFeatures(F, p.featureFraction, rng) : null;
    if (allowed !== null) state.split?.allowed.set(allowed);
    else state.split?.allowed.fill(1);

    const { builder, leaves } = growTree(ctx, nBag, allowed, p);
    leaves.forEach((l, j) => {
      state.leafTab[LEAF_FIELDS * j] = l.start;
      state.leafTab[LEAF_FIELDS * j + 1] = l.end;
    });
    // Without bagging every row is in a leaf: residuals and scores go row by row (leaf-jobs.ts locateRows).
    const byRow = loss.renewQuantile !== null && nBag === n;
    if (loss.renewQuantile !== null) renewLeaves(builder, leaves, state, nBag, byRow, p.learningRate, pool);
    const tree = builder.build();
    if (p.monotone !== null && loss.renewQuantile !== null) enforceMonotone(tree, p.monotone);
    leaves.forEach((l, j) => {
      state.leafTab[LEAF_FIELDS * j + 2] = tree.value[l.node];
    });
    if (pool !== null && nBag >= PARALLEL_MIN_ROWS) pool.run(JOB_SCORE, leaves.length, nBag, byRow ? 1 : 0);
    else if (byRow) addLeafValuesByRow(state, 0, n);
    else addLeafValues(state, leaves.length, 0, nBag);
    if (oob !== null && oob.length > 0)
      addTreeBinned(tree, ds.bins, F, missingBins, oob, oob.length, state.raw);
    trees.push(tree);

    let score: number | null = null;
    if (valid !== null && vraw !== null && vpred !== null) {
      addTreeBinned(tree, valid.bins, F, missingBins, null, valid.nRows, vraw);
      for (let i = 0; i < vraw.length; i++) vpred[i] = finishPrediction(loss, vraw[i], p.countJitter);
      score = metric.evaluate(valid.label!, vpred, valid.weight);
      const better = metric.higherIsBetter ? score > bestScore : score < bestScore;
      if (bestIter < 0 || better) {
        bestScore = score;
        bestIter = it;
      }
    }
    p.onIteration?.({ iteration: it, validScore: score });
    if (p.earlyStoppingRounds > 0 && bestIter >= 0 && it - bestIter >= p.earlyStoppingRounds) break;
  }
  const kept = p.earlyStoppingRounds > 0 && bestIter >= 0 ? trees.slice(0, bestIter + 1) : trees;
  // threads is left out: it does not change the model, and equal models should give equal files.
  const { valid: _v, metric: _m, onIteration: _o, threads: _t, monotone, ...record } = p;
  return new Booster({
    loss: { name: loss.name, params: loss.params },
    base,
    featureNames: [...ds.featureNames],
    mappers: [...ds.mappers],
    trees: kept,
    floorPredictions: p.countJitter,
    params: {
      ...record,
      monotone: monotone ? [...monotone] : null,
      metric: metric.name,
      bestIteration: bestIter,
    },
  });
}

/** The two gradient values [negative, positive] of a loss whose gradient takes only two (unit hessian), or null. */
function twoValuedGradients(loss: Loss): [number, number] | null {
  if (loss.renewQuantile === null || !loss.constantHessian) return null;
  const g = new Float32Array(2);
  loss.gradHess([1, 0], [0, 1], g, new Float32Array(2));
  return [g[0], g[1]];
}

/** Prediction from a raw score, as Booster.predict computes it. */
function finishPrediction(loss: Loss, raw: number, floor: boolean): number {
  const v = loss.transform(raw);
  return floor ? Math.max(0, Math.floor(v)) : v;
}

/**
 * Quantile losses: each leaf's value becomes the alpha-quantile of its rows' residuals y - raw (times the
 * learning rate), as LightGBM's RenewTreeOutput; the gradient step only chose the splits. Residuals are written
 * at their rows' positions (by rows after locateRows when every row is in a leaf, else gathered by positions) and
 * each leaf's quantile is selected by one thread (leaf-jobs.ts).
 */
function renewLeaves(
  builder: TreeBuilder,
  leaves: GrownLeaf[],
  s: TrainState,
  nPos: number,
  byRow: boolean,
  lr: number,
  pool: WorkerPool | null,
): void {
  if (pool !== null && nPos >= PARALLEL_MIN_ROWS) {
    if (byRow) pool.run(JOB_LOCATE, leaves.length, nPos, 0);
    pool.run(JOB_RESIDUALS, nPos, byRow ? 1 : 0, 0);
    pool.run(JOB_RENEW, leaves.length, nPos, 0);
  } else {
    if (byRow) {
      locateRows(s, leaves.length, 0, nPos);
      scatterResiduals(s, 0, nPos);
    } else gatherResiduals(s, 0, nPos);
    renewLeafValues(s, leaves.length, nPos, getLoss(s.lossName, s.lossParams).renewQuantile ?? 0.5, 0, 1);
  }
  leaves.forEach((l, j) => {
    builder.setValue(l.node, lr * s.leafTab[LEAF_FIELDS * j + 2]);
  });
}

/** Rows of one bag (each row kept with probability `fraction`) and the rows left out, both ascending. */
function drawBag(n: number, fraction: number, rng: Rng): [Uint32Array, Uint32Array] {
  const inBag: number[] = [];
  const out: number[] = [];
  for (let i = 0; i < n; i++) (rng.next() < fraction ? inBag : out).push(i);
  return [Uint32Array.from(inBag), Uint32Array.from(out)];
}

/** A random subset of round(fraction * F) features (at least one), as a 0/1 mask. */
function drawFeatures(F: number, fraction: number, rng: Rng): Uint8Array {
  const k = Math.max(1, Math.round(fraction * F));
  const order = Array.from({ length: F }, (_, i) => i);
  for (let i = F - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [order[i], order[j]] = [order[j], order[i]];
  }
  const mask = new Uint8Array(F);
  for (let i = 0; i < k; i++) mask[order[i]] = 1;
  return mask;
}

/** y + U[0, 1) per row (shared memory, for workers). */
function jitter(y: Float64Array, rng: Rng): Float64Array {
  const out = sharedF64(y.length);
  for (let i = 0; i < y.length; i++) out[i] = y[i] + rng.next();
  return out;
}
