/**
 * A sample report page from made-up, seeded data, using every chart and block kind: what scripts/report-sample.ts
 * writes for people to look at, and what the page and browser tests render.
 */
import { formatDay, parseDay } from "../core/days.ts";
import { normalQuantile } from "../core/normal.ts";
import { QUANTILES } from "../core/quantiles.ts";
import { Rng } from "../core/rng.ts";
import {
  barChart,
  calibrationChart,
  fanChart,
  histogramFacetChart,
  htmlPage,
  lineChart,
  metricByGroupChart,
  metricByHorizonChart,
  metricTable,
  modelColors,
  renderSvg,
  type Section,
} from "./index.ts";

const MODELS = ["gbdt-quantile", "seasonal-naive", "moving-quantiles", "croston-tsb", "sarima"];
/** How much worse than the GBDT each made-up model is (a multiplier on loss). */
const SKILL: Record<string, number> = {
  "gbdt-quantile": 1,
  "seasonal-naive": 1.42,
  "moving-quantiles": 1.21,
  "croston-tsb": 1.33,
  sarima: 1.17,
};
const CATEGORIES = ["Dairy & eggs", "Bakery", "Fresh produce", "Beverages", "Frozen", "Household <cleaning>"];

/** Build the sample page (all data made up from `seed`). */
export async function samplePage(seed: number): Promise<string> {
  const rng = new Rng(seed);
  const colors = modelColors(MODELS);
  const ci = (v: number, rel: number) => ({ value: v, lo: v * (1 - rel), hi: v * (1 + rel) });
  const around = (v: number, half: number) => ({ value: v, lo: v - half, hi: v + half });

  const metricRows = MODELS.flatMap((model) => {
    const s = SKILL[model]! * (1 + 0.02 * rng.normal());
    return [
      { model, metric: "pinball", ...ci(0.412 * s, 0.03) },
      { model, metric: "scaled", ...ci(0.287 * s, 0.03) },
      { model, metric: "wape", ...ci(0.38 * s, 0.025) },
      { model, metric: "bias", ...around(0.02 * (s - 1) * (rng.chance(0.5) ? 1 : -1) + 0.004, 0.012) },
      { model, metric: "cov95", ...ci(0.95 - 0.05 * (s - 1) + 0.01 * rng.normal(), 0.01) },
    ];
  });
  const table = metricTable(metricRows, {
    models: MODELS,
    reference: "seasonal-naive",
    metrics: [
      { name: "pinball", label: "mean pinball", higherIsBetter: false },
      { name: "scaled", label: "scaled pinball", higherIsBetter: false },
      { name: "wape", label: "WAPE", higherIsBetter: false },
      { name: "bias", label: "bias", target: 0 },
      { name: "cov95", label: "coverage q0.95", target: 0.95 },
    ],
  });

  const calibration = MODELS.flatMap((model) =>
    QUANTILES.map((level) => {
      const miss = (SKILL[model]! - 1) * 0.12 * (level - 0.5) * (rng.chance(0.5) ? 1 : -1);
      const le = Math.min(1, Math.max(0, level + 0.012 + miss));
      return { model, level, coverageLe: le, coverageLt: Math.max(0, le - 0.02 - 0.1 * (1 - level) * level) };
    }),
  );

  const horizon = MODELS.flatMap((model) =>
    Array.from({ length: 28 }, (_, i) => {
      const v = 0.36 * SKILL[model]! * (1 + 0.012 * i) * (1 + 0.01 * rng.normal());
      return { model, horizon: i + 1, value: v, lo: v * 0.96, hi: v * 1.04 };
    }),
  );

  const byCategory = MODELS.flatMap((model) =>
    CATEGORIES.map((group, g) => {
      const v = 0.3 * (1 + 0.25 * g) * SKILL[model]! * (1 + 0.03 * rng.normal());
      return { model, group, value: v, lo: v * 0.93, hi: v * 1.07 };
    }),
  );

  const fans = await Promise.all(
    [
      "store 12 \u00b7 whole milk 1 l",
      "store 3 \u00b7 sourdough bread",
      "store 40 \u00b7 frozen peas",
      "store 7 \u00b7 bleach 2 l",
    ].map((name, k) => renderSvg(fanChart(sampleFan(rng, name, [14, 6, 2.5, 0.6][k]!)))),
  );

  const curves = ["q0.015", "q0.5", "q0.95"].flatMap((q, k) =>
    ["train", "validation"].flatMap((split) =>
      Array.from({ length: 40 }, (_, i) => ({
        x: (i + 1) * 25,
        y: (0.15 + 0.1 * k) * (1 + 3 * Math.exp(-i / 8)) * (split === "train" ? 1 - 0.004 * i : 1.06),
        series: q,
        style: split,
      })),
    ),
  );
  const residuals = QUANTILES.map((level) => ({
    label: `quantile ${level}`,
    values: Array.from({ length: 4000 }, () => rng.negBinomial(4, 2) - 4 - normalQuantile(level) * 2.5),
  }));
  const importance = [
    "sales_mean_w28_lag3",
    "sales_lag7",
    "weekday",
    "price_rel_avg91",
    "promo_flag",
    "sales_std_w91_lag3",
    "days_since_last_sale",
    "category_l2",
    "store_volume_w28",
    "holiday",
    "sales_lag364",
    "temperature",
  ].map((label, i) => ({ label, value: 1000 * Math.exp(-i / 3) * (1 + 0.1 * rng.next()) }));
  const elasticity = CATEGORIES.slice(0, 4).flatMap((series, c) =>
    Array.from({ length: 13 }, (_, i) => {
      const rel = 0.7 + i * 0.05;
      return { x: rel, y: 10 * rel ** -(0.8 + 0.5 * c), series };
    }),
  );

  const [cal, hor, cat, learn, resid, imp, elast] = await Promise.all([
    renderSvg(calibrationChart(calibration, { colors, tolerance: 0.03 })),
    renderSvg(metricByHorizonChart(horizon, "mean pinball", { colors })),
    renderSvg(metricByGroupChart(byCategory, "scaled pinball", "category", { colors })),
    renderSvg(
      lineChart(curves, {
        title: "Learning curves by iteration",
        xLabel: "boosting iteration",
        yLabel: "pinball loss",
        styleLabel: "loss on",
        logY: true,
        markers: [{ x: 650, label: "early stop" }],
      }),
    ),
    renderSvg(
      histogramFacetChart(residuals, {
        title: "Residuals per quantile model",
        xLabel: "actual \u2212 forecast (units)",
      }),
    ),
    renderSvg(barChart(importance, { title: "Feature importance (gain)", xLabel: "total gain", top: 10 })),
    renderSvg(
      lineChart(elasticity, {
        title: "Elasticity: predicted demand vs relative price",
        xLabel: "price / usual price",
        yLabel: "predicted units per day",
      }),
    ),
  ]);

  const sections: Section[] = [
    {
      id: "summary",
      heading: "Headline metrics",
      intro: "Mean over 5 rolling-origin folds, 28-day test windows. Made-up numbers: this is a sample page.",
      blocks: [table],
    },
    { id: "calibration", heading: "Calibration", blocks: [{ svg: cal }] },
    { id: "horizon", heading: "Metric by horizon", blocks: [{ svg: hor }] },
    { id: "category", heading: "Metric by category", blocks: [{ svg: cat }] },
    {
      id: "fan-charts",
      heading: "Sample series",
      intro: "Four series chosen across sales volume; the forecast is from the last origin of the backtest.",
      blocks: fans.map((svg) => ({ svg })),
    },
    {
      id: "learning-curves",
      heading: "Learning curves",
      blocks: [
        { svg: learn, caption: "A widening gap between training and validation loss means overfitting." },
      ],
    },
    { id: "residuals", heading: "Residuals", blocks: [{ svg: resid }] },
    {
      id: "calibration-table",
      heading: "Calibration table",
      blocks: [
        {
          table: {
            columns: ["model", "\u03c4", "P(y < q)", "P(y \u2264 q)", "n"],
            rows: calibration.slice(0, 6).map((r) => [r.model, r.level, r.coverageLt, r.coverageLe, 412_880]),
          },
        },
      ],
    },
    { id: "importance", heading: "Feature importance", blocks: [{ svg: imp }] },
    { id: "elasticity", heading: "Elasticity", blocks: [{ svg: elast }] },
    {
      id: "notes",
      heading: "Notes",
      blocks: [
        {
          note: "Under-forecasting costs more than over-forecasting: read the low quantiles' residuals with that in mind.",
        },
        {
          note: "3 series had fewer than 28 days of history and were forecast by the fallback tier.",
          warn: true,
        },
      ],
    },
    { id: "empty", heading: "A section without data", blocks: [] },
  ];
  return htmlPage({
    title: "Backtest report (sample)",
    subtitle: "Made-up data, seeded: every chart and table kind of src/report",
    generatedAt: "2024-06-30 (fixed for the sample)",
    sections,
  });
}

function sampleFan(rng: Rng, title: string, level: number) {
  const origin = parseDay("2024-05-31");
  const weekly = [1.15, 0.9, 0.85, 0.9, 1.0, 1.25, 1.3];
  const mean = (d: number) => level * weekly[((d % 7) + 7) % 7]!;
  const size = 3;
  const history = Array.from({ length: 42 }, (_, i) => origin - 41 + i);
  const dates = Array.from({ length: 28 }, (_, i) => origin + 4 + i);
  const q = (m: number, p: number) => {
    const sd = Math.sqrt(m + (m * m) / size);
    return Math.max(0, Math.round(m + normalQuantile(p) * sd));
  };
  return {
    title,
    subtitle: "Forecast from origin 2024-05-31 (data latency 3 days)",
    origin: formatDay(origin),
    dates: dates.map(formatDay),
    actual: dates.map((d, i) => (i < 21 ? rng.negBinomial(mean(d), size) : null)),
    bands: QUANTILES.map((p) => ({ level: p, values: dates.map((d) => q(mean(d), p)) })),
    history: { dates: history.map(formatDay), values: history.map((d) => rng.negBinomial(mean(d), size)) },
  };
}
