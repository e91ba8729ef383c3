import { z } from "zod";

/** Codes of the feature tests (src/features/feature-tests.ts); `failOn` picks the ones that fail a run. */
export const FEATURE_TEST_CODES = [
  "no_rows",
  "non_finite",
  "out_of_range",
  "mostly_missing",
  "constant",
  "outliers",
  "correlated",
  "slow_group",
  "unused_feature",
] as const;

/**
 * Limits of the feature tests run before training (values, correlation, time) and after it (features no model
 * uses). Every check reports; only the codes in `failOn` fail the run. The default fails on values that can only
 * come from a bug (infinities, values outside a feature's valid range, no rows) and warns on the rest, which real
 * data produces legitimately (a constant flag on a chain without that event, heavy-tailed demand, lags of a smooth
 * series that correlate, a slow run on a busy machine) and which a person should read, not a pipeline stop on.
 */
export const featureTestsSchema = z
  .object({
    failOn: z
      .array(z.enum(FEATURE_TEST_CODES))
      .default(["no_rows", "non_finite", "out_of_range"])
      .describe(
        `Feature-test codes that fail the run (the others only warn): ${FEATURE_TEST_CODES.join(", ")}. ` +
          'Add "unused_feature", "correlated" or "slow_group" to make those fail too.',
      ),
    maxMissingShare: z
      .number()
      .min(0)
      .max(1)
      .default(0.95)
      .describe("A feature missing (NaN) on more than this share of rows is reported (mostly_missing)."),
    outlierZ: z
      .number()
      .positive()
      .default(10)
      .describe(
        "Robust z-score |x - median| / scale above which a value counts as an outlier (scale: 1.4826 MAD, at least (q99 - q01) / 4.65; non-negative features on log1p).",
      ),
    maxOutlierShare: z
      .number()
      .min(0)
      .max(1)
      .default(0.001)
      .describe(
        "A feature with more than this share of outliers (on the row sample) is reported (outliers).",
      ),
    maxCorrelation: z
      .number()
      .min(0)
      .max(1)
      .default(0.98)
      .describe("Pairs of numeric features with |Pearson correlation| above this are listed (correlated)."),
    sampleRows: z
      .number()
      .int()
      .min(100)
      .default(10_000)
      .describe("Rows (an even stride over the matrix) on which outliers and correlations are computed."),
    groupBudgetUs: z
      .number()
      .positive()
      .default(2)
      .describe(
        "Time budget of each feature group (feature-groups.ts) in microseconds per row (slow_group).",
      ),
    groupBudgetsUs: z
      .record(z.string(), z.number().positive())
      .default({})
      .describe("Per-group overrides of groupBudgetUs, e.g. { rolling_order: 3 }."),
    minTimedRows: z
      .number()
      .int()
      .min(0)
      .default(10_000)
      .describe("Below this many rows the time budget is not checked (too few rows to time reliably)."),
  })
  .strict();

/** The limits of the feature tests (the `featureTests` config section). */
export type FeatureTestLimits = z.infer<typeof featureTestsSchema>;
