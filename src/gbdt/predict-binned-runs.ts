/**
 * Prediction of forecast rows in runs (predict-binned.ts): consecutive rows of one group (a series' horizons)
 * share the features as of the origin, so a run descends a tree as one group through the splits on those
 * features and parts only at splits on features that vary within it (horizon, calendar, planned price).
 */
import type { BinnedEnsemble, BinnedPredictState, Divide, Scratch } from "./predict-binned.ts";

/** Rows quantized and walked together (256 rows x 106 features of bins = 27 KB; 64 and 1024 measured slower). */
export const BLOCK = 256;

/** A buffer of `bytes` (at least 8), shared with the workers when `shared`. */
export const alloc = (bytes: number, shared: boolean) =>
  shared ? new SharedArrayBuffer(Math.max(bytes, 8)) : new ArrayBuffer(Math.max(bytes, 8));

/**
 * Runs of consecutive rows with the same group id (at most BLOCK rows each), packed whole into blocks of at most
 * BLOCK rows, and which features vary within some run (a value not equal to the previous row's in its run):
 * the others are constant within every run, so a run walks their splits once.
 */
export function rowRuns(
  groups: ArrayLike<number>,
  columns: readonly (Float32Array | Float64Array)[],
  nRows: number,
  shared: boolean,
  used: Uint8Array,
  divide: Divide | null = null,
  constant: Uint8Array | null = null,
): { runs: Int32Array; blockRun: Int32Array; varies: Uint8Array; runVaries: Uint32Array } {
  const starts: number[] = [];
  for (let r = 0; r < nRows; r++) {
    const q = starts.length;
    if (q === 0 || groups[r] !== groups[r - 1]) starts.push(r);
    else if (r - starts[q - 1]! >= BLOCK) {
      // A group split in two runs: the second's first row is not the group's, where constant features are.
      if (constant !== null)
        throw new Error(`predictBinned: constant features need groups of at most ${BLOCK} rows`);
      starts.push(r);
    }
  }
  const nRuns = starts.length;
  const runs = new Int32Array(alloc(4 * (nRuns + 1), shared), 0, nRuns + 1);
  runs.set(starts);
  runs[nRuns] = nRows;
  const blocks: number[] = [0];
  for (let q = 0; q < nRuns; q++) {
    if (runs[q + 1]! - runs[blocks[blocks.length - 1]!]! > BLOCK) blocks.push(q);
  }
  if (nRuns > 0) blocks.push(nRuns);
  const blockRun = new Int32Array(alloc(4 * blocks.length, shared), 0, blocks.length);
  blockRun.set(blocks);
  // Row r continues row r - 1's run.
  const cont = new Uint8Array(nRows);
  for (let q = 0; q < nRuns; q++) cont.fill(1, runs[q]! + 1, runs[q + 1]!);
  // Float32 values compared as bits (equal bits: the same value, the same bin; a NaN or a zero of another bit
  // pattern only counts as varying, which is always safe); Float64 as values, NaN equal to NaN.
  const F = columns.length;
  const bitsOf = (f: number) => {
    const c = columns[f]!;
    return c instanceof Float32Array ? new Int32Array(c.buffer, c.byteOffset, c.length) : null;
  };
  const varies = new Uint8Array(F);
  for (let f = 0; f < F; f++) {
    // Never tested (not used), or constant in every group by the caller's word: not scanned.
    if (used[f] === 0 || (constant !== null && constant[f] === 1)) continue;
    const x = columns[f]!;
    const bits = bitsOf(f);
    if (bits) {
      for (let r = 1; r < nRows; r++) {
        if (cont[r] === 1 && bits[r] !== bits[r - 1]) {
          varies[f] = 1;
          break;
        }
      }
      continue;
    }
    for (let r = 1; r < nRows; r++) {
      const v = x[r]!;
      const u = x[r - 1]!;
      if (cont[r] === 1 && v !== u && !(Number.isNaN(v) && Number.isNaN(u))) {
        varies[f] = 1;
        break;
      }
    }
  }
  // A divided feature (Divide) also varies in a run where its divisor does (compared as bits, as the columns).
  let divisorVaries: Uint8Array | null = null;
  if (divide !== null) {
    const d = divide.divisor;
    const bits = new Int32Array(d.buffer, d.byteOffset, d.length);
    divisorVaries = new Uint8Array(nRuns);
    let any = false;
    for (let q = 0; q < nRuns; q++) {
      for (let r = runs[q]! + 1; r < runs[q + 1]!; r++) {
        if (bits[r] !== bits[r - 1]) {
          divisorVaries[q] = 1;
          any = true;
          break;
        }
      }
    }
    for (let f = 0; any && f < F; f++) {
      if (used[f] === 0 || divide.divided[f] === 0) continue;
      // Its other rows are not read: a quotient varying with the divisor could not be computed there.
      if (constant !== null && constant[f] === 1)
        throw new Error("predictBinned: a constant feature divided by a divisor that varies within a group");
      varies[f] = 1;
    }
  }
  // Per run, the features (of those varying somewhere) that vary within it: a run with no planned price change
  // walks the price splits once too. Bit f of words q * W.. (W = ceil(F / 32)).
  const W = (F + 31) >>> 5;
  const runVaries = new Uint32Array(alloc(4 * nRuns * W, shared), 0, nRuns * W);
  for (let f = 0; f < F; f++) {
    if (varies[f] === 0) continue;
    const x = columns[f]!;
    const bits = bitsOf(f);
    const word = f >>> 5;
    const bit = 1 << (f & 31);
    const byDivisor = divisorVaries !== null && divide!.divided[f] === 1 ? divisorVaries : null;
    for (let q = 0; q < nRuns; q++) {
      if (byDivisor !== null && byDivisor[q] === 1) {
        runVaries[q * W + word]! |= bit;
        continue;
      }
      for (let r = runs[q]! + 1; r < runs[q + 1]!; r++) {
        const differs = bits
          ? bits[r] !== bits[r - 1]
          : x[r] !== x[r - 1] && !(Number.isNaN(x[r]!) && Number.isNaN(x[r - 1]!));
        if (differs) {
          runVaries[q * W + word]! |= bit;
          break;
        }
      }
    }
  }
  return { runs, blockRun, varies, runVaries };
}

