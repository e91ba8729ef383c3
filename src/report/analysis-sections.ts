/** The sections of analysis.html, one function each, from the plain analysis data. */
import type { AnalysisPageData, VariantData } from "./analysis-page-data.ts";
import { calibrationChart } from "./calibration-chart.ts";
import { histogramFacetChart } from "./histogram-chart.ts";
import type { Block, Section } from "./html.ts";
import { type LinePoint, lineChart } from "./line-chart.ts";
import { renderSvg } from "./svg.ts";
import { modelColors } from "./theme.ts";
import { variantChart } from "./variant-chart.ts";

const num = (v: number | null | undefined): number | null =>
  v === null || v === undefined || !Number.isFinite(v) ? null : v;
const pct = (v: number | null | undefined) => (num(v) === null ? null : `${(100 * v!).toFixed(1)}%`);

/** Learning curves by iteration: train, validation (holdout) and test pinball per level. */
export async function curvesSection(d: AnalysisPageData): Promise<Section> {
  const lc = d.learningCurves;
  const blocks: Block[] = [];
  if (lc) {
    const points: LinePoint[] = lc.curves.flatMap((c) =>
      c.points.flatMap((p) =>
        (["train", "valid", "test"] as const).flatMap((k) =>
          num(p[k]) === null
            ? []
            : [{ x: p.iteration, y: p[k]!, series: `q${c.level}`, style: k === "valid" ? "validation" : k }],
        ),
      ),
    );
    blocks.push({
      svg: await renderSvg(
        lineChart(points, {
          title: "Learning curves by iteration",
          subtitle: `last fold: ${lc.trainRows.toLocaleString("en-US")} fit rows, ${lc.validRows.toLocaleString("en-US")} holdout rows`,
          xLabel: "boosting iteration",
          yLabel: "pinball loss",
          styleLabel: "loss on",
          // Levels differ by an order of magnitude in loss (q0.015 vs q0.5): a log axis shows every curve's shape.
          logY: true,
          markers: bestMarkers(lc.curves),
        }),
      ),
      caption:
        "Train: the fit rows; validation: the last 28 days of the training window (what early stopping watches); test: the fold's test window. A widening train/validation gap means overfitting; a validation curve still falling at the end means more trees would help.",
    });
    blocks.push({
      table: {
        columns: [
          "level",
          "best iteration (validation)",
          "validation at best",
          "test at last",
          "train at last",
        ],
        rows: lc.curves.map((c) => {
          const best = c.points.find((p) => p.iteration === c.bestIteration);
          const end = c.points[c.points.length - 1];
          return [c.level, c.bestIteration, num(best?.valid), num(end?.test), num(end?.train)];
        }),
      },
    });
  }
  return { id: "learning-curves", heading: "Learning curves by iteration", blocks };
}

/** One rule per distinct best iteration, naming every level that is best there (labels would overlap otherwise). */
function bestMarkers(curves: { level: number; bestIteration: number }[]) {
  const at = new Map<number, number[]>();
  for (const c of curves) at.set(c.bestIteration, [...(at.get(c.bestIteration) ?? []), c.level]);
  return [...at].map(([x, levels]) => ({ x, label: `best ${levels.map((l) => `q${l}`).join(", ")}` }));
}

function variantRows(vs: VariantData[]) {
  return vs.map((v) => [
    v.dimension,
    v.variant,
    v.features,
    v.trainRows,
    num(v.pinball),
    ...v.perLevel.map((p) => num(p.pinball)),
  ]);
}

