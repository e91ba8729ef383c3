import { z } from "zod";
import { tryParseDay } from "../core/days.ts";
import { UsageError } from "../core/errors.ts";

const share = z.number().min(0).max(1);
const positive = z.number().positive();

/**
 * Every parameter of the chain simulator with its default and meaning (docs/simulator.md explains the
 * equations they enter). Category-level effects (weekly profiles, seasonality, weather sensitivity, shelf
 * life, price range, elasticity) live in the category catalogue of `categories.ts`.
 */
export const simParamsSchema = z
  .object({
    seed: z.number().int().min(0).max(4294967295).default(1).describe("Seed of every random choice."),
    dcs: z.number().int().min(1).max(99).default(3).describe("Distribution centres (one region each)."),
    stores: z.number().int().min(1).max(9999).default(30).describe("Stores."),
    products: z.number().int().min(1).max(999999).default(200).describe("Products in the catalogue."),
    days: z.number().int().min(1).max(20000).default(1100).describe("Simulated days written out."),
    start: z
      .string()
      .refine((s) => !Number.isNaN(tryParseDay(s)), "expected a date YYYY-MM-DD")
      .default("2022-01-01")
      .describe("First simulated day (YYYY-MM-DD)."),
    burnInDays: z
      .number()
      .int()
      .min(0)
      .max(365)
      .default(28)
      .describe("Days simulated before `start` and not written, so stock and order history start warm."),
    format: z.enum(["parquet", "csv"]).default("parquet").describe("Output file format."),
    checks: z
      .boolean()
      .default(true)
      .describe("Write transactions as checks (true) or daily `sales` aggregates (false)."),
    faults: z.boolean().default(false).describe("Inject data-quality faults (logged in truth/faults)."),
    chain: z
      .object({
        formatShares: z
          .object({ hyper: share.default(0.15), super: share.default(0.55), express: share.default(0.3) })
          .prefault({})
          .describe("Share of stores of each format."),
        assortmentShare: z
          .object({ hyper: share.default(0.9), super: share.default(0.7), express: share.default(0.45) })
          .prefault({})
          .describe("Share of the listed catalogue a store of each format carries."),
        monthlyChurn: share
          .default(0.15)
          .describe("Share of a store's assortment replaced at each month start."),
        newProductShare: share
          .default(0.25)
          .describe("Share of products introduced during the simulated period (the rest exist before)."),
        openingStoreShare: share.default(0.1).describe("Share of stores that open during the period."),
        threeDayCycleShare: share
          .default(0.25)
          .describe("Share of stores supplied every 3 days (the others every 2 days)."),
      })
      .prefault({}),
    demand: z
      .object({
        productLevelMedian: positive
          .default(1.2)
          .describe("Median base demand (units/day) of a product in a reference store."),
        productLevelSigma: positive.default(0.9).describe("Log-sd of product base demand across products."),
        storeLevelSigma: positive.default(0.25).describe("Log-sd of store traffic beyond its size."),
        trendSigma: z.number().min(0).default(0.1).describe("Log-sd of a product's yearly growth rate."),
        introRampDays: z
          .number()
          .min(0)
          .default(21)
          .describe("Days for a new product to reach its level (exponential ramp)."),
        sizeJitter: z
          .number()
          .min(0)
          .default(0.3)
          .describe("Log-sd of a product's NB size around its category's."),
      })
      .prefault({}),
    promos: z
      .object({
        perProductYear: z.number().min(0).default(5).describe("Promotions per product per year."),
        minDays: z.number().int().min(1).default(7).describe("Shortest promotion (days)."),
        maxDays: z.number().int().min(1).default(14).describe("Longest promotion (days)."),
        minDiscount: share.default(0.1).describe("Smallest discount depth."),
        maxDiscount: share.default(0.4).describe("Largest discount depth."),
        typeLift: z
          .object({
            discount: positive.default(1.1),
            display: positive.default(1.35),
            leaflet: positive.default(1.25),
          })
          .prefault({})
          .describe("Extra lift of each mechanic on top of the price effect of its discount."),
        scopeShares: z
          .object({ chain: share.default(0.3), dc: share.default(0.5), store: share.default(0.2) })
          .prefault({})
          .describe("Share of promotions that are chain-wide, DC-wide or single-store."),
        postPromoDip: share.default(0.25).describe("Demand dip on the first day after a promotion."),
        postPromoDays: z.number().int().min(0).default(7).describe("Days over which the dip fades out."),
      })
      .prefault({}),
    prices: z
      .object({
        changeEveryDays: positive.default(120).describe("Mean days between regular price changes."),
        changeSigma: z.number().min(0).default(0.05).describe("Log-sd of a regular price change."),
        inflationPerChange: z.number().default(0.01).describe("Mean log change of a regular price change."),
        zoneSpread: z.number().min(0).default(0.04).describe("Store price zones: +- this share."),
      })
      .prefault({}),
    competitors: z
      .object({
        count: z.number().int().min(1).max(9).default(2).describe("Competitors observed."),
        coverage: share.default(0.25).describe("Share of products with competitor price observations."),
        observedShare: share
          .default(0.35)
          .describe("Chance a covered (competitor, product) is observed on a day (the rest are gaps)."),
        priceSigma: z.number().min(0).default(0.08).describe("Log-sd of a competitor's price level."),
        crossElasticity: z
          .number()
          .min(0)
          .default(0.4)
          .describe("Demand multiplier is (cheapest competitor price / our price) ^ this."),
      })
      .prefault({}),
    weather: z
      .object({
        forecastDays: z
          .number()
          .int()
          .min(0)
          .max(30)
          .default(14)
          .describe("Forecast horizon issued each day."),
        anomalySigma: positive.default(2.5).describe("Daily innovation sd of the temperature anomaly (°C)."),
        anomalyPersistence: share.default(0.75).describe("AR(1) coefficient of the temperature anomaly."),
        rainChance: share.default(0.3).describe("Chance of a wet day."),
        rainMeanMm: positive.default(6).describe("Mean precipitation of a wet day (mm)."),
      })
      .prefault({}),
    replenishment: z
      .object({
        safetyMargin: z.number().min(0).default(0.3).describe("Legacy policy: margin on last week's sales."),
        minStock: z.number().min(0).default(2).describe("Legacy policy: minimum shelf presentation (units)."),
        listingUnits: z.number().min(0).default(4).describe("First delivery of a newly listed product."),
      })
      .prefault({}),
    basket: z
      .object({
        unitsPerCheck: positive.default(3.5).describe("Mean units per check."),
        openHour: z.number().min(0).max(23).default(8).describe("Store opening hour (UTC)."),
        closeHour: z.number().min(1).max(24).default(22).describe("Store closing hour (UTC)."),
        visitorsPerCheck: positive.default(1.4).describe("Visitors counted per check (store_traffic)."),
      })
      .prefault({}),
    faultRates: z
      .object({
        duplicateRow: share.default(0.001).describe("Chance a fact row is written twice."),
        missingStoreDay: share.default(0.003).describe("Chance a store-day of sales/transactions is lost."),
        latePartition: share.default(0.03).describe("Chance a daily feed partition arrives late."),
        maxLateHours: positive.default(48).describe("Longest delay of a late partition (hours)."),
        badValue: share.default(0.0005).describe("Chance a fact row carries a bad value."),
      })
      .prefault({}),
  })
  .strict();

/** Validated simulator parameters. */
export type SimParams = z.infer<typeof simParamsSchema>;
/** What a caller may set (everything optional). */
export type SimParamsInput = z.input<typeof simParamsSchema>;

/** Parses and validates parameters, filling defaults; a bad value is a UsageError naming the parameter. */
export function simParams(input: SimParamsInput = {}): SimParams {
  const r = simParamsSchema.safeParse(input);
  if (r.success) return r.data;
  const issues = r.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`);
  throw new UsageError(`bad simulator parameter: ${issues.join("; ")} (see docs/simulator.md)`);
}
