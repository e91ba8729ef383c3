import type { Warehouse } from "../warehouse.ts";

/** How a bulk insert may store its rows. */
export interface BulkInsertOptions {
  /**
   * The target's text columns hold only ids and codes (few distinct values): DuckDB then skips trying FSST
   * on them. Dictionary encoding is what such columns end up with anyway, and sampling FSST costs about
   * 15% of a 10M-row insert. Leave it off for free text (names, check ids), where FSST pays.
   */
  codesOnly?: boolean;
}

/**
 * Runs `fn` (a bulk INSERT) with DuckDB's `preserve_insertion_order` off (and, with `codesOnly`, FSST
 * compression off), then restores the settings. Row order in our tables carries no meaning (readers
 * ORDER BY), and keeping it costs about half the insert speed on two cores.
 */
export async function withBulkInsert<T>(
  wh: Warehouse,
  fn: () => Promise<T>,
  options: BulkInsertOptions = {},
): Promise<T> {
  const row = await wh.one<{ order: string; disabled: string }>(
    `SELECT current_setting('preserve_insertion_order')::VARCHAR AS "order",
      current_setting('disabled_compression_methods')::VARCHAR AS disabled`,
  );
  const restore = [`SET preserve_insertion_order = ${row?.order === "false" ? "false" : "true"}`];
  await wh.run("SET preserve_insertion_order = false");
  if (options.codesOnly) {
    const disabled = new Set(
      (row?.disabled ?? "")
        .toLowerCase()
        .split(",")
        .filter((m) => m !== ""),
    );
    restore.push(`SET disabled_compression_methods = '${[...disabled].join(",")}'`);
    for (const m of ["fsst", "dict_fsst"]) disabled.add(m);
    await wh.run(`SET disabled_compression_methods = '${[...disabled].join(",")}'`);
  }
  const undo = async () => {
    for (const sql of restore) await wh.run(sql);
  };
  let result: T;
  try {
    result = await fn();
  } catch (e) {
    // The original error matters more than a failed restore (e.g. in an aborted transaction).
    await undo().catch(() => {});
    throw e;
  }
  await undo();
  return result;
}
