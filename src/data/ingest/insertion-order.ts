import type { Warehouse } from "../warehouse.ts";

/**
 * Runs `fn` (a bulk INSERT) with DuckDB's `preserve_insertion_order` off, then restores the setting. Row
 * order in our tables carries no meaning (readers ORDER BY), and keeping it costs about half the insert
 * speed on two cores.
 */
export async function withoutInsertionOrder<T>(wh: Warehouse, fn: () => Promise<T>): Promise<T> {
  const row = await wh.one<{ v: string }>("SELECT current_setting('preserve_insertion_order')::VARCHAR AS v");
  const restore = `SET preserve_insertion_order = ${row?.v === "false" ? "false" : "true"}`;
  await wh.run("SET preserve_insertion_order = false");
  let result: T;
  try {
    result = await fn();
  } catch (e) {
    // The original error matters more than a failed restore (e.g. in an aborted transaction).
    await wh.run(restore).catch(() => {});
    throw e;
  }
  await wh.run(restore);
  return result;
}
