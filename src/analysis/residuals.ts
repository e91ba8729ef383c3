/**
 * Residuals (actual - quantile) per quantile model, with the asymmetric reading: for a quantile used as a stock
 * level, actuals above it are lost sales (stockouts), actuals below it are stock left over; each level asks for a
 * given share of actuals above it (1 - tau), and the side a model errs on is where it misses that share.
 */
import { Rng } from "../core/rng.ts";
import { quantileSorted } from "../core/stats.ts";
import type { ResidualSummary } from "./types.ts";

/** Summary of the residuals actual[r] - q[r] over `rows` at `level`, with a seeded sample of `sampleSize`. */
export function residualSummary(
  actual: ArrayLike<number>,
  q: ArrayLike<number>,
  rows: ArrayLike<number>,
  level: number,
  options: { sampleSize?: number; seed?: number } = {},
): ResidualSummary {
  const res: number[] = [];
  let short = 0;
  let over = 0;
  let above = 0;
  let below = 0;
  for (let k = 0; k < rows.length; k++) {
    const r = rows[k]!;
    const d = actual[r]! - q[r]!;
    if (Number.isNaN(d)) continue;
    res.push(d);
    if (d > 0) {
      above++;
      short += d;
    } else {
      over -= d;
      if (d < 0) below++;
    }
  }
  const n = res.length;
  const sorted = Float64Array.from(res).sort();
  const mean = n > 0 ? res.reduce((a, b) => a + b, 0) / n : Number.NaN;
  const underShare = n > 0 ? above / n : Number.NaN;
  const expected = 1 - level;
  const tol = Math.max(0.01, 2 * Math.sqrt((level * (1 - level)) / Math.max(n, 1)));
  // Ties (actual = quantile, common with counts) count for neither side: the model errs low only when even
  // P(y <= q) falls short of tau, and high only when even P(y < q) exceeds it.
  const belowShare = n > 0 ? below / n : Number.NaN;
  const side =
    n === 0
      ? "balanced"
      : 1 - underShare < level - tol
        ? "under"
        : belowShare > level + tol
          ? "over"
          : "balanced";
  const size = options.sampleSize ?? 2000;
  const rng = new Rng(options.seed ?? 0);
  const sample = n <= size ? res : Array.from({ length: size }, () => res[rng.int(n)]!);
  return {
    level,
    n,
    mean,
    median: quantileSorted(sorted, 0.5),
    underShare,
    belowShare,
    expectedUnderShare: expected,
    unitsShort: n > 0 ? short / n : Number.NaN,
    unitsOver: n > 0 ? over / n : Number.NaN,
    side,
    reading: reading(level, side, underShare, belowShare),
    sample,
  };
}

/** One sentence saying which side the model errs on and what that costs at this level. */
function reading(level: number, side: ResidualSummary["side"], above: number, below: number): string {
  const pct = (v: number) => `${(100 * v).toFixed(1)}%`;
  const seen = `actuals are above the forecast on ${pct(above)} of days and below it on ${pct(below)}; the level asks for ${pct(1 - level)} above and ${pct(level)} below (ties count for either)`;
  if (side === "balanced") return `q${level}: balanced: ${seen}.`;
  if (side === "under") {
    return level >= 0.5
      ? `q${level}: errs low (under-forecasts): ${seen}; stocking to this quantile runs out more often than planned (lost sales).`
      : `q${level}: errs low: ${seen}; a lower bound set too low is cautious and costs little.`;
  }
  return level >= 0.5
    ? `q${level}: errs high (over-forecasts): ${seen}; stocking to it leaves more stock than planned (waste, capital).`
    : `q${level}: errs high: ${seen}; the lower bound is optimistic: low-demand days are more frequent than it says.`;
}
