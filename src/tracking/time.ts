/** A Date as a DuckDB TIMESTAMP literal in UTC (`YYYY-MM-DD HH:MM:SS.mmm`), for `CAST($n AS TIMESTAMP)`. */
export function sqlTimestamp(d: Date): string {
  return d.toISOString().replace("T", " ").replace("Z", "");
}