/**
 * Per node of a model, 1 where a run's rows may take different ways: leaves, and splits on a feature that
 * `varies` (not constant within runs). From the root down to such a node, every row of a run goes the same way.
 */
export function runStops(e: BinnedEnsemble, varies: Uint8Array, shared: boolean): Uint8Array {
  const n = e.leaf.length;
  const stop = new Uint8Array(alloc(n, shared), 0, n);
  for (let j = 0; j < n; j++) stop[j] = e.leaf[j]! | varies[e.feature[j]!]!;
  return stop;
}

/**
 * One tree over the runs q0..q1-1 of a block (bins of the block's rows, row runs[q0] first). A run descends as
 * one group while the splits test features constant in it (one lookup on its first row); at a split on a varying
 * feature the group is partitioned by each row's direction and each part descends on its own; a group at a leaf
 * adds the leaf to all its rows. Every row adds the same leaf as a walk of its own would, in the same tree order
 * (identical scores), but a series' 28 horizons share the work of the splits on features as of the origin.
 * Runs of at most 32 rows go by walkRunMask; longer ones keep their rows in w.idx, permuted within the run from
 * tree to tree.
 */
export function walkRuns(
  e: BinnedEnsemble,
  stop: Uint8Array,
  root: number,
  runs: Int32Array,
  runVaries: Uint32Array,
  q0: number,
  q1: number,
  F: number,
  w: Scratch,
): void {
  const { feature, right, child, leaf, value } = e;
  const { bins, acc, idx, stack } = w;
  const base = runs[q0]!;
  const W = (F + 31) >>> 5;
  for (let q = q0; q < q1; q++) {
    const qw = q * W;
    if (runs[q + 1]! - runs[q]! <= 32) {
      walkRunMask(e, stop, root, runs[q]! - base, runs[q + 1]! - runs[q]!, runVaries, qw, F, w);
      continue;
    }
    let sp = 0;
    stack[sp++] = root;
    stack[sp++] = runs[q]! - base;
    stack[sp++] = runs[q + 1]! - base;
    while (sp > 0) {
      const end = stack[--sp]!;
      const start = stack[--sp]!;
      let a = stack[--sp]!;
      // Features constant in the run are read from its first row (the only row quantizeRuns bins them on).
      a = descend(e, stop, a, bins, (runs[q]! - base) * F, runVaries, qw);
      if (leaf[a] === 1) {
        const v = value[a]!;
        for (let k = start; k < end; k++) acc[idx[k]!] += v;
        continue;
      }
      // Rows going left first, then those going right (the order within a part does not matter).
      const f = feature[a]!;
      const dir = a << 8;
      let i = start;
      let j = end - 1;
      while (i <= j) {
        const r = idx[i]!;
        if (right[dir | bins[r * F + f]!] === 0) i++;
        else {
          idx[i] = idx[j]!;
          idx[j] = r;
          j--;
        }
      }
      if (i > start) {
        stack[sp++] = child[2 * a]!;
        stack[sp++] = start;
        stack[sp++] = i;
      }
      if (i < end) {
        stack[sp++] = child[2 * a + 1]!;
        stack[sp++] = i;
        stack[sp++] = end;
      }
    }
  }
}

