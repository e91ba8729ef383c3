import type { Day } from "./days.ts";

/**
 * Many daily series in one flat array (mlforecast's grouped array): series i covers
 * `values[indptr[i] .. indptr[i+1])`, on consecutive days starting at `start[i]`.
 */
export interface Panel {
  /** One key per series, e.g. "store|product". */
  readonly keys: readonly string[];
  readonly indptr: Int32Array;
  readonly start: Int32Array;
  readonly values: Float32Array;
}

/** Builds a panel from per-series arrays (copies them into one buffer). */
export function panelFromSeries(series: { key: string; start: Day; values: ArrayLike<number> }[]): Panel {
  const indptr = new Int32Array(series.length + 1);
  for (let i = 0; i < series.length; i++) indptr[i + 1] = indptr[i]! + series[i]!.values.length;
  const values = new Float32Array(indptr[series.length]!);
  const start = new Int32Array(series.length);
  series.forEach((s, i) => {
    values.set(s.values, indptr[i]);
    start[i] = s.start;
  });
  return { keys: series.map((s) => s.key), indptr, start, values };
}
