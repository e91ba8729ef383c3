import { UsageError } from "../core/errors.ts";
import { DEFAULT_ZERO_RUN_RULE } from "../features/zero-runs.ts";
import { movingQuantiles } from "./baselines/moving-quantiles.ts";
import { mstlEts } from "./baselines/mstl-ets.ts";
import { sarima } from "./baselines/sarima.ts";
import { seasonalNaive } from "./baselines/seasonal-naive.ts";
import { tsb } from "./baselines/tsb.ts";
import type { Forecaster } from "./forecaster.ts";
import { gbdtHorizonBuckets } from "./gbdt-horizon-buckets.ts";
import { levelSplit } from "./gbdt-level-split.ts";
import { gbdtQuantile, PAIR_MEMBERS, WIDE_TREES } from "./gbdt-quantile.ts";
import { gbdtTweedie } from "./gbdt-tweedie.ts";
import { linearQuantile } from "./linear-quantile.ts";
import { DEFAULT_SCALE } from "./series-scale.ts";

/** Options every model factory may use. */
export interface ModelOptions {
  threads: number;
  /** Days between training origins of the feature-based models. */
  originStep: number;
  /** Share of (origin, horizon) training rows the feature-based models keep (1 = all). */
  rowSample?: number;
}

/** The options every GBDT forecaster takes from the backtest. */
function fitOptions(o: ModelOptions): { threads?: number; originStep?: number; rowSample?: number } {
  return { threads: o.threads, originStep: o.originStep, rowSample: o.rowSample };
}

/**
 * Every forecaster by name, with a one-line description (for --help and reports); `optIn` ones run only when
 * named (comparison variants, not part of the default backtest).
 */
export const MODELS: Record<
  string,
  { describe: string; make: (o: ModelOptions) => Forecaster; optIn?: boolean }
