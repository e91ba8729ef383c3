import type { Day } from "../core/days.ts";
import { InputError } from "../core/errors.ts";
import { buildFeatures } from "../features/build.ts";
import type { FeatureSettings } from "../features/names.ts";
import { forecastRows } from "../features/rows.ts";
import type { Booster } from "../gbdt/booster.ts";
import type { TrainParams } from "../gbdt/params.ts";
import { canPredictBinned } from "../gbdt/predict-binned-run.ts";
import { trainingData, withoutFeatures } from "./feature-model-data.ts";
import { emptyForecast, type FeatureData, type FitInput, type QuantileForecast } from "./forecaster.ts";
import {
  DEFAULT_TAILS,
  fitQuantileBoosters,
  predictQuantilesInto,
  QUANTILE_TREES,
  type TailSettings,
} from "./gbdt-quantile.ts";
import { fitTweedie, predictTweedieInto } from "./gbdt-tweedie.ts";
import { type ModelParts, readModelFile, writeModelFile } from "./production-model-file.ts";
import { meanFromQuantiles } from "./production-model-mean.ts";
import {
  conformPanel,
  dictionariesOf,
  excludedFeatures,
  type FeatureSchema,
  featureSchemaOf,
} from "./production-model-schema.ts";
import {
  constantInRuns,
  firstRowScales,
  onlySeries,
  rowMajor,
  takeColumns,
} from "./production-model-serving.ts";
import { DEFAULT_SCALE, relativeFeatures, relativeMask, rowScales, type ScaleSpec } from "./series-scale.ts";
import { type PendingInto, predictIntoBinned, startIntoBinned } from "./serving-binned.ts";

export {
  FEATURE_SET_VERSION,
  type FeatureSchema,
  featureSchemaOf,
  schemaDifference,
} from "./production-model-schema.ts";

/** How to fit the production model (learner parameters and training-row choices of the feature models). */
export interface ProductionModelOptions {
  params?: TrainParams;
  threads?: number;
  originStep?: number;
  rowSample?: number;
  validDays?: number;
  /** Also fit the Tweedie model: it gives the mean (otherwise the mean is estimated from the quantiles). */
  tweedie?: boolean;
  /** Add stockout days as lower bounds (the censored second pass of gbdt_quantile_censored). */
  censored?: boolean;
  /** Model name (default "production_gbdt"). */
  name?: string;
  /**
   * Per-series target scale of the quantile models (series-scale.ts; default DEFAULT_SCALE, as gbdt_quantile);
   * null fits them on units, as gbdt_quantile_unscaled. The Tweedie mean model is always fitted on units.
   */
  scale?: ScaleSpec | null;
  /**
   * Own learner settings of the upper-tail quantile boosters (scaled models only; default DEFAULT_TAILS, as
   * gbdt_quantile); null: the same settings at every level.
   */
  tails?: TailSettings | null;
}

/** Options of ProductionModel.predict. */
export interface PredictOptions {
  /** Only these series of the panel (indices); the others stay 0. Default: every series started by the cutoff. */
  series?: ArrayLike<number>;
  /** Worker threads for prediction (default 1). */
  threads?: number;
  /**
   * Adds the seconds spent building features ("features") and running the boosters ("boosters") here, and the
   * process CPU-seconds of the feature build ("featuresCpu").
   */
  timings?: Record<string, number>;
}

/** A forecast whose boosters may still be running (ProductionModel.startPredict). */
export interface PendingForecast {
  /** Completes the forecast (joins a background prediction). */
  finish(): Promise<QuantileForecast>;
}

/**
 * The forecaster `megaretail train` registers and `megaretail forecast` serves: one quantile GBDT per level
 * (optionally a Tweedie mean model with its NB dispersion per segment), the feature settings and schema, and the
 * categorical dictionaries it was trained with, so predictions depend on the file alone, not on how the serving
 * data happens to be partitioned or coded.
 */
export class ProductionModel {
  readonly name: string;
  readonly levels: readonly number[];
  readonly horizon: number;
  readonly schema: FeatureSchema;
  /** One per level, in level order. */
  readonly boosters: Booster[];
  readonly tweedie: Booster | null;
  /** The feature settings the model was trained with (serving uses these, not the current config). */
  readonly settings: FeatureSettings;
  readonly withWeather: boolean;
  private readonly parts: ModelParts;

  private constructor(parts: ModelParts) {
    this.parts = parts;
    this.name = parts.name;
    this.levels = parts.levels;
    this.horizon = parts.horizon;
    this.schema = parts.schema;
    this.boosters = parts.boosters;
    this.tweedie = parts.tweedie?.booster ?? null;
    this.settings = parts.settings;
    this.withWeather = parts.withWeather;
  }

