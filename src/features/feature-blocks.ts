import type { FeatureRows } from "./fill-rows.ts";

/**
 * Row bounds of about `blocks` blocks of similar row counts, each starting where a series starts (a series' rows
 * share sliding state, so they stay in one block). Bounds are [b0 = 0, b1, ..., bk = n].
 */
export function seriesBlocks(rows: FeatureRows, blocks: number): Int32Array {
  const n = rows.series.length;
  const bounds = [0];
  const size = Math.max(1, Math.ceil(n / Math.max(1, blocks)));
  let r = size;
  while (r < n) {
    // Move forward to the next series start.
    while (r < n && rows.series[r] === rows.series[r - 1]) r++;
    if (r < n) bounds.push(r);
    r += size;
  }
  bounds.push(n);
  return Int32Array.from(bounds);
}
