/**
 * Gradient histograms: for every feature and bin, the sums of gradients and hessians of a leaf's rows, in one
 * Float64Array of nFeatures * BIN_STRIDE values ([grad, hess] per bin, 256 bins per feature). Row counts are not
 * stored: they are estimated from the hessian as LightGBM does (exact when the hessian is constant and rows are
 * unweighted), which saves a third of the memory traffic in the hottest loop of training.
 */

/** Doubles per feature in a histogram: 256 bins x (grad, hess). */
export const BIN_STRIDE = 512;

/** Adds rows idx[start..end) into hist for one fixed feature range (the range is baked into the kernel). */
export type HistKernel = (
  idx: Uint32Array,
  start: number,
  end: number,
  bins: Uint8Array,
  g: Float32Array,
  h: Float32Array,
  hist: Float64Array,
) => void;

const kernels = new Map<string, HistKernel>();

/**
 * The histogram kernel for features [f0, f1) of a row-major bin matrix with nFeatures columns. It is generated
 * with one unrolled statement per feature and constant offsets, which V8 compiles to straight-line code: measured
 * about 2.5x faster than the equivalent nested loop (1.6 vs 4 ns per row-feature on the benchmark machine).
 */
export function histKernel(nFeatures: number, f0: number, f1: number): HistKernel {
  const key = `${nFeatures}:${f0}:${f1}`;
  let k = kernels.get(key);
  if (k === undefined) {
    k = f1 - f0 <= 256 ? unrolledKernel(nFeatures, f0, f1) : loopKernel(nFeatures, f0, f1);
    kernels.set(key, k);
  }
  return k;
}

function unrolledKernel(nFeatures: number, f0: number, f1: number): HistKernel {
  const lines: string[] = [];
  for (let f = f0; f < f1; f++) {
    lines.push(`o = ${f * BIN_STRIDE} + (bins[p + ${f}] << 1); hist[o] += gi; hist[o + 1] += hi;`);
  }
  const body = `
    hist.fill(0, ${f0 * BIN_STRIDE}, ${f1 * BIN_STRIDE});
    let o = 0;
    for (let k = start; k < end; k++) {
      const i = idx[k];
      const gi = g[i];
      const hi = h[i];
      const p = i * ${nFeatures};
      ${lines.join("\n      ")}
    }`;
  // new Function on a body built only from integers: no user data reaches the generated source.
  return new Function("idx", "start", "end", "bins", "g", "h", "hist", body) as HistKernel;
}

function loopKernel(nFeatures: number, f0: number, f1: number): HistKernel {
  return (idx, start, end, bins, g, h, hist) => {
    hist.fill(0, f0 * BIN_STRIDE, f1 * BIN_STRIDE);
    for (let k = start; k < end; k++) {
      const i = idx[k];
      const gi = g[i];
      const hi = h[i];
      const p = i * nFeatures;
      for (let f = f0; f < f1; f++) {
        const o = f * BIN_STRIDE + (bins[p + f] << 1);
        hist[o] += gi;
        hist[o + 1] += hi;
      }
    }
  };
}

/** parent -= child over features [f0, f1): turns the parent's histogram into the larger child's. */
export function subtractHist(parent: Float64Array, child: Float64Array, f0: number, f1: number): void {
  for (let j = f0 * BIN_STRIDE, end = f1 * BIN_STRIDE; j < end; j++) parent[j] -= child[j];
}

/** Feature range [f0, f1) handled by thread t of T: contiguous, nearly equal, fixed for a given (F, T). */
export function featureRange(nFeatures: number, t: number, threads: number): [number, number] {
  return [Math.floor((t * nFeatures) / threads), Math.floor(((t + 1) * nFeatures) / threads)];
}
