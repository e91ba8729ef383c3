/**
 * Optional isotonic post-calibration of the main model: one map per level fitted on the CV rows of every fold
 * but the last, applied to the last fold, reported as pinball and coverage before and after. Calibrated
 * quantiles are re-sorted per row, as the forecasts themselves are, so levels never cross.
 */
import type { CvTable } from "../validation/backtest.ts";
import { applyIsotonic, fitIsotonic, scoreLevel } from "./isotonic.ts";
import type { AnalysisResult } from "./types.ts";

/** Before/after of isotonic post-calibration; null (with the reason) when there is only one fold. */
export function postCalibration(
  cv: CvTable,
  rows: Int32Array,
): { result: AnalysisResult["isotonic"]; note: string | null } {
  const lastFold = cv.folds.length - 1;
  if (lastFold < 1) {
    return {
      result: null,
      note: "isotonic post-calibration needs at least two folds (fit on earlier, apply to the last)",
    };
  }
  const fit = rows.filter((r) => cv.fold[r]! < lastFold);
  const test = rows.filter((r) => cv.fold[r] === lastFold);
  const y = Float64Array.from(test, (r) => cv.actual[r]!);
  const L = cv.levels.length;
  const after = cv.levels.map(() => new Float64Array(test.length));
  cv.levels.forEach((tau, k) => {
    const map = fitIsotonic(
      Float64Array.from(fit, (r) => cv.q[k]![r]!),
      Float64Array.from(fit, (r) => cv.actual[r]!),
      tau,
    );
    test.forEach((r, t) => {
      after[k]![t] = applyIsotonic(map, cv.q[k]![r]!);
    });
  });
  const row = new Float64Array(L);
  for (let t = 0; t < test.length; t++) {
    for (let k = 0; k < L; k++) row[k] = after[k]![t]!;
    row.sort();
    for (let k = 0; k < L; k++) after[k]![t] = row[k]!;
  }
  const levels = cv.levels.map((level, k) => {
    const b = scoreLevel(
      Float64Array.from(test, (r) => cv.q[k]![r]!),
      y,
      level,
    );
    const a = scoreLevel(after[k]!, y, level);
    return {
      level,
      pinballBefore: b.pinball,
      pinballAfter: a.pinball,
      coverageBefore: b.coverage,
      coverageAfter: a.coverage,
    };
  });
  const fitFolds = [...new Set(Array.from(fit, (r) => cv.fold[r]!))].sort((a, b) => a - b);
  return { result: { fitFolds, appliedFold: lastFold, levels }, note: null };
}
