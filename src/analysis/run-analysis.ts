/**
 * The error analysis of a training run (SPEC §7), every section from the run's own data: the CV table gives
 * residuals, calibration, cases and isotonic post-calibration; models refitted on the last fold's training window
 * (small, seeded budgets) give the learning curves by iteration, complexity and data size, the daily-vs-weekly
 * comparison and the elasticity curves.
 */
import { formatDay } from "../core/days.ts";
import { DEFAULT_GBDT_PARAMS } from "../models/gbdt-quantile.ts";
import { calibrationTable } from "./calibration.ts";
import { caseSets } from "./cases.ts";
import { complexityScores, dataSizeScores } from "./complexity.ts";
import { elasticityCurves } from "./elasticity.ts";
import { type FitOptions, fitLevels } from "./fit-levels.ts";
import { granularity } from "./granularity.ts";
import { lastFoldData } from "./last-fold-data.ts";
import { learningCurves } from "./learning-curves.ts";
import { postCalibration } from "./post-calibration.ts";
import { residualSummary } from "./residuals.ts";
import { modelRows, rowAttributes } from "./row-attributes.ts";
import type { AnalysisInput, AnalysisResult } from "./types.ts";

export type { AnalysisBudget, AnalysisInput, AnalysisResult } from "./types.ts";

/** Budget defaults: small enough that the demo chain's analysis stays well under a minute on 2 cores. */
const DEFAULTS = {
  maxRows: 10_000,
  maxTestRows: 40_000,
  iterations: 100,
  variantLevels: [0.5],
  dataShares: [0.25, 0.5, 1],
  caseRows: 50,
  elasticityRows: 3000,
};

/** Runs every section of the error analysis the budget allows and returns plain JSON-able data. */
export async function runAnalysis(input: AnalysisInput): Promise<AnalysisResult> {
  const { cv, budget } = input;
  const timings: Record<string, number> = {};
  const notes: string[] = [];
  const steps = budget.curves ? 9 : 4;
  let done = 0;
  const timed = async <T>(step: string, fn: () => T | Promise<T>): Promise<T> => {
    input.progress?.({ step: `analysis: ${step}`, done, total: steps });
    const t0 = performance.now();
    const out = await fn();
    timings[step] = Math.round(performance.now() - t0) / 1000;
    done++;
    return out;
  };

  const rows = modelRows(cv, input.mainModel);
  const attrs = await timed("attributes", () => rowAttributes(cv, rows, input.daily, input.calendar));
  const residuals = await timed("residuals", () =>
    cv.levels.map((level, k) => residualSummary(cv.actual, cv.q[k]!, rows, level, { seed: input.seed + k })),
  );
  const calibration = await timed("calibration", () => calibrationTable(cv, input.mainModel));
  const cases = await timed("cases", () =>
    caseSets(cv, attrs, input.daily, budget.caseRows ?? DEFAULTS.caseRows),
  );
  const iso = postCalibration(cv, rows);
  if (iso.note) notes.push(iso.note);

  const result: AnalysisResult = {
    version: 1,
    mainModel: input.mainModel,
    levels: [...cv.levels],
    actualSource: cv.actualSource,
    folds: input.folds.map((f) => ({
      fold: f.fold,
      trainStart: formatDay(f.trainStart),
      trainEnd: formatDay(f.trainEnd),
      origin: formatDay(f.origin),
    })),
    rows: rows.length,
    learningCurves: null,
    complexity: [],
    dataSize: [],
    granularity: null,
    residuals,
    calibration,
    cases,
    elasticity: [],
    isotonic: iso.result,
    notes,
    timings,
  };
  if (!budget.curves) {
    notes.push(
      "learning curves, complexity, data size, granularity and elasticity were not computed (budget.curves is off)",
    );
    return finite(result);
  }
  if (input.folds.length === 0) {
    notes.push("no folds: the refitted sections need the last fold's training window");
    return finite(result);
  }

  const params = { ...DEFAULT_GBDT_PARAMS, ...input.params };
  const maxRows = budget.maxRows ?? DEFAULTS.maxRows;
  const data = await timed("last-fold data", () =>
    lastFoldData(input, maxRows, budget.maxTestRows ?? DEFAULTS.maxTestRows),
  );
  if (data.fit.target.length < 200 || data.test.target.length === 0) {
    notes.push(
      `the last fold has ${data.fit.target.length} training rows and ${data.test.target.length} test rows: too few to refit the analysis models`,
    );
    return finite(result);
  }
  const fit: FitOptions = {
    names: data.names,
    categorical: data.categorical,
    params,
    iterations: Math.min(budget.iterations ?? DEFAULTS.iterations, params.iterations ?? DEFAULTS.iterations),
    seed: input.seed,
    threads: input.threads,
  };
  const curveLevels = budget.levels ?? [...cv.levels];
  const variantLevels = budget.variantLevels ?? DEFAULTS.variantLevels;
  const lc = await timed("learning curves", () => learningCurves(data, curveLevels, fit));
  result.learningCurves = {
    fold: data.fold.fold,
    trainRows: data.fit.target.length,
    validRows: data.holdout.target.length,
    curves: lc.curves,
  };
  // The variants' reference: the curve models at the variant levels (fitted here when a level is missing).
  const missing = variantLevels.filter((l) => !curveLevels.includes(l));
  const extra = missing.length > 0 ? (await fitLevels(data.fit, missing, fit)).boosters : [];
  const reference = {
    boosters: variantLevels.map((l) =>
      curveLevels.includes(l) ? lc.boosters[curveLevels.indexOf(l)]! : extra[missing.indexOf(l)]!,
    ),
    dataset: lc.dataset,
  };
  const median = reference.boosters[variantLevels.indexOf(0.5)] ?? lc.boosters[curveLevels.indexOf(0.5)];
  result.complexity = await timed("complexity", () =>
    complexityScores(data, variantLevels, reference, {
      ...fit,
      mainLeaves: params.maxLeaves ?? 63,
      limit: budget.complexityVariants ?? 8,
    }),
  );
  result.dataSize = await timed("data size", () =>
    dataSizeScores(data, variantLevels, reference, budget.dataShares ?? DEFAULTS.dataShares, fit),
  );
  if (median) {
    result.granularity = await timed("granularity", () => granularity(input, data, median, maxRows, fit));
    if (!result.granularity) notes.push("daily vs weekly: too few complete weeks in the last fold");
    const category = input.daily.categoricals.find((c) => c.name === "category_l1");
    result.elasticity = elasticityCurves(
      median,
      data.names,
      data.test,
      category,
      DEFAULTS.elasticityRows,
      input.seed,
    );
  } else {
    notes.push(
      "granularity and elasticity need a median model: add 0.5 to budget.levels or budget.variantLevels",
    );
  }
  input.progress?.({ step: "analysis", done: steps, total: steps });
  return finite(result);
}

/** The result with every non-finite number replaced by null, so JSON keeps it (NaN would become null anyway). */
function finite(r: AnalysisResult): AnalysisResult {
  return JSON.parse(JSON.stringify(r, (_, v) => (typeof v === "number" && !Number.isFinite(v) ? null : v)));
}
