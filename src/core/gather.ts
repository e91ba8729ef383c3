/**
 * `src[idx[k]]` for every k, as a new Float32Array: the row selection of feature columns (fit sets, holdouts,
 * samples). A plain loop — `Float32Array.from(idx, (r) => src[r])` goes through the iterator protocol and a call
 * per value, about 30x slower on columns of 10^5 rows.
 */
export function gather(src: ArrayLike<number>, idx: ArrayLike<number>): Float32Array {
  const out = new Float32Array(idx.length);
  for (let k = 0; k < idx.length; k++) out[k] = src[idx[k]!]!;
  return out;
}

/** `src[idx[k]]` for every k, as a new Int32Array (row keys: series, origins, horizons); a loop, as `gather`. */
export function gatherInt32(src: ArrayLike<number>, idx: ArrayLike<number>): Int32Array {
  const out = new Int32Array(idx.length);
  for (let k = 0; k < idx.length; k++) out[k] = src[idx[k]!]!;
  return out;
}