  /** Fits on a training window (FitInput.features required) through the same path as the backtest GBDTs. */
  static async fit(input: FitInput, options: ProductionModelOptions = {}): Promise<ProductionModel> {
    const fd = input.features;
    if (!fd) throw new Error("ProductionModel.fit needs FitInput.features (daily panel, calendar, settings)");
    const withWeather = fd.weather != null;
    const dictionaries = dictionariesOf(fd.daily);
    const conformed: FitInput = {
      ...input,
      features: { ...fd, daily: conformPanel(fd.daily, dictionaries) },
    };
    const rowOptions = {
      originStep: options.originStep,
      rowSample: options.rowSample,
      validDays: options.validDays,
      censored: options.censored,
      exclude: excludedFeatures(withWeather, fd.settings),
      threads: options.threads,
    };
    const scale = options.scale === undefined ? DEFAULT_SCALE : options.scale;
    const data = await trainingData(conformed, { ...rowOptions, scale: scale ?? undefined });
    const schema = featureSchemaOf(fd.settings, withWeather);
    if (data.trainMatrix.names.join() !== schema.names.join())
      throw new Error("ProductionModel.fit: the feature matrix does not match featureSchemaOf (a bug)");
    const learner = { params: options.params, threads: options.threads };
    const tails = options.tails === undefined ? DEFAULT_TAILS : options.tails;
    // The quantile boosters default to gbdt_quantile's tree size; the Tweedie mean keeps the learner's defaults.
    const quantileLearner = { ...learner, params: { ...QUANTILE_TREES, ...options.params }, tails };
    const boosters = await fitQuantileBoosters(data, input.levels, input.seed, quantileLearner);
    // The mean model learns units from the raw features: with scaled quantile models it needs its own data.
    const tweedieData = options.tweedie && scale ? await trainingData(conformed, rowOptions) : data;
    const tweedie = options.tweedie ? await fitTweedie(conformed, tweedieData, learner) : null;
    return new ProductionModel({
      name: options.name ?? "production_gbdt",
      levels: [...input.levels],
      horizon: input.horizon,
      settings: structuredClone(fd.settings),
      withWeather,
      schema,
      dictionaries,
      boosters,
      tweedie,
      scale,
    });
  }

  /**
   * Forecasts days origin+1..origin+horizon for the series of `fd.daily` (features as of origin - latencyDays of
   * the model's settings), with a mean: the Tweedie mean when fitted, else an estimate from the quantiles.
   * Quantiles are as the boosters give them (callers sort crossed levels with fixCrossing).
   */
  async predict(
    fd: FeatureData,
    origin: Day,
    horizon: number,
    options: PredictOptions = {},
  ): Promise<QuantileForecast> {
    return (await this.startPredict(fd, origin, horizon, options)).finish();
  }

