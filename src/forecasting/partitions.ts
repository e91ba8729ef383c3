import { type Day, formatDay } from "../core/days.ts";
import { InputError } from "../core/errors.ts";
import type { Warehouse } from "../data/warehouse.ts";

/** Partition id of the stores without a DC (`stores.dc_id` null). */
export const NO_DC = "-";

/**
 * The partitions of a forecast job: the DCs whose stores have daily data, in id order. A DC is the unit because
 * every cross-series feature (store volume, category penetration in the store) aggregates within one store, and a
 * store belongs to one DC: a DC's panel holds every series those features sum over.
 */
export async function forecastPartitions(wh: Warehouse): Promise<string[]> {
  const rows = await wh.all<{ dc: string }>(
    `SELECT DISTINCT coalesce(s.dc_id, '${NO_DC}') AS dc
     FROM (SELECT DISTINCT store_id FROM daily) d LEFT JOIN stores s USING (store_id) ORDER BY dc`,
  );
  return rows.map((r) => r.dc);
}

/** The requested partitions, checked against the existing ones (unknown ids are an InputError). */
export function choosePartitions(all: readonly string[], requested?: readonly string[]): string[] {
  if (!requested) return [...all];
  const unknown = requested.filter((p) => !all.includes(p));
  if (unknown.length > 0) {
    throw new InputError(
      `unknown partition(s) ${unknown.join(", ")}; the DCs with data are ${all.join(", ") || "(none)"}`,
      { column: "--partitions" },
    );
  }
  return all.filter((p) => requested.includes(p));
}

/** The partitions already committed for (origin, model version): a rerun skips them. */
export async function completedPartitions(
  wh: Warehouse,
  origin: Day,
  modelVersion: number,
): Promise<Set<string>> {
  const rows = await wh.all<{ dc_id: string }>(
    "SELECT dc_id FROM forecast_partitions WHERE origin = $1::DATE AND model_version = $2",
    [formatDay(origin), modelVersion],
  );
  return new Set(rows.map((r) => r.dc_id));
}

/** The loadDailyPanel filter of a partition. */
export function dcFilter(partition: string): string | null {
  return partition === NO_DC ? null : partition;
}
