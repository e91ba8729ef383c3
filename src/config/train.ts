import { z } from "zod";
import { QUANTILES } from "../core/quantiles.ts";

const learner = z
  .object({
    iterations: z
      .number()
      .int()
      .min(1)
      .max(10000)
      .default(500)
      .describe("Boosting iterations (trees) at most (early stopping usually ends sooner)."),
    learningRate: z.number().gt(0).max(1).default(0.08).describe("Shrinkage of every tree."),
    maxLeaves: z
      .number()
      .int()
      .min(2)
      .max(4096)
      .default(15)
      .describe("Leaves per tree (15: as accurate as 63 on M5 and the simulator for ~25% less CPU)."),
    minDataInLeaf: z.number().int().min(1).default(40).describe("Fewest training rows in a leaf."),
    lambdaL2: z.number().min(0).default(1).describe("L2 penalty on leaf values."),
    featureFraction: z.number().gt(0).max(1).default(0.8).describe("Share of features each tree may use."),
    bagFraction: z.number().gt(0).max(1).default(0.7).describe("Share of rows in each bag."),
    earlyStoppingRounds: z
      .number()
      .int()
      .min(0)
      .default(30)
      .describe("Stop when the holdout pinball has not improved for this many trees (0 = never)."),
  })
  .strict();

/** Settings of the learner that `megaretail train` fits (and `--tune` searches). */
export type LearnerSettings = z.infer<typeof learner>;

const range = (lo: number, hi: number, log: boolean, describe: string) =>
  z
    .object({
      min: z.number().default(lo).describe("Lowest value tried."),
      max: z.number().default(hi).describe("Highest value tried."),
      log: z.boolean().default(log).describe("Draw on a log scale (for scale-like settings)."),
    })
    .strict()
    .prefault({})
    .describe(describe);

/**
 * The `train` section of the config file: what `megaretail train` does, from the data it reads to the model
 * it registers. Every field has a default; `megaretail train --config FILE` reads it from the same JSON file as
 * every other setting.
 */
export const trainSchema = z
  .object({
    seed: z.number().int().min(0).default(1).describe("Seed of every random choice of the run."),
    runsDir: z
      .string()
      .min(1)
      .default("./megaretail-runs")
      .describe("Directory of run artifacts: <runsDir>/<runId>/ holds the model, reports and metrics."),
    dataEnd: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/, "expected YYYY-MM-DD")
      .optional()
      .describe("Last day of data used (default: the warehouse's data end)."),
    originStep: z
      .number()
      .int()
      .min(1)
      .max(91)
      .default(7)
      .describe("Days between training origins of the GBDT rows (7 keeps weekday and horizon aligned)."),
    rowSample: z
      .number()
      .gt(0)
      .max(1)
      .default(1)
      .describe("Share of (origin, horizon) training rows kept, at random (1 = all)."),
    validDays: z
      .number()
      .int()
      .min(0)
      .max(365)
      .default(28)
      .describe("Targets in the last validDays of a training window form the early-stopping holdout."),
    tweedie: z
      .boolean()
      .default(true)
      .describe(
        "Also fit the Tweedie model: it gives the forecasts' mean (else the mean is estimated from quantiles).",
      ),
    censored: z
      .boolean()
      .default(false)
      .describe(
        "Keep stockout days as lower bounds of demand (a second training pass; better calibrated top quantiles for twice the training time, docs/forecasting.md).",
      ),
    learner: learner
      .prefault({})
      .describe("Learner settings of the six quantile models (and the Tweedie model)."),
    tails: z
      .object({
        enabled: z
          .boolean()
          .default(true)
          .describe("Give the upper-tail quantile models their own settings (scaled targets only)."),
        levels: z
          .array(
            z.number().refine((v) => (QUANTILES as readonly number[]).includes(v), {
              message: `expected one of the forecast levels ${QUANTILES.join(", ")}`,
            }),
          )
          .default([0.95, 0.99])
          .describe(`Quantile levels that get these settings (of ${QUANTILES.join(", ")}).`),
        maxLeaves: z.number().int().min(2).max(4096).default(15).describe("Leaves per tree."),
        minDataInLeaf: z.number().int().min(1).default(200).describe("Fewest training rows in a leaf."),
        weight: z
          .enum(["none", "sqrt", "scale"])
          .default("sqrt")
          .describe("Row weights: the series scale, its square root, or none."),
      })
      .strict()
      .prefault({})
      .describe(
        "Upper-tail settings (docs/forecasting.md, session 5): a 0.95/0.99 quantile is set by the few rows above it, so its trees need larger leaves, and weighting rows by the series scale lets the large series (which dominate the metric) shape them.",
      ),
    evaluation: z
      .object({
        folds: z
          .number()
          .int()
          .min(1)
          .max(100)
          .optional()
          .describe("Outer folds scored before the final fit (default: validation.folds)."),
        baselines: z
          .array(z.string())
          .default(["seasonal_naive", "moving_quantiles"])
          .describe(
            "Forecasters scored on the same folds for comparison (names as in `megaretail backtest`).",
          ),
        bootstrap: z.number().int().min(0).default(500).describe("Bootstrap draws of the 95% CIs."),
      })
      .strict()
      .prefault({})
      .describe("How the model is scored before the final fit: outer folds, baselines, CIs."),
    tune: z
      .object({
        enabled: z
          .boolean()
          .default(false)
          .describe("Search learner settings on the inner folds (`--tune`)."),
        trials: z.number().int().min(1).max(1000).default(12).describe("Trial budget of the search."),
        method: z
          .enum(["random", "tpe"])
          .default("tpe")
          .describe(
            "random: independent draws; tpe: the first third random, then Tree-structured Parzen Estimator.",
          ),
        learningRate: range(0.02, 0.3, true, "Search range of learningRate."),
        maxLeaves: range(15, 255, true, "Search range of maxLeaves (rounded)."),
        minDataInLeaf: range(10, 400, true, "Search range of minDataInLeaf (rounded)."),
        featureFraction: range(0.4, 1, false, "Search range of featureFraction."),
        lambdaL2: range(0, 10, false, "Search range of lambdaL2."),
      })
      .strict()
      .prefault({})
      .describe(
        "Hyperparameter search on the inner folds of the last outer fold (`megaretail train --tune`).",
      ),
    analysis: z
      .object({
        enabled: z.boolean().default(true).describe("Write analysis.json and analysis.html for the run."),
        curves: z
          .boolean()
          .default(true)
          .describe("Learning curves by complexity and data size (they refit the model a few times)."),
        permutationRepeats: z
          .number()
          .int()
          .min(0)
          .default(3)
          .describe("Permutation importance repeats (0 = off)."),
        importanceRows: z
          .number()
          .int()
          .min(100)
          .default(20000)
          .describe("Holdout rows of the final fit that permutation importance scores."),
        shapRows: z
          .number()
          .int()
          .min(0)
          .default(300)
          .describe("Holdout rows explained with exact TreeSHAP (mean |SHAP| per feature; 0 = off)."),
      })
      .strict()
      .prefault({})
      .describe("Error analysis and importance written with every run."),
    register: z.boolean().default(true).describe("Register the fitted model as a candidate version."),
  })
  .strict();

/** The typed `train` section. */
export type TrainSettings = z.infer<typeof trainSchema>;
