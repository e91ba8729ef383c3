import { sqlString, type Warehouse } from "./warehouse.ts";

/**
 * Writes a temporary table `name (sid INTEGER, store_id VARCHAR, product_id VARCHAR)` mapping series indexes
 * of a panel to their keys, so bulk numeric results (indexed by series) can be joined back to ids in SQL.
 */
export async function stageSeriesKeys(
  wh: Warehouse,
  name: string,
  storeId: readonly string[],
  productId: readonly string[],
): Promise<void> {
  await wh.run(`DROP TABLE IF EXISTS temp."${name}"`);
  await wh.run(`CREATE TEMP TABLE "${name}" (sid INTEGER, store_id VARCHAR, product_id VARCHAR)`);
  // Ids are strings, which the numeric appender of stageNumbers does not take: a few thousand VALUES rows.
  for (let k = 0; k < storeId.length; k += 500) {
    const values = [];
    for (let i = k; i < Math.min(k + 500, storeId.length); i++) {
      values.push(`(${i}, ${sqlString(storeId[i]!)}, ${sqlString(productId[i]!)})`);
    }
    await wh.run(`INSERT INTO temp."${name}" VALUES ${values.join(",")}`);
  }
}
