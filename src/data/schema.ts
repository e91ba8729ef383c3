/**
 * The warehouse's tables, as data: every column's type, unit, meaning and nullability, plus the checks
 * ingest applies (ranges, known ids). DDL (migrations), validation and docs/data-model.md are all
 * generated from this one description, so they cannot disagree.
 */
import { QUANTILES, quantileColumn } from "../core/quantiles.ts";

export type ColumnType = "DATE" | "TIMESTAMP" | "VARCHAR" | "DOUBLE" | "INTEGER" | "BOOLEAN";

export interface ColumnSpec {
  name: string;
  type: ColumnType;
  /** May the value be missing? Required (non-null) columns are quarantined when empty. */
  nullable: boolean;
  unit?: string;
  description: string;
  /** Inclusive lower bound for numbers. */
  min?: number;
  /** Inclusive upper bound for numbers. */
  max?: number;
  /** The value must exist as `ref.table.ref.column` (e.g. a known store id). */
  ref?: { table: string; column: string };
  /** Allowed values for a VARCHAR. */
  values?: readonly string[];
}

export interface TableSpec {
  name: string;
  /** "source": loaded by `megaretail ingest`; "derived": written by ETL; "system": bookkeeping. */
  kind: "source" | "derived" | "system";
  description: string;
  columns: ColumnSpec[];
  /** The natural key: one row per key. Re-ingesting a key replaces the row. */
  key: string[];
}

const date = (description = "Calendar day (UTC)."): ColumnSpec => ({
  name: "date",
  type: "DATE",
  nullable: false,
  description,
});
const storeRef = (nullable = false): ColumnSpec => ({
  name: "store_id",
  type: "VARCHAR",
  nullable,
  description: "Store id; must exist in `stores`.",
  ref: { table: "stores", column: "store_id" },
});
const productRef = (nullable = false): ColumnSpec => ({
  name: "product_id",
  type: "VARCHAR",
  nullable,
  description: "Product id; must exist in `products`.",
  ref: { table: "products", column: "product_id" },
});
const money = (name: string, description: string, nullable = false): ColumnSpec => ({
  name,
  type: "DOUBLE",
  nullable,
  unit: "currency",
  min: 0,
  description,
});

/** One DOUBLE column per quantile level of SPEC.md (`q0_015` .. `q0_99`), in units: "<what> quantile <level>." */
const quantileColumns = (what: string): ColumnSpec[] =>
  QUANTILES.map((level) => ({
    name: quantileColumn(level),
    type: "DOUBLE",
    nullable: false,
    unit: "units",
    description: `${what} quantile ${level}.`,
  }));

