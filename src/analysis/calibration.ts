/**
 * Calibration table: for each level tau, the observed shares P(y < q) and P(y <= q). With integer sales many
 * actuals equal the quantile, so a level is calibrated when it lies between the two shares (within sampling
 * noise), not when one of them equals it.
 */
import type { CvTable } from "../validation/backtest.ts";
import type { CalibrationCell } from "./types.ts";

/** Observed coverage of quantile forecasts `q` at `level` over the rows `rows` (indices into actual and q). */
export function coverage(
  actual: ArrayLike<number>,
  q: ArrayLike<number>,
  rows: ArrayLike<number>,
  level: number,
): { n: number; lt: number; le: number; calibrated: boolean } {
  let lt = 0;
  let le = 0;
  let n = 0;
  for (let k = 0; k < rows.length; k++) {
    const r = rows[k]!;
    const y = actual[r]!;
    const v = q[r]!;
    if (Number.isNaN(y) || Number.isNaN(v)) continue;
    n++;
    if (y < v) lt++;
    if (y <= v) le++;
  }
  if (n === 0) return { n, lt: Number.NaN, le: Number.NaN, calibrated: false };
  // Two binomial standard errors (at least one point): a miss inside that is noise, not miscalibration.
  const tol = Math.max(0.01, 2 * Math.sqrt((level * (1 - level)) / n));
  return { n, lt: lt / n, le: le / n, calibrated: lt / n - tol <= level && level <= le / n + tol };
}

/** Horizon buckets of a week each ("1-7", "8-14", ...) up to the longest horizon. */
export function horizonBuckets(maxHorizon: number): { label: string; lo: number; hi: number }[] {
  const out: { label: string; lo: number; hi: number }[] = [];
  for (let lo = 1; lo <= maxHorizon; lo += 7) {
    const hi = Math.min(lo + 6, maxHorizon);
    out.push({ label: `${lo}-${hi}`, lo, hi });
  }
  return out;
}

/**
 * The calibration table: every model of the CV table over all its rows ("all"), and the main model per
 * horizon bucket (does calibration decay with the horizon?).
 */
export function calibrationTable(cv: CvTable, mainModel: string): CalibrationCell[] {
  const out: CalibrationCell[] = [];
  const rowsOf = (keep: (r: number) => boolean) => {
    const idx: number[] = [];
    for (let r = 0; r < cv.model.length; r++) if (keep(r)) idx.push(r);
    return idx;
  };
  const add = (model: string, bucket: string, rows: number[]) => {
    cv.levels.forEach((level, k) => {
      const c = coverage(cv.actual, cv.q[k]!, rows, level);
      out.push({ model, bucket, level, n: c.n, lt: c.lt, le: c.le, calibrated: c.calibrated });
    });
  };
  cv.models.forEach((model, m) => {
    add(
      model,
      "all",
      rowsOf((r) => cv.model[r] === m),
    );
  });
  const main = cv.models.indexOf(mainModel);
  const maxH = cv.horizon.reduce((a, b) => Math.max(a, b), 0);
  for (const b of horizonBuckets(maxH)) {
    add(
      mainModel,
      b.label,
      rowsOf((r) => cv.model[r] === main && cv.horizon[r]! >= b.lo && cv.horizon[r]! <= b.hi),
    );
  }
  return out;
}