/** Learning curves by complexity and by data size, and daily vs weekly granularity. */
export async function variantsSection(d: AnalysisPageData): Promise<Section[]> {
  const levels = (d.complexity[0] ?? d.dataSize[0])?.perLevel.map((p) => `pinball q${p.level}`) ?? [];
  const columns = ["varied", "variant", "features", "train rows", "mean pinball", ...levels];
  const complexity: Block[] = [];
  if (d.complexity.length > 0) {
    complexity.push({
      svg: await renderSvg(
        variantChart(
          d.complexity.map((v) => ({
            group: v.dimension,
            label: v.variant,
            value: num(v.pinball) ?? Number.NaN,
            isMain: v.isMain,
          })),
          {
            title: "Validation pinball by model complexity",
            subtitle: "last fold's test window; dashed: the main model's settings",
            xLabel: "mean pinball (lower is better)",
          },
        ),
      ),
    });
    complexity.push({ table: { columns, rows: variantRows(d.complexity) } });
  }
  const size: Block[] = [];
  if (d.dataSize.length > 0) {
    const pts = d.dataSize.flatMap((v) =>
      num(v.pinball) === null ? [] : [{ x: v.trainRows, y: v.pinball!, series: "mean pinball" }],
    );
    size.push({
      svg: await renderSvg(
        lineChart(pts, {
          title: "Validation pinball by training rows",
          subtitle: "shares of the last fold's fit rows; still falling at 100% means more data would help",
          xLabel: "training rows",
          yLabel: "mean pinball",
        }),
      ),
    });
    size.push({ table: { columns, rows: variantRows(d.dataSize) } });
  }
  const g = d.granularity;
  if (g) {
    size.push({
      table: {
        columns: ["model", "WAPE", "bias (share of units)", "MAE (units per week)"],
        rows: g.rows.map((r) => [r.model, num(r.wape), num(r.bias), num(r.mae)]),
        caption: `Daily vs weekly granularity (${g.weeks} series-weeks): ${g.compared}`,
      },
    });
  }
  return [
    { id: "complexity", heading: "Learning curve by complexity", blocks: complexity },
    { id: "data-size", heading: "Learning curve by data size and granularity", blocks: size },
  ];
}

/** Residual histograms per level, bias and the asymmetric reading. */
export async function residualsSection(d: AnalysisPageData): Promise<Section> {
  const blocks: Block[] = [];
  if (d.residuals.length > 0) {
    blocks.push({
      svg: await renderSvg(
        histogramFacetChart(
          d.residuals.map((r) => ({
            label: `q${r.level}`,
            values: r.sample.flatMap((v) => (num(v) === null ? [] : [v!])),
          })),
          { title: "Residuals per quantile model", xLabel: "actual \u2212 forecast (units)" },
        ),
      ),
      caption:
        "Right of zero: the actual exceeded the quantile (short of stock if stocked to it); left: stock left over.",
    });
    blocks.push({
      table: {
        columns: [
          "level",
          "n",
          "mean",
          "median",
          "P(y > q)",
          "1 \u2212 \u03c4",
          "P(y < q)",
          "units short",
          "units over",
          "errs",
        ],
        rows: d.residuals.map((r) => [
          r.level,
          r.n,
          num(r.mean),
          num(r.median),
          pct(r.underShare),
          pct(r.expectedUnderShare),
          pct(r.belowShare),
          num(r.unitsShort),
          num(r.unitsOver),
          r.side,
        ]),
      },
    });
    for (const r of d.residuals) blocks.push({ note: r.reading, warn: r.side !== "balanced" });
  }
  return { id: "residuals", heading: "Residuals and bias per quantile", blocks };
}

/** Calibration charts (all models; the main model by horizon bucket) and the table. */
export async function calibrationSection(d: AnalysisPageData): Promise<Section[]> {
  const all = d.calibration.filter((c) => c.bucket === "all");
  const buckets = d.calibration.filter((c) => c.bucket !== "all" && c.model === d.mainModel);
  const row = (c: (typeof d.calibration)[number], model: string) =>
    num(c.lt) === null || num(c.le) === null
      ? []
      : [{ model, level: c.level, coverageLt: c.lt!, coverageLe: c.le! }];
  const blocks: Block[] = [];
  if (all.length > 0) {
    blocks.push({
      svg: await renderSvg(
        calibrationChart(
          all.flatMap((c) => row(c, c.model)),
          { title: "Calibration of every model (all folds)", tolerance: 0.02 },
        ),
      ),
    });
  }
  if (buckets.length > 0) {
    blocks.push({
      svg: await renderSvg(
        calibrationChart(
          buckets.flatMap((c) => row(c, `h ${c.bucket}`)),
          {
            title: `Calibration of ${d.mainModel} by horizon (days ahead)`,
            tolerance: 0.02,
            // Buckets keep their horizon order (not alphabetical: "8-14" after "1-7").
            colors: modelColors([...new Set(buckets.map((c) => `h ${c.bucket}`))]),
          },
        ),
      ),
    });
  }
  const table: Block = {
    table: {
      columns: ["model", "horizon", "\u03c4", "n", "P(y < q)", "P(y \u2264 q)", "calibrated"],
      rows: [...all, ...buckets].map((c) => [
        c.model,
        c.bucket,
        c.level,
        c.n,
        num(c.lt),
        num(c.le),
        c.calibrated ? "yes" : "no",
      ]),
      caption:
        "Calibrated: \u03c4 lies between P(y < q) and P(y \u2264 q), within two binomial standard errors.",
    },
  };
  return [
    { id: "calibration", heading: "Calibration", blocks },
    {
      id: "calibration-table",
      heading: "Calibration table",
      blocks: d.calibration.length > 0 ? [table] : [],
    },
  ];
}

