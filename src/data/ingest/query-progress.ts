import type { Progress } from "../../core/progress.ts";
import type { Warehouse } from "../warehouse.ts";

/**
 * Runs `fn` (one long DuckDB statement) while polling DuckDB's own query progress, so a progress bar moves
 * during a multi-second file scan. Reports `step` with done/total in percent.
 */
export async function withQueryProgress<T>(
  wh: Warehouse,
  step: string,
  progress: Progress | undefined,
  fn: () => Promise<T>,
): Promise<T> {
  if (!progress) return fn();
  // DuckDB tracks progress only with the progress bar enabled; printing it stays off (we draw our own).
  await wh.run("SET enable_progress_bar = true; SET enable_progress_bar_print = false");
  progress({ step, done: 0, total: 100 });
  const timer = setInterval(() => {
    const pct = wh.connection.progress.percentage;
    if (pct >= 0) progress({ step, done: Math.min(99, Math.floor(pct)), total: 100 });
  }, 200);
  try {
    return await fn();
  } finally {
    clearInterval(timer);
    progress({ step, done: 100, total: 100 });
  }
}
