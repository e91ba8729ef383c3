/**
 * Input and output of the error analysis of one training run. The result is plain JSON-able data (numbers,
 * strings, arrays; no typed arrays, no NaN: missing values are null) so the pipeline writes it as analysis.json
 * and the report stage renders it without importing this stage.
 */
import type { Progress } from "../core/progress.ts";
import type { DailyPanel } from "../data/to-panel.ts";
import type { CalendarFlags } from "../features/calendar.ts";
import type { FeatureSettings } from "../features/names.ts";
import type { WeatherIndex } from "../features/weather.ts";
import type { TrainParams } from "../gbdt/params.ts";
import type { CvTable } from "../validation/backtest.ts";
import type { Fold } from "../validation/splits.ts";

/** How much work the analysis may do (the demo keeps these small). */
export interface AnalysisBudget {
  /** Fit the learning-curve, complexity and data-size models (false: only the CV-table sections). */
  curves: boolean;
  /** Most complexity variants to fit (lags, windows, leaves; default all 8). */
  complexityVariants?: number;
  /** Shares of the training rows for the data-size curve (default [0.25, 0.5, 1]). */
  dataShares?: number[];
  /** Most training rows of the models fitted here (default 10 000, drawn at random, seeded). */
  maxRows?: number;
  /** Most test-window rows the refitted models are scored on (whole series, drawn at random; default 40 000). */
  maxTestRows?: number;
  /** Most boosting iterations of those models (default: the main model's, at most 100). */
  iterations?: number;
  /** Quantile levels of the learning curves (default: every level of the CV table). */
  levels?: number[];
  /** Quantile levels the complexity and data-size variants are fitted at (default 0.5 only: they are many). */
  variantLevels?: number[];
  /** Rows per case CSV (default 50). */
  caseRows?: number;
}

/** Everything runAnalysis needs; all of it is what the training run already holds. */
export interface AnalysisInput {
  daily: DailyPanel;
  calendar: CalendarFlags;
  weather: WeatherIndex | null;
  settings: FeatureSettings;
  /** The outer folds the run evaluated (oldest first). */
  folds: Fold[];
  /** The outer-fold CV table (main model and baselines), from runBacktest. */
  cv: CvTable;
  /** Name of the main model in cv.models, e.g. "gbdt_quantile". */
  mainModel: string;
  /** Learner settings of the main model. */
  params: TrainParams;
  originStep: number;
  rowSample: number;
  seed: number;
  threads: number;
  budget: AnalysisBudget;
  progress?: Progress;
}

/** Pinball of one quantile model after `iteration` trees on its fit rows, the holdout and the test window. */
export interface CurvePoint {
  iteration: number;
  train: number;
  valid: number;
  test: number;
}

/** Learning curve of one quantile level. */
export interface LearningCurve {
  level: number;
  points: CurvePoint[];
  /** Iteration with the lowest validation pinball. */
  bestIteration: number;
}

/** One fitted variant of the model (complexity or data size) and its validation pinball. */
export interface VariantScore {
  dimension: string;
  variant: string;
  /** Features the variant uses. */
  features: number;
  trainRows: number;
  /** Mean over the fitted levels of the pinball on the last fold's test window. */
  pinball: number;
  perLevel: { level: number; pinball: number }[];
  /** The variant the main model corresponds to. */
  isMain: boolean;
}

/** Weekly model vs daily forecasts summed to weeks, both scored on weekly actual sums. */
export interface GranularityComparison {
  compared: string;
  weeks: number;
  rows: { model: string; wape: number; bias: number; mae: number }[];
}

/** Residuals (actual - forecast) of one quantile model and which side it errs on. */
export interface ResidualSummary {
  level: number;
  n: number;
  mean: number;
  median: number;
  /** Share of actuals above the quantile (under-forecasts); the level asks for 1 - level. */
  underShare: number;
  /** Share of actuals strictly below the quantile; the level asks for at most tau (ties count for either side). */
  belowShare: number;
  expectedUnderShare: number;
  /** Mean units short per row (actual above the quantile) and over (actual below). */
  unitsShort: number;
  unitsOver: number;
  side: "under" | "over" | "balanced";
  reading: string;
  /** A seeded sample of residuals for the histogram. */
  sample: number[];
}

/** Observed coverage of one level of one model in one horizon bucket. */
export interface CalibrationCell {
  model: string;
  /** "all" or a horizon range such as "1-7". */
  bucket: string;
  level: number;
  n: number;
  /** P(y < q) and P(y <= q): calibrated when the level lies between them. */
  lt: number;
  le: number;
  calibrated: boolean;
}

/** How a case set differs from the population on one attribute value. */
export interface CaseTrait {
  dimension: string;
  value: string;
  count: number;
  share: number;
  populationShare: number;
  /** share / populationShare: above 1 means over-represented among the cases. */
  lift: number;
}

/** One set of cases (best, worst, corner) with its CSV text and what the rows have in common. */
export interface CaseSet {
  name: string;
  description: string;
  /** CSV file text: store_id, product_id, date, horizon, actual, quantiles, residual, attributes. */
  csv: string;
  summary: {
    /** Rows of the population that belong to the set (before the CSV keeps the worst `caseRows`). */
    matching: number;
    rows: number;
    meanPinball: number | null;
    populationPinball: number;
    meanResidual: number | null;
    coverage95: number | null;
    traits: CaseTrait[];
  };
}

/** Predicted median demand against price relative to the usual price, for one category. */
export interface ElasticityCurve {
  category: string;
  rows: number;
  points: { relPrice: number; demand: number }[];
  /** Log-log slope of the curve between 0.8 and 1.2 (an elasticity). */
  elasticity: number | null;
}

/** Pinball and coverage of one level before and after isotonic post-calibration. */
export interface IsotonicLevel {
  level: number;
  pinballBefore: number;
  pinballAfter: number;
  coverageBefore: number;
  coverageAfter: number;
}

/** The whole analysis: what analysis.json holds and analysis.html shows. */
export interface AnalysisResult {
  version: 1;
  mainModel: string;
  levels: number[];
  actualSource: "observed" | "truth";
  folds: { fold: number; trainStart: string; trainEnd: string; origin: string }[];
  /** CV rows of the main model the residual, calibration and case sections read. */
  rows: number;
  learningCurves: {
    fold: number;
    trainRows: number;
    validRows: number;
    curves: LearningCurve[];
  } | null;
  complexity: VariantScore[];
  dataSize: VariantScore[];
  granularity: GranularityComparison | null;
  residuals: ResidualSummary[];
  calibration: CalibrationCell[];
  cases: CaseSet[];
  elasticity: ElasticityCurve[];
  isotonic: { fitFolds: number[]; appliedFold: number; levels: IsotonicLevel[] } | null;
  /** What was skipped or approximated, in words. */
  notes: string[];
  /** Seconds per section. */
  timings: Record<string, number>;
}
