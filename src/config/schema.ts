import { availableParallelism } from "node:os";
import { z } from "zod";
import { featureTestsSchema } from "./feature-tests.ts";
import { trainSchema } from "./train.ts";

/**
 * Every setting of the system, with its default and meaning. Stages add their own section here, so
 * one schema gives the types, the defaults, the checks and the docs (`megaretail config --help`).
 */
export const configSchema = z
  .object({
    db: z.string().min(1).default("./megaretail.duckdb").describe("Path of the DuckDB warehouse file."),
    logLevel: z
      .enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"])
      .default("info")
      .describe("Log level of the pino logger (logs go to stderr)."),
    threads: z
      .number()
      .int()
      .min(1)
      .max(256)
      .default(availableParallelism())
      .describe("Worker threads for parallel work (default: available cores)."),
    etl: z
      .object({
        rewriteDays: z
          .number()
          .int()
          .min(0)
          .max(365)
          .default(3)
          .describe(
            "Days at the end of the daily fact table re-written on each ETL run, to absorb late data.",
          ),
      })
      .prefault({}),
    features: z
      .object({
        latencyDays: z
          .number()
          .int()
          .min(0)
          .max(60)
          .default(3)
          .describe(
            "Data latency: features for a forecast made at origin o use observed data up to o - latencyDays.",
          ),
        plannedDays: z
          .number()
          .int()
          .min(1)
          .max(366)
          .default(28)
          .describe("Planned data (prices, promos) is known this many days past the origin."),
        lags: z
          .array(z.number().int().min(1))
          .default([1, 2, 3, 4, 5, 6, 7, 14, 21, 28])
          .describe("Lags in days."),
        meanWindows: z
          .array(z.number().int().min(2))
          .default([7, 14, 28, 56, 91, 182, 364])
          .describe("Windows (days) of rolling mean, std and share of zero days."),
        orderWindows: z
          .array(z.number().int().min(2))
          .default([7, 28, 91, 364])
          .describe("Windows of rolling min, max and quantiles."),
        quantiles: z
          .array(z.number().min(0).max(1))
          .default([0.1, 0.25, 0.5, 0.75, 0.9])
          .describe("Rolling quantile levels (0.5 = median)."),
        sameWeekdayWeeks: z
          .array(z.number().int().min(1))
          .default([1, 4, 8])
          .describe("Mean of the target's weekday over the last k weeks."),
      })
      .prefault({}),
    validation: z
      .object({
        folds: z.number().int().min(1).max(100).default(5).describe("Outer rolling-origin folds (K)."),
        testDays: z
          .number()
          .int()
          .min(1)
          .max(366)
          .default(28)
          .describe("Days in each test window (the horizon)."),
        gapDays: z
          .number()
          .int()
          .min(0)
          .max(60)
          .default(3)
          .describe("Days between the end of training data and the first test day: the data latency."),
        stepDays: z
          .number()
          .int()
          .min(1)
          .max(366)
          .default(7)
          .describe("Days between successive fold origins."),
        trainDays: z
          .number()
          .int()
          .min(28)
          .max(36500)
          .default(730)
          .describe("Training window length in days (rolling; shorter at the start of the data)."),
        innerFolds: z
          .number()
          .int()
          .min(1)
          .max(20)
          .default(3)
          .describe("Inner rolling folds inside each outer training set (tuning, feature selection)."),
      })
      .prefault({}),
    featureTests: featureTestsSchema
      .prefault({})
      .describe("Feature tests before and after training (src/config/feature-tests.ts)."),
    train: trainSchema.prefault({}).describe("What `megaretail train` does (src/config/train.ts)."),
  })
  .strict();

/** The typed, validated configuration that stages receive. */
export type Config = z.infer<typeof configSchema>;
/** What a config file, the environment or flags may set (every field optional). */
export type ConfigInput = z.input<typeof configSchema>;
