/** Left-aligned text columns with a header row, for the tracking and registry commands' plain output. */
export function textTable(header: string[], rows: string[][]): string {
  const widths = header.map((h, j) => Math.max(h.length, ...rows.map((r) => r[j]!.length)));
  return [header, ...rows]
    .map((r) =>
      r
        .map((s, j) => s.padEnd(widths[j]!))
        .join("  ")
        .trimEnd(),
    )
    .join("\n");
}

/** A number for a table: four significant digits, "-" when undefined. */
export function fmt(x: number): string {
  return Number.isFinite(x) ? x.toPrecision(4) : "-";
}
