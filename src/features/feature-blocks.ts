import type { FeatureJob, FeatureRows } from "./fill-rows.ts";
import { fillRows } from "./fill-rows.ts";

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

/**
 * Runs blocks of the job until none is left, taking the next block index from the shared counter `next[0]` (so
 * threads that run slower, or start later, take fewer blocks). Returns the summed group timings.
 */
export function runBlocks(job: FeatureJob, bounds: Int32Array, next: Int32Array): Record<string, number>[] {
  const parts: Record<string, number>[] = [];
  const nBlocks = bounds.length - 1;
  for (let b = Atomics.add(next, 0, 1); b < nBlocks; b = Atomics.add(next, 0, 1)) {
    parts.push(fillRows(job, bounds[b]!, bounds[b + 1]!));
  }
  return parts;
}
