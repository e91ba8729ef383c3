import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * A tiny hand-made M5 folder for tests: 21 calendar days (weeks 11101..11103) from 2011-01-29, items
 * FOODS_1_001 and HOBBIES_1_002 in stores CA_1 and TX_1. HOBBIES_1_002 has no price in week 11101 (its
 * first week is 11102: days before are not in the assortment). Sales run d_1..d_14 unless `days` says
 * otherwise; units are (day + item + store) mod 4, and 0 for HOBBIES_1_002 before d_8. Returns the folder.
 */
export function writeM5Fixture(
  options: { days?: [first: number, last: number]; salesFile?: string; dropColumns?: string[] } = {},
): string {
  const dir = mkdtempSync(join(tmpdir(), "mr-m5-"));
  mkdirSync(dir, { recursive: true });
  const calendar = [
    "date,wm_yr_wk,weekday,wday,month,year,d,event_name_1,event_type_1,event_name_2,event_type_2,snap_CA,snap_TX,snap_WI",
  ];
  for (let d = 1; d <= 21; d++) {
    const date = new Date(Date.UTC(2011, 0, 28 + d)).toISOString().slice(0, 10);
    const week = 11101 + Math.floor((d - 1) / 7);
    const event = d === 9 ? "SuperBowl,Sporting" : d === 15 ? "ValentinesDay,Cultural" : ",";
    const snap = `${d >= 4 && d <= 6 ? 1 : 0},${d === 5 ? 1 : 0},0`;
    calendar.push(`${date},${week},x,1,1,2011,d_${d},${event},,,${snap}`);
  }
  writeFileSync(join(dir, "calendar.csv"), `${calendar.join("\n")}\n`);
  const [first, last] = options.days ?? [1, 14];
  const idCols = ["id", "item_id", "dept_id", "cat_id", "store_id", "state_id"].filter(
    (c) => !options.dropColumns?.includes(c),
  );
  const header = [...idCols];
  for (let d = first; d <= last; d++) header.push(`d_${d}`);
  const rows = [header.join(",")];
  const items = [
    ["FOODS_1_001", "FOODS_1", "FOODS"],
    ["HOBBIES_1_002", "HOBBIES_1", "HOBBIES"],
  ];
  const stores = [
    ["CA_1", "CA"],
    ["TX_1", "TX"],
  ];
  items.forEach(([item, dept, cat], i) => {
    stores.forEach(([store, state], s) => {
      const values: Record<string, string> = {
        id: `${item}_${store}_validation`,
        item_id: item!,
        dept_id: dept!,
        cat_id: cat!,
        store_id: store!,
        state_id: state!,
      };
      const row = idCols.map((c) => values[c]!);
      // HOBBIES_1_002 sells nothing before its first priced week (d_8), like M5's leading zeros.
      for (let d = first; d <= last; d++) row.push(String(i === 1 && d < 8 ? 0 : (d + i + s) % 4));
      rows.push(row.join(","));
    });
  });
  writeFileSync(join(dir, options.salesFile ?? "sales_train_validation.csv"), `${rows.join("\n")}\n`);
  const prices = ["store_id,item_id,wm_yr_wk,sell_price"];
  for (const [store] of stores) {
    for (const week of [11101, 11102, 11103]) prices.push(`${store},FOODS_1_001,${week},2.5`);
    for (const week of [11102, 11103])
      prices.push(`${store},HOBBIES_1_002,${week},${week === 11102 ? 4 : 4.5}`);
  }
  writeFileSync(join(dir, "sell_prices.csv"), `${prices.join("\n")}\n`);
  return dir;
}