/**
 * From node a down while the whole group goes one way: splits on features constant in the run (read on its first
 * row, bins[o..]). Returns a leaf or a split on a feature that varies within the run (runVaries words from qw).
 */
function descend(
  e: BinnedEnsemble,
  stop: Uint8Array,
  a: number,
  bins: Uint8Array,
  o: number,
  runVaries: Uint32Array,
  qw: number,
): number {
  const { feature, right, child, leaf } = e;
  for (;;) {
    while (stop[a] === 0) a = child[2 * a + right[(a << 8) | bins[o + feature[a]!]!]!]!;
    if (leaf[a] === 1) return a;
    // A feature varying elsewhere but constant in this run: still one way for the whole group.
    const g = feature[a]!;
    if (((runVaries[qw + (g >>> 5)]! >>> (g & 31)) & 1) === 1) return a;
    a = child[2 * a + right[(a << 8) | bins[o + g]!]!]!;
  }
}

/**
 * walkRuns for one run of n <= 32 rows (block rows r0..r0+n-1), its groups as bit masks of its rows: at a split on
 * a feature varying in the run, every row's direction is looked up without a branch and the group's mask parts in
 * two (instead of partitioning row indices, a branch per row that the CPU mispredicts about half the time); a
 * group at a leaf adds the leaf to the rows of its mask. Same leaves, same tree order: identical scores.
 */
function walkRunMask(
  e: BinnedEnsemble,
  stop: Uint8Array,
  root: number,
  r0: number,
  n: number,
  runVaries: Uint32Array,
  qw: number,
  F: number,
  w: Scratch,
): void {
  const { feature, right, child, leaf, value } = e;
  const { bins, acc, stack } = w;
  const o = r0 * F;
  const all = n === 32 ? -1 : (1 << n) - 1;
  let sp = 0;
  stack[sp++] = root;
  stack[sp++] = all;
  while (sp > 0) {
    let m = stack[--sp]!;
    const a = descend(e, stop, stack[--sp]!, bins, o, runVaries, qw);
    if (leaf[a] === 1) {
      const v = value[a]!;
      if (m === all) for (let r = r0; r < r0 + n; r++) acc[r] += v;
      // Each set bit's row, lowest first.
      else for (; m !== 0; m &= m - 1) acc[r0 + 31 - Math.clz32(m & -m)] += v;
      continue;
    }
    const f = feature[a]!;
    const dir = a << 8;
    let goes = 0;
    for (let k = 0, at = o + f; k < n; k++, at += F) goes |= right[dir | bins[at]!]! << k;
    const l = m & ~goes;
    const r = m & goes;
    if (l !== 0) {
      stack[sp++] = child[2 * a]!;
      stack[sp++] = l;
    }
    if (r !== 0) {
      stack[sp++] = child[2 * a + 1]!;
      stack[sp++] = r;
    }
  }
}

/** The run fields of a prediction state (see BinnedPredictState). */
export type RunFields = Pick<BinnedPredictState, "runs" | "blockRun" | "stops" | "runVaries" | "groups">;

/**
 * Finds the runs of a state made with its group ids pending (state.groups) and sets its run fields (arrays in
 * shared memory when `shared`); returns them, so a thread that found them can hand them to the others.
 */
export function completeRuns(s: BinnedPredictState, shared: boolean): RunFields {
  if (s.groups !== null) {
    const divide = s.divisor && s.divided ? { divisor: s.divisor, divided: s.divided } : null;
    const r = rowRuns(s.groups, s.columns, s.nRows, shared, s.tables.used, divide, s.constant);
    s.runs = r.runs;
    s.blockRun = r.blockRun;
    s.stops = s.models.map((e) => runStops(e, r.varies, shared));
    s.runVaries = r.runVaries;
    s.groups = null;
  }
  return { runs: s.runs, blockRun: s.blockRun, stops: s.stops, runVaries: s.runVaries, groups: null };
}
