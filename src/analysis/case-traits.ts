/**
 * What a set of cases has in common: for each grouping dimension (category, store, price band, history), the
 * values over-represented among the cases compared with the population they were drawn from.
 */
import type { CaseTrait } from "./types.ts";

/**
 * Traits of the rows `chosen` (positions into the label arrays) against all rows: per dimension, the values
 * with the highest lift (share among cases / share in the population) above 1, held by at least two rows, at most
 * `perDimension` each.
 */
export function caseTraits(
  labels: Record<string, string[]>,
  chosen: ArrayLike<number>,
  perDimension = 2,
): CaseTrait[] {
  const out: CaseTrait[] = [];
  if (chosen.length === 0) return out;
  for (const [dimension, values] of Object.entries(labels)) {
    const population = new Map<string, number>();
    for (const v of values) population.set(v, (population.get(v) ?? 0) + 1);
    const cases = new Map<string, number>();
    for (let k = 0; k < chosen.length; k++) {
      const v = values[chosen[k]!]!;
      cases.set(v, (cases.get(v) ?? 0) + 1);
    }
    const rows = [...cases].map(([value, count]) => {
      const share = count / chosen.length;
      const populationShare = population.get(value)! / values.length;
      return { dimension, value, count, share, populationShare, lift: share / populationShare };
    });
    // Over-represented only, and by more than one row: a single row says nothing in common.
    const over = rows.filter((t) => t.lift > 1 && t.count >= 2);
    over.sort((a, b) => b.lift - a.lift || b.count - a.count || a.value.localeCompare(b.value));
    out.push(...over.slice(0, perDimension));
  }
  return out;
}
