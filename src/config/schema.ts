import { availableParallelism } from "node:os";
import { z } from "zod";

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
  })
  .strict();

/** The typed, validated configuration that stages receive. */
export type Config = z.infer<typeof configSchema>;
/** What a config file, the environment or flags may set (every field optional). */
export type ConfigInput = z.input<typeof configSchema>;
