import type { Day } from "../core/days.ts";
import { gather } from "../core/gather.ts";
import { Rng } from "../core/rng.ts";
import type { FeatureRows } from "../features/build.ts";
import type { Booster } from "../gbdt/booster.ts";
import { Dataset, type FeatureInput } from "../gbdt/dataset.ts";
import type { TrainParams } from "../gbdt/params.ts";
import { train } from "../gbdt/train.ts";
import {
  type FeatureModelOptions,
  forecastMatrix,
  splitMatrix,
  type TrainingData,
  trainingData,
  trainingMatrix,
} from "./feature-model-data.ts";
import {
  emptyForecast,
  type FitInput,
  type Fitted,
  type Forecaster,
  type QuantileForecast,
} from "./forecaster.ts";
import {
  DEFAULT_SCALE,
  relativeFeatures,
  rowScales,
  type ScaleSpec,
  scaleWeight,
  unscaleCount,
  unscaledPinball,
} from "./series-scale.ts";

/** Learner settings used unless overridden: quick enough for 5-fold backtests on a laptop-sized machine. */
export const DEFAULT_GBDT_PARAMS: TrainParams = {
  iterations: 300,
  learningRate: 0.08,
  maxLeaves: 63,
  minDataInLeaf: 40,
  lambdaL2: 1,
  featureFraction: 0.8,
  bagFraction: 0.7,
  earlyStoppingRounds: 30,
  // Counts: fit the quantile of y + U[0,1) and floor it, which is exactly the quantile of y (an integer), so
  // P(y < q) <= tau <= P(y <= q) holds instead of a continuous value falling between two counts.
  countJitter: true,
  // Demand must not rise with its own price.
  monotone: { price: -1, price_rel_mean_w28: -1, price_rel_mean_w91: -1 },
};

/**
 * Tree size of `gbdt_quantile` over DEFAULT_GBDT_PARAMS: 15 leaves, up to 500 trees. As accurate as 63 leaves and
 * 300 trees on both datasets (paired ratios within ±0.3%, CIs across 1) for about 25% less CPU
 * (docs/forecasting.md, session 5).
 */
export const QUANTILE_TREES: TrainParams = { maxLeaves: 15, iterations: 500 };

/** The tree size of `gbdt_quantile` before session 5 (DEFAULT_GBDT_PARAMS'), for the variants measured with it. */
export const WIDE_TREES: TrainParams = {
  maxLeaves: DEFAULT_GBDT_PARAMS.maxLeaves,
  iterations: DEFAULT_GBDT_PARAMS.iterations,
};

/**
 * Learner settings of the upper-tail boosters of a scaled model, over the fit's own. A 0.95/0.99 quantile is set
 * by the few rows above it: leaves of 40 rows and 63 leaves fit noise there, and unweighted rows let the many
 * small intermittent series (whose tails are relatively wide) shape the trees, while the metric (Σ pinball /
 * Σ actual) is dominated by the large series whose tails the model set too low (docs/forecasting.md, session 5).
 */
export interface TailSettings {
  /** The levels that get these settings (exact values, e.g. 0.95 and 0.99). */
  levels: readonly number[];
  /** Learner settings of these levels over DEFAULT_GBDT_PARAMS and the fit's params. */
  params: TrainParams;
  /** Row weights of these levels on scaled targets (the other levels keep the data's own weights). */
  weight: ScaleSpec["weight"];
}

/**
 * The tail settings of `gbdt_quantile`: 15 leaves of at least 200 rows, rows weighted by √scale, for 0.95 and 0.99
 * (measured on m5-dev, docs/forecasting.md "Session 5"); 0.015 is mostly zero demand and gained nothing.
 */
export const DEFAULT_TAILS: TailSettings = {
  levels: [0.95, 0.99],
  params: { maxLeaves: 15, minDataInLeaf: 200 },
  weight: "sqrt",
};

/**
 * The fit set of `data` with rows weighted by the scale under `weight`, binned like `data.train`; `data.train`
 * itself when those are its weights already (or the data is not scaled).
 */
function weightedFitSet(data: TrainingData, weight: ScaleSpec["weight"], threads?: number): Dataset {
  const sc = data.scaling;
  if (!sc || weight === sc.spec.weight) return data.train;
  const m = data.trainMatrix;
  const rows = data.fitRows;
  const spec = { ...sc.spec, weight };
  return Dataset.fromColumns(
    m.columns.map((c) => gather(c, rows)),
    {
      label: gather(sc.label, rows),
      weight: weight === "none" ? undefined : Float32Array.from(rows, (r) => scaleWeight(sc.scale[r]!, spec)),
      featureNames: m.names,
      reference: data.train,
      threads,
    },
  );
}

/**
 * Censored-aware second pass (a one-step approximation of censored quantile regression): a stockout day says
 * demand >= sales s. Where the first model's quantile q is below s, demand is certainly above q, so the row is
 * added with target s (it pushes q up to at least s); where q >= s the row says nothing about q and stays out.
 */
