import { formatDay } from "../core/days.ts";
import { standardMetrics } from "../metrics/standard.ts";
import { MODELS } from "../models/registry.ts";
import {
  type Block,
  calibrationChart,
  fanChart,
  htmlPage,
  type MetricCell,
  metricByGroupChart,
  metricByHorizonChart,
  metricTable,
  modelColors,
  renderSvg,
  type Section,
} from "../report/index.ts";
import type { BacktestJobResult } from "../validation/job.ts";
import { describeFold } from "../validation/splits.ts";

const HEADLINE = [
  "mean_spinball",
  "mean_pinball",
  "pinball_0.5",
  "pinball_0.95",
  "coverage_le_0.95",
  "wape",
  "bias",
];
const LABELS: Record<string, string> = {
  mean_spinball: "mean scaled pinball",
  mean_pinball: "mean pinball",
  "pinball_0.5": "pinball 0.5",
  "pinball_0.95": "pinball 0.95",
  "coverage_le_0.95": "P(y ≤ q0.95)",
  wape: "WAPE (point)",
  bias: "bias (point)",
};
const BREAKDOWNS: [string, string][] = [
  ["category_l2", "category (level 2)"],
  ["category_l1", "category (level 1)"],
  ["price_band", "price band (tercile of mean price)"],
  ["history", "history at the origin"],
  ["promo_day", "promo day"],
  ["event_day", "event day"],
  ["weekday", "weekday"],
  ["store_id", "store"],
];

/** The backtest report (report.html): headline table with CIs, calibration, horizon, breakdowns, fan charts. */
export async function backtestPage(result: BacktestJobResult, generatedAt: string): Promise<string> {
  const { report, daily, folds } = result;
  const colors = modelColors(report.models);
  const directions = new Map(standardMetrics(report.levels).map((m) => [m.name, m]));
  const cells: MetricCell[] = report.overall.flatMap((o) =>
    o.estimates.filter((e) => HEADLINE.includes(e.metric)).map((e) => ({ model: o.model, ...e })),
  );
  const reference = report.models.includes("seasonal_naive") ? "seasonal_naive" : undefined;
  const sections: Section[] = [
    {
      id: "summary",
      heading: "Run",
      intro: `Run ${result.runId}: ${report.models.length} models, ${folds.length} rolling-origin folds, ${report.rows} forecast rows per model with known demand (stockout and not-in-assortment days are not scored).`,
      blocks: [
        {
          table: {
            columns: ["fold", "train", "train days", "origin", "test"],
            rows: folds.map((f) => Object.values(describeFold(f))),
          },
        },
        {
          table: {
            columns: [
              "model",
              "what it is",
              "seconds (fit + predict, all folds)",
              "crossed quantile rows fixed",
            ],
            rows: report.models.map((m) => [
              m,
              MODELS[m]?.describe ?? "",
              report.seconds[m]!,
              report.crossings[m]!,
            ]),
          },
        },
      ],
    },
    {
      id: "metrics",
      heading: "Metrics with 95% confidence intervals",
      intro:
        "Bootstrap over series (whole series resampled). Scaled pinball is the pinball loss as a share of units sold, averaged over the six levels; lower is better. † marks a best model whose interval overlaps no other model's.",
      blocks: [
        metricTable(cells, {
          metrics: HEADLINE.map((name) => ({
            name,
            label: LABELS[name],
            higherIsBetter: directions.get(name)?.higherIsBetter,
            target: directions.get(name)?.target,
          })),
          models: report.models,
          reference,
        }),
      ],
    },
    {
      id: "paired",
      heading: "Paired comparisons",
      intro:
        "Mean scaled pinball of each model divided by a reference's, with 95% paired-bootstrap intervals (the same series resampled for both models, so between-series variation cancels). An interval entirely below 1 means the model is better than the reference.",
      blocks: [
        {
          table: {
            columns: ["model", "reference", "ratio", "95% low", "95% high"],
            rows: report.paired
              .filter((p) => ["oracle", "seasonal_naive", "moving_quantiles"].includes(p.reference))
              .map((p) => [p.model, p.reference, p.ratio, p.lo, p.hi]),
          },
        },
      ],
    },
    {
      id: "calibration",
      heading: "Calibration per quantile",
      intro:
        "For each level τ, the share of actuals below the forecast quantile: P(y < q) to P(y ≤ q) (counts tie). Calibrated when τ lies in the span (±0.03 shaded).",
      blocks: [
        { svg: await renderSvg(calibrationChart(report.calibration, { colors, tolerance: 0.03 })) },
        {
          table: {
            columns: ["model", "level", "P(y < q)", "P(y ≤ q)"],
            rows: report.calibration.map((c) => [c.model, c.level, c.coverageLt, c.coverageLe]),
          },
        },
      ],
    },
    {
      id: "horizon",
      heading: "Error by horizon",
      blocks: [
        { svg: await renderSvg(metricByHorizonChart(report.byHorizon, "mean scaled pinball", { colors })) },
      ],
    },
    {
      id: "breakdowns",
      heading: "Error by group",
      intro: "Mean scaled pinball per group with 95% intervals.",
      blocks: await breakdownBlocks(result, colors),
    },
    { id: "fans", heading: "Sample series", blocks: await fanBlocks(result) },
  ];
  return htmlPage({
    title: "Megaretail backtest",
    subtitle: `${result.runId} · data to ${formatDay(daily.end)}`,
    generatedAt,
    sections,
  });
}