  /**
   * predict in two steps: this builds the features (on the calling thread) and starts the boosters; `finish`
   * completes the forecast. With `background`, the boosters run on the background predict thread
   * (src/gbdt/predict-background.ts) and the feature columns are free when this returns, so the caller can build
   * the next partition's features while they run, and `finish` joins them (the calling thread takes the blocks
   * still left); otherwise everything happens here, on `threads` threads. The forecast is the same either way.
   */
  async startPredict(
    fd: FeatureData,
    origin: Day,
    horizon: number,
    options: PredictOptions & { background?: boolean } = {},
  ): Promise<PendingForecast> {
    if (horizon > this.horizon) {
      throw new InputError(
        `the model was trained for horizons up to ${this.horizon} days; ask for at most that many`,
        { column: "horizon" },
      );
    }
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    const settings = this.settings;
    const daily = conformPanel(fd.daily, this.parts.dictionaries);
    const all = forecastRows(daily, origin, horizon, settings.latencyDays);
    const rows = options.series ? onlySeries(all, options.series, daily.storeId.length) : all;
    const timings = options.timings;
    // The feature columns live only during this call: built in buffers kept from the previous call.
    const background = options.background === true;
    const columns = takeColumns(background);
    // In the background, binned prediction in runs reads the features as of the origin (and the static ones) on
    // each series' first row only, so they are written there only (rows: one origin per series).
    const sparse =
      background &&
      (this.parts.scale
        ? canPredictBinned(this.boosters) && (this.tweedie === null || canPredictBinned([this.tweedie]))
        : canPredictBinned(this.tweedie ? [...this.boosters, this.tweedie] : this.boosters));
    let held = false;
    try {
      const built = buildFeatures(daily, fd.calendar, settings, rows, {
        weather: this.withWeather ? fd.weather : null,
        alloc: columns.alloc,
        runFirstOnly: sparse,
      });
      const matrix = withoutFeatures(built, excludedFeatures(this.withWeather, settings));
      const constant = sparse ? constantInRuns(settings, daily, matrix.names) : null;
      const t1 = performance.now();
      const c1 = process.cpuUsage(c0);
      if (timings) {
        timings.features = (timings.features ?? 0) + (t1 - t0) / 1000;
        timings.featuresCpu = (timings.featuresCpu ?? 0) + (c1.user + c1.system) / 1e6;
      }
      const f = emptyForecast(origin, horizon, this.levels, daily.storeId.length, true);
      const threads = options.threads ?? 1;
      const spec = this.parts.scale;
      const pending: PendingInto[] = [];
      if (spec) {
        // Scaled quantile models see level features relative to each row's scale and predict on that axis; the
        // Tweedie mean model (other bins) sees the raw features.
        const scale = sparse ? firstRowScales(matrix, spec) : rowScales(matrix, spec);
        // In the background, the relative features are divided where they are quantized (once per series for
        // those as of the origin) instead of into columns of their own.
        const q = options.background
          ? await startIntoBinned(
              f,
              this.boosters,
              null,
              rows,
              matrix.columns,
              scale,
              relativeMask(matrix.names, spec),
              constant,
            )
          : null;
        if (q) pending.push(q);
        else {
          const relative = relativeFeatures(matrix, scale, spec, columns.alloc).columns;
          if (!(await predictIntoBinned(f, this.boosters, null, rows, relative, threads, scale)))
            await predictQuantilesInto(
              f,
              this.boosters,
              rows,
              rowMajor(relative, threads > 1),
              threads,
              scale,
            );
        }
        const m =
          this.parts.tweedie && options.background
            ? await startIntoBinned(f, [], this.tweedie, rows, matrix.columns, null, null, constant)
            : null;
        if (m) pending.push(m);
        else if (
          this.parts.tweedie &&
          !(await predictIntoBinned(f, [], this.tweedie, rows, matrix.columns, threads))
        ) {
          const x = rowMajor(matrix.columns, threads > 1);
          await predictTweedieInto(f, this.parts.tweedie, daily, rows, x, threads, true);
        }
      } else {
        const both = options.background
          ? await startIntoBinned(f, this.boosters, this.tweedie, rows, matrix.columns, null, null, constant)
          : null;
        if (both) pending.push(both);
        else if (!(await predictIntoBinned(f, this.boosters, this.tweedie, rows, matrix.columns, threads))) {
          // The boosters share one Dataset's bins, so the binned path above quantizes the rows once for all
          // seven; a model that cannot be walked on bins comes here: one row-major copy for all seven boosters.
          const x = rowMajor(matrix.columns, threads > 1);
          await predictQuantilesInto(f, this.boosters, rows, x, threads);
          // Only the mean: the level quantiles stay the pinball models' (the NB ones are not computed).
          if (this.parts.tweedie)
            await predictTweedieInto(f, this.parts.tweedie, daily, rows, x, threads, true);
        }
      }
      const tweedie = this.parts.tweedie !== null;
      const started = (performance.now() - t1) / 1000;
      // Background predictions read the columns in place: they are released when those are joined.
      held = pending.length > 0;
      return {
        finish: async () => {
          const t2 = performance.now();
          // Each join takes its blocks left before the next is awaited (see PendingBinned.join).
          const joined = await Promise.allSettled(pending.map((p) => p.finish()));
          // Released only once none of them reads the columns any more, failed or not.
          if (held) columns.release();
          for (const j of joined) if (j.status === "rejected") throw j.reason;
          if (!tweedie) meanFromQuantiles(f, rows);
          if (timings) timings.boosters = (timings.boosters ?? 0) + started + (performance.now() - t2) / 1000;
          return f;
        },
      };
    } finally {
      if (!held) columns.release();
    }
  }

  /**
   * The model as deterministic JSON: the same model gives the same bytes (no timestamps, fixed key order, typed
   * arrays as base64 of their bytes), with a sha256 of the content so a changed byte is detected on load.
   */
  serialize(): string {
    return writeModelFile(this.parts);
  }

  /** A model from `serialize` output; any damage, or features this build no longer computes, is an InputError. */
  static deserialize(json: string, file: string): ProductionModel {
    return new ProductionModel(readModelFile(json, file));
  }
}