async function refitWithLowerBounds(
  first: Booster,
  data: TrainingData,
  params: TrainParams,
  weighting: ScaleSpec["weight"] | undefined,
): Promise<Booster> {
  const c = data.censored!;
  const sc = data.scaling;
  const q = first.predict(c.columns);
  const extra: number[] = [];
  for (let r = 0; r < q.length; r++) {
    const qr = sc ? unscaleCount(q[r]!, sc.scale[c.rows[r]!]!) : q[r]!;
    if (qr < c.lower[r]!) extra.push(r);
  }
  if (extra.length === 0) return first;
  const m = data.trainMatrix;
  const rows = [...data.fitRows, ...extra.map((r) => c.rows[r]!)];
  const columns = m.columns.map((col) => gather(col, rows));
  const nFit = data.fitRows.length;
  // Scaled models see jittered scaled targets; a lower bound s of a count becomes (s + U) / scale likewise.
  const rng = Rng.derive(params.seed ?? 0, 0xb0d);
  const label = Float32Array.from(rows, (r, k) => {
    if (k < nFit) return sc ? sc.label[r]! : m.target[r]!;
    const lower = c.lower[extra[k - nFit]!]!;
    return sc ? (lower + rng.next()) / sc.scale[r]! : lower;
  });
  const spec = sc && weighting ? { ...sc.spec, weight: weighting } : sc?.spec;
  const weight =
    sc && spec && spec.weight !== "none"
      ? Float32Array.from(rows, (r) => scaleWeight(sc.scale[r]!, spec))
      : undefined;
  const ds = Dataset.fromColumns(columns, {
    label,
    weight,
    featureNames: m.names,
    reference: data.train,
    threads: params.threads,
  });
  return train(ds, params);
}

/** Learner options of the GBDT models (backtest forecasters and the production model share them). */
export interface GbdtFitOptions {
  params?: TrainParams;
  threads?: number;
  /** Other settings for the tail levels of scaled models (none when absent or null). */
  tails?: TailSettings | null;
}

/**
 * Fits one pinball-loss booster per level on prepared training data (the censored second pass where the data
 * carries stockout rows). The one fitting path of `gbdtQuantile` and the production model.
 */
export async function fitQuantileBoosters(
  data: TrainingData,
  levels: readonly number[],
  seed: number,
  options: GbdtFitOptions,
): Promise<Booster[]> {
  const boosters: Booster[] = [];
  // Tail settings apply to scaled models only: on units the large series already weigh the most.
  const tails = data.scaling ? options.tails : null;
  let tailSet: Dataset | null = null;
  for (const [k, tau] of levels.entries()) {
    const tail = tails?.levels.includes(tau) ? tails : null;
    const params: TrainParams = {
      ...DEFAULT_GBDT_PARAMS,
      ...options.params,
      ...tail?.params,
      loss: "quantile",
      alpha: tau,
      valid: data.valid ?? undefined,
      earlyStoppingRounds: data.valid
        ? (tail?.params.earlyStoppingRounds ?? options.params?.earlyStoppingRounds ?? 30)
        : 0,
      seed: seed + k,
      threads: options.threads,
    };
    if (data.scaling) {
      // Targets are jittered before scaling (series-scale.ts), so the learner must not jitter or floor.
      params.countJitter = false;
      params.metric = unscaledPinball(tau, data.scaling.validActual, data.scaling.validScale);
    }
    // The early-stopping holdout stays unweighted: its metric is the unscaled pinball loss, whatever the weights.
    if (tail && tailSet === null) tailSet = weightedFitSet(data, tail.weight, options.threads);
    const first = await train(tail ? tailSet! : data.train, params);
    boosters.push(data.censored ? await refitWithLowerBounds(first, data, params, tail?.weight) : first);
  }
  return boosters;
}

/**
 * Writes the boosters' predictions on forecast rows into a forecast block (level k of row r at
 * [series][horizon step][k], floored at 0); `x` holds the rows' features (the matrix's columns, or a row-major
 * copy made once for every booster); `threads` > 1 predicts over the worker pool; `scale` (per row, for models
 * fitted on scaled targets) multiplies predictions back into units, floored to counts.
 */
export async function predictQuantilesInto(
  f: QuantileForecast,
  boosters: readonly Booster[],
  rows: FeatureRows,
  x: FeatureInput,
  threads = 1,
  scale: Float32Array | null = null,
): Promise<void> {
  for (const [k, b] of boosters.entries()) {
    writeLevel(f, k, rows, threads > 1 ? await b.predictParallel(x, { threads }) : b.predict(x), scale);
  }
}

/**
 * Writes one level's raw predictions on forecast rows into a forecast block: level k of row r at
 * [series][horizon step][k], floored at 0, or multiplied back by the row's `scale` and floored to a count.
 */