> = {
  seasonal_naive: {
    describe: "same weekday last week (t-7k), residual quantiles",
    make: () => seasonalNaive(),
  },
  moving_quantiles: {
    describe: "per-series empirical quantiles over 364 days",
    make: () => movingQuantiles(),
  },
  croston_tsb: {
    describe: "Croston/TSB for intermittent demand, negative binomial quantiles",
    make: () => tsb(),
  },
  linear_quantile: {
    describe: "linear quantile regression on lag/rolling features",
    make: (o) => linearQuantile({ originStep: o.originStep, rowSample: o.rowSample }),
  },
  sarima: { describe: "SARIMA(1,0,1)(0,1,1)7 per series (arima/ctsa)", make: () => sarima() },
  mstl_ets: { describe: "MSTL + AutoETS per series (augurs)", make: () => mstlEts() },
  gbdt_quantile: {
    describe:
      "global GBDT, one pinball model per quantile on per-series scaled targets, with item-level trends, 15-leaf trees and upper-tail settings (the main model)",
    make: (o) => gbdtQuantile(fitOptions(o)),
  },
  gbdt_quantile_split: {
    describe:
      "gbdt_quantile below 0.75; levels >= 0.75 from a 1095-day fit without likely-stockout zero runs (better on the acceptance folds, worse on the five before them: not the default)",
    optIn: true,
    // Leaving M5's zero runs (unrecorded stockouts) out of the targets lifts the upper quantiles and would lift
    // the lower ones too: each half is fitted on its own levels.
    make: (o) =>
      levelSplit(
        "gbdt_quantile_split",
        gbdtQuantile(fitOptions(o)),
        gbdtQuantile({ ...fitOptions(o), trainDays: 1095, zeroRuns: DEFAULT_ZERO_RUN_RULE }),
        0.75,
      ),
  },
  gbdt_quantile_pair: {
    describe:
      "gbdt_quantile_no_items plus a unit-target member, each on a random half of the training rows, quantiles averaged",
    optIn: true,
    make: (o) =>
      gbdtQuantile({
        ...fitOptions(o),
        members: PAIR_MEMBERS,
        itemTrends: false,
        params: WIDE_TREES,
        tails: null,
        name: "gbdt_quantile_pair",
      }),
  },
  gbdt_quantile_pair_weighted: {
    describe:
      "gbdt_quantile_no_items plus a scaled member weighted by scale (raw pinball objective), each on half the rows, averaged",
    optIn: true,
    make: (o) =>
      gbdtQuantile({
        ...fitOptions(o),
        members: [DEFAULT_SCALE, { ...DEFAULT_SCALE, weight: "scale" }],
        itemTrends: false,
        params: WIDE_TREES,
        tails: null,
        name: "gbdt_quantile_pair_weighted",
      }),
  },
  gbdt_quantile_no_tails: {
    describe:
      "gbdt_quantile with 63 leaves, 300 trees and one setting at every level (the main model before session 5)",
    optIn: true,
    make: (o) =>
      gbdtQuantile({ ...fitOptions(o), params: WIDE_TREES, tails: null, name: "gbdt_quantile_no_tails" }),
  },
  gbdt_quantile_lr05: {
    describe: "gbdt_quantile with learning rate 0.05, up to 800 trees, patience 50",
    optIn: true,
    make: (o) =>
      gbdtQuantile({
        ...fitOptions(o),
        params: { learningRate: 0.05, iterations: 800, earlyStoppingRounds: 50 },
        name: "gbdt_quantile_lr05",
      }),
  },
  gbdt_quantile_no_items: {
    describe: "gbdt_quantile without the item-level demand trends (the main model before 2026-11-26 13:00)",
    optIn: true,
    make: (o) =>
      gbdtQuantile({
        ...fitOptions(o),
        itemTrends: false,
        params: WIDE_TREES,
        tails: null,
        name: "gbdt_quantile_no_items",
      }),
  },
  gbdt_quantile_unscaled: {
    describe:
      "gbdt_quantile's unit-target member alone on all rows, without item trends (no per-series scale)",
    optIn: true,
    make: (o) =>
      gbdtQuantile({
        ...fitOptions(o),
        scale: null,
        itemTrends: false,
        name: "gbdt_quantile_unscaled",
      }),
  },
  gbdt_quantile_groups: {
    describe:
      "gbdt_quantile plus store and store-department demand trends and the item's share of its department",
    optIn: true,
    make: (o) => gbdtQuantile({ ...fitOptions(o), groupTrends: true, name: "gbdt_quantile_groups" }),
  },
  gbdt_quantile_long: {
    describe: "gbdt_quantile on a 1095-day training window instead of the fold's (730 days)",
    optIn: true,
    make: (o) => gbdtQuantile({ ...fitOptions(o), trainDays: 1095, name: "gbdt_quantile_long" }),
  },
  gbdt_quantile_zero_runs: {
    describe:
      "gbdt_quantile with likely-stockout zero runs (7+ improbable zero days) left out of the training targets",
    optIn: true,
    make: (o) =>
      gbdtQuantile({ ...fitOptions(o), zeroRuns: DEFAULT_ZERO_RUN_RULE, name: "gbdt_quantile_zero_runs" }),
  },
  gbdt_quantile_zero_runs_long: {
    describe: "gbdt_quantile_zero_runs on a 1095-day training window",
    optIn: true,
    make: (o) =>
      gbdtQuantile({
        ...fitOptions(o),
        zeroRuns: DEFAULT_ZERO_RUN_RULE,
        trainDays: 1095,
        name: "gbdt_quantile_zero_runs_long",
      }),
  },
  gbdt_quantile_split_long: {
    describe: "gbdt_quantile with the 1095-day window below 0.75 too (gbdt_quantile_long there)",
    optIn: true,
    make: (o) =>
      levelSplit(
        "gbdt_quantile_split_long",
        gbdtQuantile({ ...fitOptions(o), trainDays: 1095 }),
        gbdtQuantile({ ...fitOptions(o), trainDays: 1095, zeroRuns: DEFAULT_ZERO_RUN_RULE }),
        0.75,
      ),
  },
  gbdt_quantile_censored: {
    describe: "gbdt_quantile plus stockout days as lower bounds (censored second pass)",
    optIn: true,
    make: (o) =>
      gbdtQuantile({
        ...fitOptions(o),
        censored: true,
        name: "gbdt_quantile_censored",
      }),
  },
  gbdt_quantile_hbuckets: {
    describe:
      "gbdt_quantile (unscaled) with one model set per horizon bucket (1-7, 8-14, 15-28) instead of horizon as a feature",
    optIn: true,
    make: (o) => gbdtHorizonBuckets(fitOptions(o)),
  },
  gbdt_tweedie: {
    describe: "global GBDT with Tweedie loss, negative binomial quantiles",
    make: (o) => gbdtTweedie(fitOptions(o)),
  },
};

/** Builds the named forecasters; an unknown name is a UsageError listing the known ones. */
export function makeForecasters(names: string[], options: ModelOptions): Forecaster[] {
  return names.map((name) => {
    const entry = MODELS[name];
    if (!entry) {
      // The oracle needs the simulator's truth, so the backtest adds it by itself on simulated data.
      const oracle =
        name === "oracle" ? " (the oracle is added by itself on simulated data; leave it out)" : "";
      throw new UsageError(
        `unknown model "${name}"${oracle}; known models: ${Object.keys(MODELS).join(", ")}`,
      );
    }
    return entry.make(options);
  });
}
