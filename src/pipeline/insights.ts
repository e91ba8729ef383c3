/**
 * What a run learns about its features and model besides the metrics: feature tests before training (ranges,
 * outliers, correlation, time budget) and after (features no model uses), and importance (split count, gain,
 * permutation on the holdout rows, mean |SHAP|).
 */

import { permutationImportance } from "../analysis/permutation.ts";
import type { TrainSettings } from "../config/train.ts";
import { gather } from "../core/gather.ts";
import type { Progress } from "../core/progress.ts";
import { Rng } from "../core/rng.ts";
import type { FeatureMatrix } from "../features/build.ts";
import {
  checkFeatureUse,
  type FeatureTestLimits,
  type FeatureTestReport,
} from "../features/feature-tests.ts";
import { treeShap } from "../gbdt/shap.ts";
import { pinball } from "../metrics/pinball.ts";
import { trainingMatrix } from "../models/feature-model-data.ts";
import type { FitInput } from "../models/forecaster.ts";
import type { ProductionModel } from "../models/production-model.ts";
import { conformPanel, dictionariesOf, excludedFeatures } from "../models/production-model-schema.ts";

/** Rows the feature tests and importance look at: a seeded sample of the final fit's training rows. */
export interface FeatureSample {
  matrix: FeatureMatrix;
  /** Rows of `matrix` in the early-stopping holdout window with a known target (what importance scores on). */
  holdout: Int32Array;
}

/** Importance of the final model's features. */
export interface ImportanceReport {
  /** Per quantile model: total split gain and split count per feature, largest gain first. */
  byLevel: { level: number; features: { name: string; gain: number; splits: number }[] }[];
  /** Loss increase when a feature's holdout values are shuffled (median model), largest first. */
  permutation: {
    level: number;
    rows: number;
    repeats: number;
    features: { name: string; mean: number; std: number }[];
  } | null;
  /** Mean |SHAP| per feature on holdout rows (median model), largest first; `base` is the expected raw score. */
  shap: { level: number; rows: number; base: number; features: { name: string; meanAbs: number }[] } | null;
}

/** Everything `modelInsights` returns. */
export interface ModelInsights {
  importance: ImportanceReport;
  featureTests: { ok: boolean; before: FeatureTestReport; after: FeatureTestReport };
}

/** Builds the sample the feature tests and importance use (about `rows` training rows, seeded). */
export async function featureSample(
  fitInput: FitInput,
  t: TrainSettings,
  rows: number,
): Promise<FeatureSample> {
  const nSeries = fitInput.panel.keys.length;
  const expected =
    nSeries * Math.ceil((fitInput.trainEnd - fitInput.trainStart + 1) / t.originStep) * fitInput.horizon;
  const share = Math.min(t.rowSample, Math.max(1e-4, (4 * rows) / Math.max(1, expected)));
  // Built the way ProductionModel.fit builds its rows: categorical codes from the panel's dictionaries and the
  // same features left out, so the columns line up with the model's.
  const fd = fitInput.features!;
  const withWeather = fd.weather != null;
  const conformed: FitInput = {
    ...fitInput,
    features: { ...fd, daily: conformPanel(fd.daily, dictionariesOf(fd.daily)) },
  };
  const matrix = await trainingMatrix(conformed, {
    originStep: t.originStep,
    rowSample: share,
    exclude: excludedFeatures(withWeather, fd.settings),
  });
  const first = fitInput.trainEnd - t.validDays;
  const r = matrix.rows;
  const hold: number[] = [];
  for (let k = 0; k < r.series.length; k++) {
    if (r.origin[k]! + r.horizon[k]! > first && !Number.isNaN(matrix.target[k]!)) hold.push(k);
  }
  const rng = new Rng(fitInput.seed);
  const picked =
    hold.length > rows
      ? rng
          .shuffle(hold)
          .slice(0, rows)
          .sort((a, b) => a - b)
      : hold;
  return { matrix, holdout: Int32Array.from(picked) };
}

/** Importance of the final model and the after-training feature test. */
export async function modelInsights(o: {
  model: ProductionModel;
  sample: FeatureSample;
  before: FeatureTestReport;
  train: TrainSettings;
  limits: FeatureTestLimits;
  progress?: Progress;
}): Promise<ModelInsights> {
  const { model, sample } = o;
  const names = sample.matrix.names;
  const byLevel = model.boosters.map((b, k) => {
    const gain = b.importance("gain");
    const splits = b.importance("split");
    return {
      level: model.levels[k]!,
      features: names
        .map((name, f) => ({ name, gain: gain[f]!, splits: splits[f]! }))
        .sort((a, b) => b.gain - a.gain || a.name.localeCompare(b.name)),
    };
  });
  const splitTotals = new Float64Array(names.length);
  for (const l of byLevel) for (const f of l.features) splitTotals[names.indexOf(f.name)]! += f.splits;
  const after = checkFeatureUse(names, splitTotals, o.limits, o.before);

  const k = Math.max(0, model.levels.indexOf(0.5));
  const median = model.boosters[k]!;
  const cols = sample.matrix.columns.map((c) => gather(c, sample.holdout));
  const y = gather(sample.matrix.target, sample.holdout);
  let permutation: ImportanceReport["permutation"] = null;
  let shap: ImportanceReport["shap"] = null;
  if (y.length > 0 && o.train.analysis.permutationRepeats > 0) {
    o.progress?.({ step: "permutation importance", done: 0, total: 1 });
    const tau = model.levels[k]!;
    const features = await permutationImportance({
      predict: (c) => median.predict(c),
      columns: cols,
      names,
      y,
      loss: (yy, pred) => {
        let s = 0;
        for (let i = 0; i < yy.length; i++) s += pinball(yy[i]!, pred[i]!, tau);
        return s / Math.max(1, yy.length);
      },
      repeats: o.train.analysis.permutationRepeats,
      seed: o.train.seed,
    });
    permutation = { level: tau, rows: y.length, repeats: o.train.analysis.permutationRepeats, features };
  }
  const nShap = Math.min(y.length, o.train.analysis.shapRows);
  if (nShap > 0) {
    o.progress?.({ step: "SHAP", done: 0, total: 1 });
    const F = names.length;
    const phi = treeShap(
      median,
      cols.map((c) => c.subarray(0, nShap)),
    );
    const meanAbs = new Float64Array(F);
    for (let i = 0; i < nShap; i++)
      for (let f = 0; f < F; f++) meanAbs[f]! += Math.abs(phi[i * (F + 1) + f]!) / nShap;
    shap = {
      level: model.levels[k]!,
      rows: nShap,
      base: phi[F]!,
      features: names
        .map((name, f) => ({ name, meanAbs: meanAbs[f]! }))
        .sort((a, b) => b.meanAbs - a.meanAbs || a.name.localeCompare(b.name)),
    };
  }
  return {
    importance: { byLevel, permutation, shap },
    featureTests: { ok: o.before.ok && after.ok, before: o.before, after },
  };
}
