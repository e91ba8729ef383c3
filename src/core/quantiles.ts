/** The six forecast quantile levels of SPEC.md, in increasing order. */
export const QUANTILES = [0.015, 0.25, 0.5, 0.75, 0.95, 0.99] as const;

export type QuantileLevel = (typeof QUANTILES)[number];

/** Column name of a quantile level: 0.015 -> `q0_015`, 0.5 -> `q0_5`. */
export function quantileColumn(level: number): string {
  return `q${String(level).replace(".", "_")}`;
}

/** Column names of the six levels, in order. */
export const QUANTILE_COLUMNS: readonly string[] = QUANTILES.map(quantileColumn);
