import type { ColumnSpec, TableSpec } from "../schema.ts";
import { sqlString, type Warehouse } from "../warehouse.ts";
import { ident } from "./columns.ts";
import { markDuplicates } from "./duplicates.ts";
import type { ReasonCode } from "./reasons.ts";
import { T, typeReason } from "./staging.ts";

/** Start/end date pairs that must be ordered, per table (an end before its start is `inconsistent_dates`). */
const DATE_ORDER: Record<string, [string, string][]> = {
  promos: [["start_date", "end_date"]],
  stores: [["open_date", "close_date"]],
  products: [["introduced_date", "delisted_date"]],
};

interface Check {
  when: string;
  reason: ReasonCode;
  column: string | null;
  /** SQL expression of the message. */
  message: string;
}

const text = (c: ColumnSpec) => `coalesce(${ident(c.name)}::VARCHAR, 'NULL')`;

/**
 * Validates the staged rows of one file in SQL and writes the refused ones to `bad` (rid = staging rowid,
 * reason, column_name, message, and `_row`, the staged row as a struct, so that the quarantine never
 * joins the whole staging table again): each row gets the first failing check in the order of REASON_CODES.
 * Unknown ids are found on the distinct values first (one scan for all id columns), so the 10M-row
 * scan only tests membership in a (usually empty) set. Duplicate keys are searched among the rows that
 * passed everything else, unless that same scan proved all staged keys distinct.
 */
export async function validateStaged(wh: Warehouse, spec: TableSpec, hasTypeErrors: boolean): Promise<void> {
  const checks: Check[] = [];
  if (hasTypeErrors) {
    for (const c of spec.columns) {
      checks.push({
        when: `_type_err = ${sqlString(c.name)}`,
        reason: typeReason(c.type),
        column: c.name,
        message: `'value does not convert to ${c.type}: ' || coalesce(_raw, '')`,
      });
    }
  }
  for (const c of spec.columns) {
    if (c.type === "DOUBLE") {
      checks.push({
        when: `NOT isfinite(${ident(c.name)})`,
        reason: "bad_type",
        column: c.name,
        message: `'${c.name} is ' || ${text(c)} || ', not a finite number'`,
      });
    }
  }
  for (const c of spec.columns) {
    if (!c.nullable) {
      checks.push({
        when: `${ident(c.name)} IS NULL`,
        reason: "missing_value",
        column: c.name,
        message: `'${c.name} is empty but required'`,
      });
    }
  }
  for (const c of spec.columns) {
    if (c.min !== undefined) {
      checks.push({
        when: `${ident(c.name)} < ${c.min}`,
        reason: "out_of_range",
        column: c.name,
        message: `'${c.name} = ' || ${text(c)} || ' is below the minimum ${c.min}'`,
      });
    }
    if (c.max !== undefined) {
      checks.push({
        when: `${ident(c.name)} > ${c.max}`,
        reason: "out_of_range",
        column: c.name,
        message: `'${c.name} = ' || ${text(c)} || ' is above the maximum ${c.max}'`,
      });
    }
  }
  for (const c of spec.columns) {
    if (c.values) {
      const list = c.values.map(sqlString).join(", ");
      checks.push({
        when: `${ident(c.name)} NOT IN (${list})`,
        reason: "not_allowed",
        column: c.name,
        message: `'${c.name} = ' || ${text(c)} || ' is not one of: ${c.values.join(", ").replaceAll("'", "''")}'`,
      });
    }
  }
  for (const [from, to] of DATE_ORDER[spec.name] ?? []) {
    checks.push({
      when: `${ident(to)} < ${ident(from)}`,
      reason: "inconsistent_dates",
      column: to,
      message: `'${to} ' || ${ident(to)}::VARCHAR || ' is before ${from} ' || ${ident(from)}::VARCHAR`,
    });
  }
  const unknownTables: string[] = [];
  const refCols = spec.columns.filter((c) => c.ref);
  // One scan of the staged rows for all id columns (their distinct combinations are few), which for a
  // dated key also tries to prove the keys distinct (see groupKeys).
  const refs = "_ing_refs";
  const dateSpan = await keyDateSpan(wh, spec);
  let keysDistinct = false;
  if (refCols.length > 0 || dateSpan) {
    await wh.run(`DROP TABLE IF EXISTS ${refs}`);
    keysDistinct = await groupKeys(wh, spec, refs, dateSpan);
    unknownTables.push(refs);
  }
  for (const c of refCols) {
    if (!c.ref) continue;
    const unknown = `_ing_unknown_${c.name}`;
    await wh.run(`DROP TABLE IF EXISTS ${unknown}`);
    await wh.run(`CREATE TEMP TABLE ${unknown} AS
      SELECT DISTINCT ${ident(c.name)} AS v FROM ${refs} WHERE ${ident(c.name)} IS NOT NULL
        AND ${ident(c.name)} NOT IN (SELECT ${ident(c.ref.column)} FROM ${ident(c.ref.table)} WHERE ${ident(c.ref.column)} IS NOT NULL)`);
    if ((await wh.scalar(`SELECT count(*) FROM ${unknown}`)) > 0) {
      checks.push({
        when: `${ident(c.name)} IN (SELECT v FROM ${unknown})`,
        reason: "unknown_ref",
        column: c.name,
        message: `'${c.name} ' || ${text(c)} || ' is not in ${c.ref.table}.${c.ref.column}'`,
      });
    }
    unknownTables.push(unknown);
  }

  await wh.run(`DROP TABLE IF EXISTS ${T.bad}`);
  const cases = checks
    .map(
      (k) =>
        `WHEN ${k.when} THEN {'reason': '${k.reason}', 'column_name': ${k.column ? sqlString(k.column) : "NULL"}, 'message': ${k.message}}`,
    )
    .join("\n      ");
  if (checks.length === 0) {
    await wh.run(`CREATE TEMP TABLE ${T.bad} AS
      SELECT rowid AS rid, NULL::VARCHAR AS reason, NULL::VARCHAR AS column_name, NULL::VARCHAR AS message,
        _stg_row AS _row
      FROM ${T.stg} _stg_row LIMIT 0`);
  } else {
    // The WHERE repeats the conditions so the CASE (and its messages) runs only on failing rows. A NULL
    // condition does not fire, as in the CASE: OR is true as soon as one condition is.
    await wh.run(`CREATE TEMP TABLE ${T.bad} AS
      SELECT rid, r.reason AS reason, r.column_name AS column_name, r.message AS message, _row FROM (
        SELECT rowid AS rid, CASE ${cases} END AS r, _stg_row AS _row FROM ${T.stg} _stg_row
        WHERE ${checks.map((k) => `(${k.when})`).join(" OR ")}
      )`);
  }
  for (const name of unknownTables) await wh.run(`DROP TABLE ${name}`);
  if (!keysDistinct) await markDuplicates(wh, spec);
}