/** Every table, in dependency order (referenced tables first). */
export const TABLES: TableSpec[] = [
  {
    name: "dcs",
    kind: "source",
    description: "Distribution centres. Each store is supplied by one DC; work is partitioned by DC.",
    key: ["dc_id"],
    columns: [
      { name: "dc_id", type: "VARCHAR", nullable: false, description: "Distribution centre id." },
      { name: "name", type: "VARCHAR", nullable: true, description: "Display name." },
      { name: "region", type: "VARCHAR", nullable: true, description: "Region the DC serves." },
    ],
  },
  {
    name: "stores",
    kind: "source",
    description: "Store metadata.",
    key: ["store_id"],
    columns: [
      { name: "store_id", type: "VARCHAR", nullable: false, description: "Store id." },
      {
        name: "dc_id",
        type: "VARCHAR",
        nullable: true,
        description: "Supplying distribution centre (null where unknown, e.g. M5).",
        ref: { table: "dcs", column: "dc_id" },
      },
      { name: "city", type: "VARCHAR", nullable: true, description: "City." },
      {
        name: "region",
        type: "VARCHAR",
        nullable: true,
        description: "Region or state; joins weather and regional calendar events.",
      },
      {
        name: "latitude",
        type: "DOUBLE",
        nullable: true,
        unit: "degrees",
        min: -90,
        max: 90,
        description: "Latitude.",
      },
      {
        name: "longitude",
        type: "DOUBLE",
        nullable: true,
        unit: "degrees",
        min: -180,
        max: 180,
        description: "Longitude.",
      },
      {
        name: "size_m2",
        type: "DOUBLE",
        nullable: true,
        unit: "m²",
        min: 0,
        description: "Sales floor area.",
      },
      {
        name: "format",
        type: "VARCHAR",
        nullable: true,
        description: "Store format (e.g. hyper, super, express).",
      },
      { name: "open_date", type: "DATE", nullable: true, description: "First trading day." },
      {
        name: "close_date",
        type: "DATE",
        nullable: true,
        description: "Last trading day (null while open).",
      },
    ],
  },
  {
    name: "products",
    kind: "source",
    description: "Product metadata.",
    key: ["product_id"],
    columns: [
      { name: "product_id", type: "VARCHAR", nullable: false, description: "Product id (SKU)." },
      { name: "name", type: "VARCHAR", nullable: true, description: "Display name." },
      {
        name: "category_l1",
        type: "VARCHAR",
        nullable: false,
        description: "Category level 1 (e.g. FOODS).",
      },
      {
        name: "category_l2",
        type: "VARCHAR",
        nullable: true,
        description: "Category level 2 (e.g. FOODS_1).",
      },
      { name: "category_l3", type: "VARCHAR", nullable: true, description: "Category level 3 (finest)." },
      { name: "brand", type: "VARCHAR", nullable: true, description: "Brand." },
      { name: "manufacturer", type: "VARCHAR", nullable: true, description: "Manufacturer." },
      {
        name: "price_group",
        type: "VARCHAR",
        nullable: true,
        description: "Price tier (e.g. budget, mid, premium).",
      },
      {
        name: "shelf_life_days",
        type: "INTEGER",
        nullable: true,
        unit: "days",
        min: 1,
        description: "Days from delivery to expiry; null for non-perishables.",
      },
      { name: "introduced_date", type: "DATE", nullable: true, description: "Date added to the assortment." },
      {
        name: "delisted_date",
        type: "DATE",
        nullable: true,
        description: "Date removed from the assortment (null while listed).",
      },
      { name: "weight_kg", type: "DOUBLE", nullable: true, unit: "kg", min: 0, description: "Unit weight." },
    ],
  },
  {
    name: "sales",
    kind: "source",
    description:
      "Daily sales per store and product (already aggregated). Either this or `transactions` feeds the daily fact table.",
    key: ["date", "store_id", "product_id"],
    columns: [
      date(),
      storeRef(),
      productRef(),
      { name: "units", type: "DOUBLE", nullable: false, unit: "units", min: 0, description: "Units sold." },
      money("revenue", "Revenue after discounts.", true),
      money("discount", "Total discount given.", true),
    ],
  },
  {
    name: "transactions",
    kind: "source",
    description: "Check lines (one row per product on a check). ETL aggregates them to the daily fact table.",
    key: ["store_id", "check_id", "line"],
    columns: [
      storeRef(),
      {
        name: "check_id",
        type: "VARCHAR",
        nullable: false,
        description: "Check (receipt) id, unique per store.",
      },
      { name: "line", type: "INTEGER", nullable: false, min: 1, description: "Line number on the check." },
      { name: "ts", type: "TIMESTAMP", nullable: false, description: "Time of the check (UTC)." },
      productRef(),
      {
        name: "units",
        type: "DOUBLE",
        nullable: false,
        unit: "units",
        min: 0,
        description: "Units on the line.",
      },
      money("revenue", "Line revenue after discount."),
      money("discount", "Line discount.", true),
    ],
  },
  {
    name: "stock",
    kind: "source",
    description: "Daily stock movements per store and product.",
    key: ["date", "store_id", "product_id"],
    columns: [
      date(),
      storeRef(),
      productRef(),
      {
        name: "opening_stock",
        type: "DOUBLE",
        nullable: false,
        unit: "units",
        min: 0,
        description: "Stock at opening.",
      },
      {
        name: "deliveries",
        type: "DOUBLE",
        nullable: false,
        unit: "units",
        min: 0,
        description: "Units delivered that day.",
      },
      {
        name: "write_offs",
        type: "DOUBLE",
        nullable: false,
        unit: "units",
        min: 0,
        description: "Units written off (expired or damaged).",
      },
      {
        name: "closing_stock",
        type: "DOUBLE",
        nullable: true,
        unit: "units",
        min: 0,
        description: "Stock at closing; 0 means the shelf ran empty (a stockout).",
      },
    ],
  },
  {
    name: "promos",
    kind: "source",
    description:
      "Promotions. Scope: a product in one store, in all stores of a DC, or chain-wide (both null).",
    key: ["promo_id"],
    columns: [
      { name: "promo_id", type: "VARCHAR", nullable: false, description: "Promotion id." },
      productRef(),
      { ...storeRef(true), description: "Store in scope (null: all stores of `dc_id`, or chain-wide)." },
      {
        name: "dc_id",
        type: "VARCHAR",
        nullable: true,
        description: "DC in scope (null with null store_id: chain-wide).",
        ref: { table: "dcs", column: "dc_id" },
      },
      { name: "start_date", type: "DATE", nullable: false, description: "First promo day." },
      { name: "end_date", type: "DATE", nullable: false, description: "Last promo day (inclusive)." },
      {
        name: "promo_type",
        type: "VARCHAR",
        nullable: false,
        description: "Mechanic (e.g. discount, bogo, display).",
      },
      {
        name: "discount",
        type: "DOUBLE",
        nullable: true,
        unit: "fraction",
        min: 0,
        max: 1,
        description: "Discount depth as a fraction of the regular price.",
      },
    ],
  },
  {
    name: "prices",
    kind: "source",
    description: "Daily shelf prices per store and product. No row: not on sale that day.",
    key: ["date", "store_id", "product_id"],
    columns: [
      date(),
      storeRef(),
      productRef(),
      money("regular_price", "Regular shelf price per unit."),
      money("promo_price", "Promotional price per unit (null when no promo).", true),
    ],
  },
  {
    name: "competitor_prices",
    kind: "source",
    description: "Observed competitor prices; cover part of the products, with gaps.",
    key: ["date", "competitor_id", "product_id"],
    columns: [
      date(),
      { name: "competitor_id", type: "VARCHAR", nullable: false, description: "Competitor id." },
      productRef(),
      { name: "region", type: "VARCHAR", nullable: true, description: "Region observed." },
      money("price", "Competitor's price per unit."),
    ],
  },
  {
    name: "weather",
    kind: "source",
    description: "Weather per region: history (issued_date = date) and forecasts (issued_date < date).",
    key: ["date", "region", "issued_date"],
    columns: [
      date("Day the weather is for."),
      { name: "region", type: "VARCHAR", nullable: false, description: "Region (matches stores.region)." },
      {
        name: "issued_date",
        type: "DATE",
        nullable: false,
        description: "Day the value was known (forecast issue day).",
      },
      {
        name: "temperature_c",
        type: "DOUBLE",
        nullable: true,
        unit: "°C",
        min: -60,
        max: 60,
        description: "Mean temperature.",
      },
      {
        name: "precipitation_mm",
        type: "DOUBLE",
        nullable: true,
        unit: "mm",
        min: 0,
        max: 1000,
        description: "Precipitation.",
      },
    ],
  },
  {
    name: "calendar_events",
    kind: "source",
    description: "Holidays, events, paydays and SNAP days; region '*' applies to every region.",
    key: ["date", "region", "name"],
    columns: [
      date(),
      { name: "region", type: "VARCHAR", nullable: false, description: "Region, or '*' for all." },
      { name: "name", type: "VARCHAR", nullable: false, description: "Event name (e.g. Christmas, SNAP)." },
      {
        name: "event_type",
        type: "VARCHAR",
        nullable: false,
        description: "Kind of day.",
        values: ["holiday", "national", "religious", "cultural", "sporting", "snap", "payday", "other"],
      },
    ],
  },
  {
    name: "store_traffic",
    kind: "source",
    description: "Optional: visitors per store and day.",
    key: ["date", "store_id"],
    columns: [
      date(),
      storeRef(),
      {
        name: "visitors",
        type: "DOUBLE",
        nullable: false,
        unit: "people",
        min: 0,
        description: "Visitors counted.",
      },
    ],
  },
  {
    name: "feed_arrivals",
    kind: "source",
    description:
      "Optional: when each daily partition of a feed arrived (the file-drop log). Data may arrive up to 48 h late; the quality report lists late partitions.",
    key: ["table_name", "date"],
    columns: [
      {
        name: "table_name",
        type: "VARCHAR",
        nullable: false,
        description: "Feed (source table) the partition belongs to, e.g. transactions.",
      },
      date("Day the partition holds."),
      {
        name: "expected_at",
        type: "TIMESTAMP",
        nullable: false,
        description: "When the partition was due (UTC).",
      },
      { name: "arrived_at", type: "TIMESTAMP", nullable: false, description: "When it arrived (UTC)." },
    ],
  },
  {
    name: "daily",
    kind: "derived",
    description:
      "The daily fact table written by ETL: one row per (date, store, product) in the assortment window, with sales, prices, promos, stock and flags.",
    key: ["date", "store_id", "product_id"],
    columns: [
      date(),
      storeRef(),
      productRef(),
      {
        name: "units",
        type: "DOUBLE",
        nullable: false,
        unit: "units",
        min: 0,
        description: "Units sold (0 when no sale).",
      },
      money("revenue", "Revenue after discounts.", true),
      money("discount", "Discount given.", true),
      money("regular_price", "Regular price that day (null when not priced).", true),
      money("price", "Price paid: promo price when on promo, else regular.", true),
      { name: "on_promo", type: "BOOLEAN", nullable: false, description: "A promotion covered this day." },
      {
        name: "promo_type",
        type: "VARCHAR",
        nullable: true,
        description: "Mechanic of the covering promotion.",
      },
      {
        name: "promo_discount",
        type: "DOUBLE",
        nullable: true,
        unit: "fraction",
        min: 0,
        max: 1,
        description: "Discount depth of the covering promotion.",
      },
      {
        name: "opening_stock",
        type: "DOUBLE",
        nullable: true,
        unit: "units",
        min: 0,
        description: "From `stock`.",
      },
      {
        name: "deliveries",
        type: "DOUBLE",
        nullable: true,
        unit: "units",
        min: 0,
        description: "From `stock`.",
      },
      {
        name: "write_offs",
        type: "DOUBLE",
        nullable: true,
        unit: "units",
        min: 0,
        description: "From `stock`.",
      },
      {
        name: "stockout",
        type: "BOOLEAN",
        nullable: false,
        description:
          "Stock ran out: units are a lower bound of demand, not demand. Never a training target as is.",
      },
      {
        name: "in_assortment",
        type: "BOOLEAN",
        nullable: false,
        description:
          "False before introduction, after delisting, outside store open dates, or with no price: 0 units there is not zero demand.",
      },
    ],
  },
  {
    name: "backtest_runs",
    kind: "derived",
    description:
      "One row per `megaretail backtest` run: what was compared, on which folds, with which settings.",
    key: ["run_id"],
    columns: [
      { name: "run_id", type: "VARCHAR", nullable: false, description: "Run id (bt-YYYYMMDDTHHMMSS-xxxx)." },
      { name: "created_at", type: "TIMESTAMP", nullable: false, description: "When the run finished (UTC)." },
      { name: "data_end", type: "DATE", nullable: false, description: "Last day of data the folds end at." },
      { name: "models", type: "VARCHAR", nullable: false, description: "Comma-separated model names." },
      {
        name: "folds",
        type: "VARCHAR",
        nullable: false,
        description: "The folds as JSON (train, origin, test days).",
      },
      {
        name: "settings",
        type: "VARCHAR",
        nullable: false,
        description: "Validation and feature settings as JSON.",
      },
      { name: "metrics", type: "VARCHAR", nullable: false, description: "Overall metrics with CIs as JSON." },
    ],
  },
  {
    name: "backtest_forecasts",
    kind: "derived",
    description:
      "The long cross-validation table of a backtest: one row per run, series, model, origin and target day with a known actual.",
    key: ["run_id", "model", "store_id", "product_id", "origin", "date"],
    columns: [
      { name: "run_id", type: "VARCHAR", nullable: false, description: "The run (see `backtest_runs`)." },
      { name: "store_id", type: "VARCHAR", nullable: false, description: "Store id." },
      { name: "product_id", type: "VARCHAR", nullable: false, description: "Product id." },
      { name: "date", type: "DATE", nullable: false, description: "Target day." },
      {
        name: "origin",
        type: "DATE",
        nullable: false,
        description: "Day the forecast was made (data known up to origin - latency).",
      },
      {
        name: "horizon",
        type: "INTEGER",
        nullable: false,
        unit: "days",
        min: 1,
        description: "date - origin.",
      },
      {
        name: "actual",
        type: "DOUBLE",
        nullable: false,
        unit: "units",
        description: "Demand observed on `date`.",
      },
      { name: "model", type: "VARCHAR", nullable: false, description: "Forecaster name." },
      ...quantileColumns("Forecast"),
      {
        name: "mean",
        type: "DOUBLE",
        nullable: true,
        unit: "units",
        description: "Forecast mean (null where the model defines none).",
      },
    ],
  },
  {
    name: "sim_truth",
    kind: "derived",
    description:
      "Simulator truth (only for simulated data): the demand distribution each (date, store, product) was drawn from, so the oracle's loss is known.",
    key: ["date", "store_id", "product_id"],
    columns: [
      { name: "date", type: "DATE", nullable: false, description: "Calendar day (UTC)." },
      { name: "store_id", type: "VARCHAR", nullable: false, description: "Store id." },
      { name: "product_id", type: "VARCHAR", nullable: false, description: "Product id." },
      {
        name: "mean",
        type: "DOUBLE",
        nullable: false,
        unit: "units",
        description: "Mean of the demand distribution.",
      },
      { name: "size", type: "DOUBLE", nullable: true, description: "Negative binomial size (dispersion)." },
      ...quantileColumns("True"),
      {
        name: "demand",
        type: "DOUBLE",
        nullable: false,
        unit: "units",
        description: "Uncensored demand drawn.",
      },
    ],
  },
  {
    name: "runs",
    kind: "system",
    description:
      "One row per tracked run (`megaretail train`, tracked backtests): what went in (config, seed, data fingerprint, feature and code versions) and how it ended. Files live under `dir`.",
    key: ["run_id"],
    columns: [
      {
        name: "run_id",
        type: "VARCHAR",
        nullable: false,
        description: "Run id, sortable by start time: YYYYMMDDTHHMMSS-<seed>-<4 hex>.",
      },
      {
        name: "kind",
        type: "VARCHAR",
        nullable: false,
        description: "What ran.",
        values: ["train", "backtest"],
      },
      {
        name: "status",
        type: "VARCHAR",
        nullable: false,
        description: "State of the run; a crashed process leaves `running`.",
        values: ["running", "succeeded", "failed"],
      },
      { name: "created_at", type: "TIMESTAMP", nullable: false, description: "When the run started (UTC)." },
      { name: "finished_at", type: "TIMESTAMP", nullable: true, description: "When it finished (UTC)." },
      {
        name: "seed",
        type: "DOUBLE",
        nullable: false,
        min: 0,
        description: "The run's random seed (an integer).",
      },
      { name: "config", type: "VARCHAR", nullable: false, description: "The resolved config, as JSON." },
      {
        name: "data_fingerprint",
        type: "VARCHAR",
        nullable: false,
        description: "Per source table: rows, date range and checksum, as JSON.",
      },
      {
        name: "data_hash",
        type: "VARCHAR",
        nullable: false,
        description: "sha256 of the data fingerprint: equal hashes mean the same data.",
      },
      { name: "feature_version", type: "VARCHAR", nullable: false, description: "Feature set version." },
      {
        name: "code_version",
        type: "VARCHAR",
        nullable: false,
        description: "Package version, git commit and dirty flag (null without git), as JSON.",
      },
      { name: "timings", type: "VARCHAR", nullable: true, description: "Seconds per stage, as JSON." },
      {
        name: "artifacts",
        type: "VARCHAR",
        nullable: true,
        description: "Files under `dir`, as a JSON list.",
      },
      { name: "dir", type: "VARCHAR", nullable: false, description: "The run directory." },
      { name: "error", type: "VARCHAR", nullable: true, description: "Why a failed run failed." },
    ],
  },
  {
    name: "run_metrics",
    kind: "system",
    description: "Metrics of a run with 95% confidence intervals.",
    key: ["run_id", "model", "metric", "level"],
    columns: [
      { name: "run_id", type: "VARCHAR", nullable: false, description: "The run (see `runs`)." },
      { name: "model", type: "VARCHAR", nullable: false, description: "Model or forecaster name." },
      { name: "metric", type: "VARCHAR", nullable: false, description: "Metric name." },
      {
        name: "level",
        type: "DOUBLE",
        nullable: true,
        description: "Quantile level the metric is about; null for metrics over all levels.",
      },
      { name: "value", type: "DOUBLE", nullable: true, description: "Point estimate (null when undefined)." },
      {
        name: "lo",
        type: "DOUBLE",
        nullable: true,
        description: "Lower end of the 95% CI (null when none).",
      },
      {
        name: "hi",
        type: "DOUBLE",
        nullable: true,
        description: "Upper end of the 95% CI (null when none).",
      },
    ],
  },
  {
    name: "run_series_scores",
    kind: "system",
    description:
      "Per-series metric values of a run, so two runs can be compared with a paired bootstrap over the series they share.",
    key: ["run_id", "model", "metric", "store_id", "product_id"],
    columns: [
      { name: "run_id", type: "VARCHAR", nullable: false, description: "The run (see `runs`)." },
      { name: "model", type: "VARCHAR", nullable: false, description: "Model or forecaster name." },
      { name: "metric", type: "VARCHAR", nullable: false, description: "Metric name." },
      { name: "store_id", type: "VARCHAR", nullable: false, description: "Store id." },
      { name: "product_id", type: "VARCHAR", nullable: false, description: "Product id." },
      { name: "value", type: "DOUBLE", nullable: true, description: "The metric on this series." },
    ],
  },
  {
    name: "model_versions",
    kind: "system",
    description:
      "The model registry: every registered model file with its stage. At most one version is `production` and one `shadow`.",
    key: ["version"],
    columns: [
      {
        name: "version",
        type: "INTEGER",
        nullable: false,
        min: 1,
        description: "Version number (1, 2, ...).",
      },
      { name: "name", type: "VARCHAR", nullable: false, description: "Model name." },
      {
        name: "run_id",
        type: "VARCHAR",
        nullable: false,
        description: "The run that produced it (see `runs`).",
      },
      { name: "file", type: "VARCHAR", nullable: false, description: "Path of the model file." },
      { name: "sha256", type: "VARCHAR", nullable: false, description: "Content hash of the model file." },
      {
        name: "feature_schema_hash",
        type: "VARCHAR",
        nullable: false,
        description: "Hash of the feature schema the model needs; forecasting refuses a mismatch.",
      },
      {
        name: "stage",
        type: "VARCHAR",
        nullable: false,
        description: "Registry stage.",
        values: ["candidate", "shadow", "production", "archived"],
      },
      {
        name: "created_at",
        type: "TIMESTAMP",
        nullable: false,
        description: "When it was registered (UTC).",
      },
      {
        name: "metrics",
        type: "VARCHAR",
        nullable: true,
        description: "Headline metrics, as a JSON object.",
      },
    ],
  },
  {
    name: "model_stage_events",
    kind: "system",
    description:
      "Every stage change of a model version, in order: the history `models rollback` reads to bring back the previous production model.",
    key: ["seq"],
    columns: [
      { name: "seq", type: "INTEGER", nullable: false, min: 1, description: "Event number, increasing." },
      { name: "version", type: "INTEGER", nullable: false, description: "The model version." },
      {
        name: "from_stage",
        type: "VARCHAR",
        nullable: true,
        description: "Stage before (null on registration).",
      },
      { name: "to_stage", type: "VARCHAR", nullable: false, description: "Stage after." },
      { name: "at", type: "TIMESTAMP", nullable: false, description: "When (UTC)." },
      {
        name: "reason",
        type: "VARCHAR",
        nullable: true,
        description: "promote, rollback, or replaced by another version.",
      },
    ],
  },
  {
    name: "forecasts",
    kind: "derived",
    description:
      "Batch forecasts of `megaretail forecast`: one row per origin, model version, series and target day (days 1..28 after the origin), for every series in assortment on the cutoff day.",
    key: ["origin", "model_version", "store_id", "product_id", "date"],
    columns: [
      {
        name: "origin",
        type: "DATE",
        nullable: false,
        description: "Day the forecast is made; features use data up to origin - latencyDays (the cutoff).",
      },
      {
        name: "model_version",
        type: "INTEGER",
        nullable: false,
        description: "Registered model version (see `model_versions`); 0 for a model given as a file.",
      },
      { name: "store_id", type: "VARCHAR", nullable: false, description: "Store id." },
      { name: "product_id", type: "VARCHAR", nullable: false, description: "Product id." },
      { name: "date", type: "DATE", nullable: false, description: "Target day." },
      {
        name: "dc_id",
        type: "VARCHAR",
        nullable: false,
        description: "The partition the row was written with: the store's DC ('-' for a store without one).",
      },
      {
        name: "horizon",
        type: "INTEGER",
        nullable: false,
        unit: "days",
        min: 1,
        description: "date - origin.",
      },
      ...quantileColumns("Forecast"),
      {
        name: "mean",
        type: "DOUBLE",
        nullable: false,
        unit: "units",
        description:
          "Forecast mean: the Tweedie model's, or the mean of the quantile function when it has none.",
      },
      { name: "run_id", type: "VARCHAR", nullable: false, description: "Training run of the model." },
      {
        name: "created_at",
        type: "TIMESTAMP",
        nullable: false,
        description: "When the partition was written (UTC).",
      },
    ],
  },
  {
    name: "forecast_partitions",
    kind: "system",
    description:
      "One row per completed partition of a forecast job, written in the same transaction as its rows: a rerun skips these, so a crashed job resumes without duplicates.",
    key: ["origin", "model_version", "dc_id"],
    columns: [
      { name: "origin", type: "DATE", nullable: false, description: "Forecast origin." },
      { name: "model_version", type: "INTEGER", nullable: false, description: "Model version." },
      { name: "dc_id", type: "VARCHAR", nullable: false, description: "The DC ('-': stores without one)." },
      { name: "rows", type: "INTEGER", nullable: false, min: 0, description: "Rows written to `forecasts`." },
      {
        name: "completed_at",
        type: "TIMESTAMP",
        nullable: false,
        description: "When it was committed (UTC).",
      },
    ],
  },
  {
    name: "quarantine",
    kind: "system",
    description: "Rows refused by ingest, with the reason. Nothing is dropped silently.",
    key: ["ingest_id", "line"],
    columns: [
      {
        name: "ingest_id",
        type: "VARCHAR",
        nullable: false,
        description: "The ingest run (see `ingest_log`).",
      },
      { name: "table_name", type: "VARCHAR", nullable: false, description: "Target table." },
      { name: "source_file", type: "VARCHAR", nullable: false, description: "File the row came from." },
      {
        name: "line",
        type: "INTEGER",
        nullable: false,
        description: "Line in the file (1 = header for CSV; row number for Parquet).",
      },
      {
        name: "reason",
        type: "VARCHAR",
        nullable: false,
        description: "Reason code (see docs/data-model.md).",
      },
      {
        name: "column_name",
        type: "VARCHAR",
        nullable: true,
        description: "Offending column, where one is to blame.",
      },
      { name: "message", type: "VARCHAR", nullable: false, description: "What was wrong, for a person." },
      { name: "raw", type: "VARCHAR", nullable: true, description: "The raw row as read." },
    ],
  },
  {
    name: "schema_drift",
    kind: "system",
    description:
      "Differences between an ingested file's columns and the table's schema: extra columns, missing optional columns, wrong types.",
    key: ["ingest_id", "column_name", "kind"],
    columns: [
      {
        name: "ingest_id",
        type: "VARCHAR",
        nullable: false,
        description: "The ingest run (see `ingest_log`).",
      },
      { name: "table_name", type: "VARCHAR", nullable: false, description: "Target table." },
      { name: "source_file", type: "VARCHAR", nullable: false, description: "File whose columns drifted." },
      { name: "column_name", type: "VARCHAR", nullable: false, description: "The column concerned." },
      {
        name: "kind",
        type: "VARCHAR",
        nullable: false,
        description: "What drifted.",
        values: ["extra_column", "missing_optional_column", "wrong_type"],
      },
      { name: "detail", type: "VARCHAR", nullable: true, description: "Specifics, for a person." },
    ],
  },
  {
    name: "ingest_log",
    kind: "system",
    description: "One row per ingest of one file.",
    key: ["ingest_id"],
    columns: [
      { name: "ingest_id", type: "VARCHAR", nullable: false, description: "Id of the run." },
      { name: "table_name", type: "VARCHAR", nullable: false, description: "Target table." },
      { name: "source_file", type: "VARCHAR", nullable: false, description: "Absolute path of the file." },
      {
        name: "file_sha256",
        type: "VARCHAR",
        nullable: false,
        description: "Content hash, to recognise a re-ingest.",
      },
      { name: "rows_read", type: "INTEGER", nullable: false, description: "Data rows read." },
      { name: "rows_accepted", type: "INTEGER", nullable: false, description: "Rows written to the table." },
      { name: "rows_quarantined", type: "INTEGER", nullable: false, description: "Rows sent to quarantine." },
      { name: "ingested_at", type: "TIMESTAMP", nullable: false, description: "When (UTC)." },
    ],
  },
];

/** Looks up a table by name; undefined when unknown. */
export function tableSpec(name: string): TableSpec | undefined {
  return TABLES.find((t) => t.name === name);
}

/** Names of the tables `megaretail ingest` accepts. */
export const SOURCE_TABLES: readonly string[] = TABLES.filter((t) => t.kind === "source").map((t) => t.name);

/** CREATE TABLE statement of a spec (no key constraints: keys are enforced by ingest's replace-by-key). */
export function createTableSql(t: TableSpec): string {
  const cols = t.columns.map((c) => `  "${c.name}" ${c.type}${c.nullable ? "" : " NOT NULL"}`);
  return `CREATE TABLE IF NOT EXISTS "${t.name}" (\n${cols.join(",\n")}\n)`;
}
