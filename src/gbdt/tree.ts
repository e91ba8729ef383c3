/**
 * The prediction tree (ARCHITECTURE.md convention 4): flat typed arrays, one entry per node, no objects per node.
 * Node 0 is the root; a leaf has feature -1. Numeric nodes send x <= threshold left (NaN by defaultLeft);
 * categorical nodes send a row left when the bit of its category's bin is set in catWords[cat..cat+8).
 */

/** One tree as flat arrays. */
export interface Tree {
  /** Split feature, or -1 for a leaf. */
  readonly feature: Int32Array;
  /** Raw threshold of a numeric split (x <= threshold goes left). */
  readonly threshold: Float64Array;
  /** Bin threshold of a numeric split (bin <= binThreshold goes left), as trained. */
  readonly binThreshold: Int32Array;
  readonly left: Int32Array;
  readonly right: Int32Array;
  /** 1 when missing values go left. */
  readonly defaultLeft: Uint8Array;
  /** Offset of the node's 8-word bitset in catWords, or -1 for numeric splits and leaves. */
  readonly cat: Int32Array;
  /** Bitsets of categorical splits, 8 words (256 bins) each. */
  readonly catWords: Uint32Array;
  /** Leaf output (learning rate applied); for inner nodes the value the node would have as a leaf. */
  readonly value: Float64Array;
  /** Split gain (inner nodes), 0 for leaves. */
  readonly gain: Float64Array;
  /** Training rows that reached the node. */
  readonly count: Float64Array;
}

/** Collects nodes while a tree grows, then freezes them into a Tree. */
export class TreeBuilder {
  private readonly nodes: {
    feature: number;
    threshold: number;
    binThreshold: number;
    left: number;
    right: number;
    defaultLeft: boolean;
    catBits: Uint32Array | null;
    value: number;
    gain: number;
    count: number;
  }[] = [];

  /** Adds a leaf and returns its node id. */
  addLeaf(value: number, count: number): number {
    this.nodes.push({
      feature: -1,
      threshold: 0,
      binThreshold: 0,
      left: -1,
      right: -1,
      defaultLeft: false,
      catBits: null,
      value,
      gain: 0,
      count,
    });
    return this.nodes.length - 1;
  }

  /** Turns leaf `id` into a split with the given children. */
  split(
    id: number,
    s: {
      feature: number;
      threshold: number;
      binThreshold: number;
      defaultLeft: boolean;
      catBits: Uint32Array | null;
      gain: number;
    },
    left: number,
    right: number,
  ): void {
    Object.assign(this.nodes[id], s, { left, right });
  }

  /** Sets a leaf's value. */
  setValue(id: number, value: number): void {
    this.nodes[id].value = value;
  }

  /** Current value of a node. */
  valueOf(id: number): number {
    return this.nodes[id].value;
  }

  /** The finished tree. */
  build(): Tree {
    const n = this.nodes.length;
    const nCat = this.nodes.filter((x) => x.catBits !== null).length;
    const t: Tree = {
      feature: new Int32Array(n),
      threshold: new Float64Array(n),
      binThreshold: new Int32Array(n),
      left: new Int32Array(n),
      right: new Int32Array(n),
      defaultLeft: new Uint8Array(n),
      cat: new Int32Array(n),
      catWords: new Uint32Array(nCat * 8),
      value: new Float64Array(n),
      gain: new Float64Array(n),
      count: new Float64Array(n),
    };
    let c = 0;
    this.nodes.forEach((x, i) => {
      t.feature[i] = x.feature;
      t.threshold[i] = x.threshold;
      t.binThreshold[i] = x.binThreshold;
      t.left[i] = x.left;
      t.right[i] = x.right;
      t.defaultLeft[i] = x.defaultLeft ? 1 : 0;
      t.value[i] = x.value;
      t.gain[i] = x.gain;
      t.count[i] = x.count;
      if (x.catBits !== null) {
        t.cat[i] = c;
        t.catWords.set(x.catBits, c);
        c += 8;
      } else t.cat[i] = -1;
    });
    return t;
  }
}

/** Number of leaves of a tree. */
export function leafCount(t: Tree): number {
  let n = 0;
  for (let i = 0; i < t.feature.length; i++) if (t.feature[i] < 0) n++;
  return n;
}

/**
 * Adds the tree's output to out[k] for rows[k] (or every row when rows is null) of binned data, routing by bins
 * exactly as training did. missingBins[f] is the missing bin of feature f.
 */
export function addTreeBinned(
  t: Tree,
  bins: Uint8Array,
  nFeatures: number,
  missingBins: Int32Array,
  rows: Uint32Array | null,
  nRows: number,
  out: Float64Array,
): void {
  const { feature, binThreshold, left, right, defaultLeft, cat, catWords, value } = t;
  const m = rows === null ? nRows : rows.length;
  for (let k = 0; k < m; k++) {
    const i = rows === null ? k : rows[k];
    const base = i * nFeatures;
    let node = 0;
    let f = feature[0];
    while (f >= 0) {
      const b = bins[base + f];
      const c = cat[node];
      let goLeft: boolean;
      if (c >= 0) goLeft = (catWords[c + (b >>> 5)] & (1 << (b & 31))) !== 0;
      else if (b === missingBins[f]) goLeft = defaultLeft[node] === 1;
      else goLeft = b <= binThreshold[node];
      node = goLeft ? left[node] : right[node];
      f = feature[node];
    }
    out[i] += value[node];
  }
}