export function writeLevel(
  f: QuantileForecast,
  k: number,
  rows: FeatureRows,
  pred: ArrayLike<number>,
  scale: Float32Array | null,
): void {
  const L = f.levels.length;
  const horizon = f.horizon;
  for (let r = 0; r < pred.length; r++) {
    const at = (rows.series[r]! * horizon + rows.horizon[r]! - 1) * L + k;
    f.q[at] = scale ? unscaleCount(pred[r]!, scale[r]!) : Math.max(0, pred[r]!);
  }
}

/**
 * The two members of the opt-in `gbdt_quantile_pair`: one booster set on per-series scaled targets and one on
 * units, each fitted on its own random half of the training rows, their quantiles averaged. On m5-dev the two
 * are about as good alone but err differently (the unscaled one fits the large series that dominate the
 * metric), and half the rows cost little accuracy, so the pair costs about one fit (docs/forecasting.md "Two
 * members"); on the simulator it is worse than the scaled model alone, so it is not the default.
 */
export const PAIR_MEMBERS: readonly (ScaleSpec | null)[] = [DEFAULT_SCALE, null];

/** A fitted member: its boosters and target scale (null: units). */
export interface FittedMember {
  boosters: Booster[];
  scale: ScaleSpec | null;
}

/** What `gbdtQuantile`'s fit returns: predict, the members, and the first member's boosters. */
export type GbdtQuantileFitted = Fitted & { boosters: Booster[]; members: FittedMember[] };

/**
 * Quantile forecasts of fitted members at an origin, the mean of the members' quantiles level by level (one
 * member: its own forecast). Each member's quantiles are counts in units before averaging, so the mean of two
 * can fall between two counts.
 */
export async function predictMembers(
  input: FitInput,
  members: readonly FittedMember[],
  origin: Day,
  horizon: number,
  options: Pick<FeatureModelOptions, "itemTrends" | "groupTrends"> = {},
): Promise<QuantileForecast> {
  const { rows, matrix } = forecastMatrix(input, origin, horizon, options);
  const nSeries = input.panel.keys.length;
  const out = emptyForecast(origin, horizon, input.levels, nSeries, false);
  const f = members.length > 1 ? emptyForecast(origin, horizon, input.levels, nSeries, false) : out;
  for (const m of members) {
    const scale = m.scale ? rowScales(matrix, m.scale) : null;
    const x = m.scale && scale ? relativeFeatures(matrix, scale, m.scale).columns : matrix.columns;
    await predictQuantilesInto(f, m.boosters, rows, x, 1, scale);
    if (f !== out) for (let i = 0; i < f.q.length; i++) out.q[i]! += f.q[i]! / members.length;
  }
  return out;
}

/**
 * The main model: one global gradient-boosted tree model per quantile level, trained with pinball loss on
 * features as of each origin (direct multi-horizon: the horizon is a feature) plus the item-level demand trends
 * of features/item-demand.ts (`itemTrends: false` leaves them out), early stopping on the most recent part of
 * the training window; targets and level features divided by a per-series scale (`scale: null`: units); trees
 * of QUANTILE_TREES' size unless `params` say otherwise; the 0.95/0.99 boosters with their own settings
 * (DEFAULT_TAILS; `tails: null`: the fit's settings at every level).
 * `members` makes it an ensemble (each member on its own random share of the training rows, quantiles
 * averaged, e.g. PAIR_MEMBERS).
 */
export function gbdtQuantile(
  options: Omit<FeatureModelOptions, "scale"> &
    GbdtFitOptions & {
      name?: string;
      scale?: ScaleSpec | null;
      members?: readonly (ScaleSpec | null)[];
    } = {},
): Forecaster {
  const specs = options.members ?? [options.scale === undefined ? DEFAULT_SCALE : options.scale];
  const itemTrends = options.itemTrends ?? true;
  const fitOptions: GbdtFitOptions = {
    ...options,
    params: { ...QUANTILE_TREES, ...options.params },
    tails: options.tails === undefined ? DEFAULT_TAILS : options.tails,
  };
  return {
    name: options.name ?? "gbdt_quantile",
    async fit(input: FitInput): Promise<GbdtQuantileFitted> {
      // One feature matrix for every member: its rows are split between them, so an ensemble costs one fit.
      const matrix = await trainingMatrix(input, { ...options, scale: undefined, itemTrends });
      const parts = splitMatrix(matrix, specs.length, input.seed);
      const members: FittedMember[] = [];
      for (const [j, spec] of specs.entries()) {
        const data = await trainingData(input, { ...options, scale: spec ?? undefined }, parts[j]);
        // Seeds differ between members so their bagging and feature draws do too.
        const seed = input.seed + j * input.levels.length;
        members.push({
          boosters: await fitQuantileBoosters(data, input.levels, seed, fitOptions),
          scale: spec,
        });
      }
      return {
        boosters: members[0]!.boosters,
        members,
        predict: (origin: Day, horizon: number) =>
          predictMembers(input, members, origin, horizon, {
            itemTrends,
            groupTrends: options.groupTrends,
          }),
      };
    },
  };
}
