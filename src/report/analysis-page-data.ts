/**
 * The plain data analysis.html is drawn from: the shape of analysis.json (written by the analysis stage, which
 * this stage may not import). Numbers that could not be computed are null.
 */

type Num = number | null;

/** A fitted variant of the model and its pinball on the last fold's test window. */
export interface VariantData {
  dimension: string;
  variant: string;
  features: number;
  trainRows: number;
  pinball: Num;
  perLevel: { level: number; pinball: Num }[];
  isMain: boolean;
}

/** Case set summary and CSV. */
export interface CaseData {
  name: string;
  description: string;
  csv: string;
  summary: {
    matching: number;
    rows: number;
    meanPinball: Num;
    populationPinball: Num;
    meanResidual: Num;
    coverage95: Num;
    traits: {
      dimension: string;
      value: string;
      count: number;
      share: Num;
      populationShare: Num;
      lift: Num;
    }[];
  };
}

/** Everything analysisPage needs (analysis.json). */
export interface AnalysisPageData {
  mainModel: string;
  levels: number[];
  actualSource: string;
  folds: { fold: number; trainStart: string; trainEnd: string; origin: string }[];
  rows: number;
  learningCurves: {
    fold: number;
    trainRows: number;
    validRows: number;
    curves: {
      level: number;
      bestIteration: number;
      points: { iteration: number; train: Num; valid: Num; test: Num }[];
    }[];
  } | null;
  complexity: VariantData[];
  dataSize: VariantData[];
  granularity: {
    compared: string;
    weeks: number;
    rows: { model: string; wape: Num; bias: Num; mae: Num }[];
  } | null;
  residuals: {
    level: number;
    n: number;
    mean: Num;
    median: Num;
    underShare: Num;
    belowShare: Num;
    expectedUnderShare: number;
    unitsShort: Num;
    unitsOver: Num;
    side: string;
    reading: string;
    sample: Num[];
  }[];
  calibration: {
    model: string;
    bucket: string;
    level: number;
    n: number;
    lt: Num;
    le: Num;
    calibrated: boolean;
  }[];
  cases: CaseData[];
  elasticity: {
    category: string;
    rows: number;
    points: { relPrice: number; demand: Num }[];
    elasticity: Num;
  }[];
  isotonic: {
    fitFolds: number[];
    appliedFold: number;
    levels: {
      level: number;
      pinballBefore: Num;
      pinballAfter: Num;
      coverageBefore: Num;
      coverageAfter: Num;
    }[];
  } | null;
  notes: string[];
  timings: Record<string, number>;
}