/** Widest date span (days) of a file whose keys `groupKeys` checks with one bit per day and group. */
const MAX_KEY_SPAN_DAYS = 1500;
/** Bound on the bits' memory, assuming the worst case of one group per row. */
const MAX_KEY_BITS_BYTES = 2 ** 31;

/**
 * For a table keyed by a required `date` plus other columns: the staged rows' first date and span in
 * days, when one bit per day and group is cheap (a span of at most MAX_KEY_SPAN_DAYS and at most
 * MAX_KEY_BITS_BYTES of bits even if every row were its own group); otherwise (or without rows) undefined.
 */
async function keyDateSpan(
  wh: Warehouse,
  spec: TableSpec,
): Promise<{ lo: string; days: number } | undefined> {
  const dateCol = spec.columns.find((c) => c.name === "date");
  if (!spec.key.includes("date") || dateCol?.type !== "DATE" || dateCol.nullable) return undefined;
  const r = await wh.one<{ lo: string | null; days: number | null; n: number }>(
    `SELECT min(date)::VARCHAR AS lo, (max(date) - min(date))::INTEGER AS days, count(*) AS n FROM ${T.stg}`,
  );
  if (r?.lo == null || r.days == null || r.days > MAX_KEY_SPAN_DAYS) return undefined;
  if (r.n * Math.ceil((r.days + 1) / 8) > MAX_KEY_BITS_BYTES) return undefined;
  return { lo: r.lo, days: r.days };
}

/**
 * Writes to `into` the distinct combinations of the id columns and the key's other columns, in one
 * parallel aggregate over the staged rows. With a date span, each group also sets one bit per day of
 * its rows: when every group has as many bits as rows, no two staged rows share a key, valid or not, and
 * the duplicate search is skipped (returns true). This replaces, for the usual dated file, a pass over
 * the rows in file order that DuckDB runs partly on one thread.
 */
async function groupKeys(
  wh: Warehouse,
  spec: TableSpec,
  into: string,
  span: { lo: string; days: number } | undefined,
): Promise<boolean> {
  const names = new Set(spec.columns.filter((c) => c.ref).map((c) => c.name));
  if (span) for (const k of spec.key) if (k !== "date") names.add(k);
  const cols = [...names].map(ident);
  const group = cols.length > 0 ? `GROUP BY ${cols.join(", ")}` : "";
  if (!span) {
    await wh.run(`CREATE TEMP TABLE ${into} AS SELECT ${cols.join(", ")} FROM ${T.stg} ${group}`);
    return false;
  }
  // A NULL date is a refused row: it neither sets a bit nor counts.
  const day = `(date - DATE '${span.lo}')::INTEGER`;
  await wh.run(`CREATE TEMP TABLE ${into} AS
    SELECT ${cols.map((c) => `${c}, `).join("")}
      count(date) = coalesce(bit_count(bitstring_agg(${day}, 0, ${span.days})), 0) AS distinct_days
    FROM ${T.stg} ${group}`);
  return (await wh.scalar(`SELECT count(*) FROM ${into} WHERE NOT distinct_days`)) === 0;
}
