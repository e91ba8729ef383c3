import { InputError } from "../../core/errors.ts";
import type { Warehouse } from "../warehouse.ts";
import { checkTable, csv } from "./m5-files.ts";

/**
 * Reads calendar.csv into `_m5_cal` (date, wm_yr_wk, d and the event/SNAP columns), checking every row has a
 * real date, a week and a unique d_N, and derives `_m5_events`: event_name/type 1..2 as events for every region
 * ('*'), each snap_XX column's 1s as SNAP days of region XX.
 */
export async function stageCalendar(wh: Warehouse, file: string): Promise<void> {
  const cols = await checkTable(wh, file, ["date", "wm_yr_wk", "d"]);
  const events = [1, 2, 3, 4].filter(
    (n) => cols.includes(`event_name_${n}`) && cols.includes(`event_type_${n}`),
  );
  const snaps = cols.filter((c) => /^snap_.+$/.test(c));
  const eventCols = events.map(
    (n) => `event_name_${n}::VARCHAR AS en${n}, event_type_${n}::VARCHAR AS et${n}`,
  );
  const snapCols = snaps.map((c) => `"${c}"::VARCHAR AS "${c}"`);
  try {
    await wh.run(
      `CREATE OR REPLACE TEMP TABLE _m5_cal AS
       SELECT row_number() OVER () + 1 AS line, TRY_CAST(date AS DATE) AS date, date::VARCHAR AS date_text,
         TRY_CAST(wm_yr_wk AS INTEGER) AS wm_yr_wk, d::VARCHAR AS d
         ${[...eventCols, ...snapCols].map((c) => `, ${c}`).join("")}
       FROM ${csv(file)}`,
    );
  } catch (e) {
    throw new InputError(`cannot read: ${(e as Error).message.split("\n")[0]}`, { file }, { cause: e });
  }
  const bad = await wh.one<{ line: number; column: string; value: string }>(
    `SELECT line, CASE WHEN date IS NULL THEN 'date' WHEN wm_yr_wk IS NULL THEN 'wm_yr_wk' ELSE 'd' END AS column,
       CASE WHEN date IS NULL THEN date_text ELSE d END AS value
     FROM _m5_cal WHERE date IS NULL OR wm_yr_wk IS NULL OR d IS NULL ORDER BY line LIMIT 1`,
  );
  if (bad) {
    throw new InputError(
      `empty or malformed value ${JSON.stringify(bad.value)}; every calendar row needs a YYYY-MM-DD date, a week number and a d_N`,
      { file, row: bad.line, column: bad.column },
    );
  }
  const dup = await wh.one<{ line: number; key: string }>(
    `SELECT line, key FROM (SELECT line, d AS key, count(*) OVER (PARTITION BY d) AS n FROM _m5_cal
       UNION ALL SELECT line, date::VARCHAR, count(*) OVER (PARTITION BY date) FROM _m5_cal)
     WHERE n > 1 ORDER BY line LIMIT 1`,
  );
  if (dup) {
    throw new InputError(`${dup.key} appears more than once; each day must have exactly one row`, {
      file,
      row: dup.line,
    });
  }
  // Events: M5 types (Sporting, Cultural, National, Religious) map to our lower-case kinds.
  const union = [
    ...events.map(
      (n) => `SELECT date, '*' AS region, trim(en${n}) AS name,
        CASE lower(trim(et${n})) WHEN 'sporting' THEN 'sporting' WHEN 'cultural' THEN 'cultural'
          WHEN 'national' THEN 'national' WHEN 'religious' THEN 'religious' ELSE 'other' END AS event_type
        FROM _m5_cal WHERE en${n} IS NOT NULL AND trim(en${n}) <> ''`,
    ),
    ...snaps.map(
      (
        c,
      ) => `SELECT date, '${c.slice(5).replaceAll("'", "''")}' AS region, 'SNAP' AS name, 'snap' AS event_type
        FROM _m5_cal WHERE "${c}" = '1'`,
    ),
  ];
  await wh.run(
    `CREATE OR REPLACE TEMP TABLE _m5_events AS
     SELECT DISTINCT date, region, name, event_type FROM (${union.length > 0 ? union.join(" UNION ALL ") : "SELECT NULL::DATE AS date, NULL AS region, NULL AS name, NULL AS event_type WHERE false"})
     QUALIFY row_number() OVER (PARTITION BY date, region, name ORDER BY event_type) = 1`,
  );
}