async function breakdownBlocks(
  result: BacktestJobResult,
  colors: ReturnType<typeof modelColors>,
): Promise<Block[]> {
  const blocks: Block[] = [];
  for (const [dimension, label] of BREAKDOWNS) {
    const rows = result.report.byGroup.filter(
      (g) => g.dimension === dimension && g.metric === "mean_spinball",
    );
    if (rows.length === 0) continue;
    if (new Set(rows.map((r) => r.group)).size > 30) continue; // too many groups to draw; they are in metrics.json
    blocks.push({ svg: await renderSvg(metricByGroupChart(rows, "mean scaled pinball", label, { colors })) });
  }
  return blocks;
}

/** Fan charts of four series (busiest, a mid one, an intermittent one, a random one) on the last fold. */
async function fanBlocks(result: BacktestJobResult): Promise<Block[]> {
  const { table, daily, folds, report } = result;
  const model = report.models.includes("gbdt_quantile")
    ? "gbdt_quantile"
    : report.models[report.models.length - 1]!;
  const m = report.models.indexOf(model);
  const last = folds.length - 1;
  const volume = daily.storeId.map((_, i) => {
    let s = 0;
    for (let j = daily.indptr[i]!; j < daily.indptr[i + 1]!; j++)
      if (!Number.isNaN(daily.demand[j]!)) s += daily.demand[j]!;
    return s;
  });
  const order = volume.map((v, i) => [v, i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  const picks = [
    ...new Set([
      order[0]?.[1],
      order[Math.floor(order.length / 2)]?.[1],
      order[Math.floor((order.length * 9) / 10)]?.[1],
    ]),
  ].filter((i): i is number => i !== undefined);
  const blocks: Block[] = [];
  for (const i of picks) {
    const origin = folds[last]!.origin;
    const dates: string[] = [];
    const actual: (number | null)[] = [];
    const bands = report.levels.map((level) => ({ level, values: [] as number[] }));
    for (let r = 0; r < table.actual.length; r++) {
      if (table.series[r] !== i || table.model[r] !== m || table.fold[r] !== last) continue;
      dates.push(formatDay(origin + table.horizon[r]!));
      actual.push(table.actual[r]!);
      for (let k = 0; k < report.levels.length; k++) bands[k]!.values.push(table.q[k]![r]!);
    }
    if (dates.length === 0) continue;
    const hist = { dates: [] as string[], values: [] as (number | null)[] };
    for (let d = origin - 55; d <= origin; d++) {
      const t = d - daily.start[i]!;
      if (t < 0) continue;
      hist.dates.push(formatDay(d));
      const v = daily.units[daily.indptr[i]! + t]!;
      hist.values.push(Number.isNaN(v) ? null : v);
    }
    blocks.push({
      svg: await renderSvg(
        fanChart({
          title: `${daily.storeId[i]} · ${daily.productId[i]}`,
          subtitle: `${model}, origin ${formatDay(origin)}`,
          dates,
          actual,
          bands,
          history: hist,
          origin: formatDay(origin),
          yLabel: "units",
        }),
      ),
    });
  }
  return blocks;
}