/** Case sets: summary against the population and the over-represented traits. */
export function casesSection(d: AnalysisPageData): Section {
  const blocks: Block[] = [];
  if (d.cases.length > 0) {
    blocks.push({
      table: {
        columns: [
          "case set",
          "file",
          "matching rows",
          "rows in file",
          "mean pinball",
          "population",
          "mean residual",
          "P(y \u2264 q0.95)",
        ],
        rows: d.cases.map((c) => [
          c.name,
          `cases/${c.name}.csv`,
          c.summary.matching,
          c.summary.rows,
          num(c.summary.meanPinball),
          num(c.summary.populationPinball),
          num(c.summary.meanResidual),
          pct(c.summary.coverage95),
        ]),
      },
    });
    for (const c of d.cases) blocks.push({ note: `${c.name}: ${c.description}` });
    blocks.push({
      table: {
        columns: ["case set", "attribute", "value", "rows", "share in cases", "share in population", "lift"],
        rows: d.cases.flatMap((c) =>
          c.summary.traits.map((t) => [
            c.name,
            t.dimension,
            t.value,
            t.count,
            pct(t.share),
            pct(t.populationShare),
            num(t.lift),
          ]),
        ),
        caption:
          "What the rows in each file have in common: the most over-represented values per attribute (lift > 1).",
      },
    });
  }
  return { id: "cases", heading: "Best, worst and corner cases", blocks };
}

/** Elasticity curves per category. */
export async function elasticitySection(d: AnalysisPageData): Promise<Section> {
  const blocks: Block[] = [];
  if (d.elasticity.length > 0) {
    const pts = d.elasticity.flatMap((e) =>
      e.points.flatMap((p) =>
        num(p.demand) === null ? [] : [{ x: p.relPrice, y: p.demand!, series: e.category }],
      ),
    );
    blocks.push({
      svg: await renderSvg(
        lineChart(pts, {
          title: "Elasticity: predicted median demand vs relative price",
          subtitle: "the refitted median model on sampled test rows, every price feature recomputed",
          xLabel: "price / usual (28-day mean) price",
          yLabel: "mean predicted units per day",
        }),
      ),
    });
    blocks.push({
      table: {
        columns: ["category", "rows", "elasticity (0.8 \u2192 1.2)"],
        rows: d.elasticity.map((e) => [e.category, e.rows, num(e.elasticity)]),
      },
    });
  }
  return { id: "elasticity", heading: "Elasticity curves", blocks };
}

/** Isotonic post-calibration before/after. */
export function isotonicSection(d: AnalysisPageData): Section {
  const iso = d.isotonic;
  const blocks: Block[] = iso
    ? [
        {
          table: {
            columns: [
              "\u03c4",
              "pinball before",
              "pinball after",
              "P(y \u2264 q) before",
              "P(y \u2264 q) after",
            ],
            rows: iso.levels.map((l) => [
              l.level,
              num(l.pinballBefore),
              num(l.pinballAfter),
              num(l.coverageBefore),
              num(l.coverageAfter),
            ]),
            caption: `Fitted on fold(s) ${iso.fitFolds.join(", ")}, applied to fold ${iso.appliedFold}. Worth switching on only where pinball falls.`,
          },
        },
      ]
    : [];
  return { id: "isotonic", heading: "Isotonic post-calibration", blocks };
}
