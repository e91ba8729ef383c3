/**
 * Why ingest refused a row: the `reason` codes written to the `quarantine` table. A row gets exactly one
 * code, the first that applies in the order listed here (a malformed line is never also checked for
 * ranges; a duplicate is only reported between rows that are otherwise valid).
 */
export const REASON_CODES = {
  malformed_line:
    "The line could not be split into the header's fields (too few or too many fields, a stray quote). CSV only.",
  bad_encoding: "The line is not valid UTF-8. CSV only.",
  bad_type:
    "A value is not of the column's type (not a number, not an integer, not true/false, NaN or infinite).",
  bad_date: "A date is not a real YYYY-MM-DD calendar date, or a timestamp is not ISO 8601.",
  missing_value: "A required (non-nullable) column is empty.",
  out_of_range: "A number is below the column's minimum or above its maximum (e.g. negative units).",
  not_allowed: "A text value is not one of the column's allowed values.",
  inconsistent_dates: "An end date lies before its start date (promo end, store close, product delisting).",
  unknown_ref:
    "An id that must already exist in another table does not (unknown store, product or DC): load that table first.",
  duplicate_key:
    "Another row of the same file has the same key; the first one (lowest line) is kept, later ones are quarantined.",
} as const;

/** One of the quarantine reason codes. */
export type ReasonCode = keyof typeof REASON_CODES;

/** The reason codes with their descriptions, in the order they are checked (for docs and `--help`). */
export function reasonCodeList(): { code: ReasonCode; description: string }[] {
  return (Object.keys(REASON_CODES) as ReasonCode[]).map((code) => ({
    code,
    description: REASON_CODES[code],
  }));
}
