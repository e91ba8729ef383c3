/**
 * The error-analysis page of a training run (analysis.html): learning curves, residuals, calibration, cases,
 * elasticity and post-calibration, drawn from the plain data of analysis.json.
 */
import type { AnalysisPageData } from "./analysis-page-data.ts";
import {
  calibrationSection,
  casesSection,
  curvesSection,
  elasticitySection,
  isotonicSection,
  residualsSection,
  variantsSection,
} from "./analysis-sections.ts";
import { htmlPage, type Section } from "./html.ts";

export type { AnalysisPageData } from "./analysis-page-data.ts";

/** The HTML of analysis.html; `generatedAt` is passed in so the page is reproducible. */
export async function analysisPage(data: AnalysisPageData, generatedAt: string): Promise<string> {
  const last = data.folds[data.folds.length - 1];
  const overview: Section = {
    id: "overview",
    heading: "Run",
    intro:
      "What the analysis read: the main model's rows of the outer-fold CV table (residuals, calibration, cases, post-calibration) and models refitted on the last fold's training window with a small fixed budget (curves, variants, elasticity).",
    blocks: [
      {
        table: {
          columns: ["what", "value"],
          rows: [
            ["main model", data.mainModel],
            ["quantile levels", data.levels.join(", ")],
            ["outer folds", data.folds.length],
            [
              "last fold",
              last ? `origin ${last.origin}, training ${last.trainStart} .. ${last.trainEnd}` : "none",
            ],
            ["CV rows of the main model", data.rows],
            ["actuals", data.actualSource === "truth" ? "true demand (simulator)" : "observed demand"],
          ],
        },
      },
      ...data.notes.map((note) => ({ note, warn: true })),
      {
        table: {
          columns: ["step", "seconds"],
          rows: Object.entries(data.timings).map(([k, v]) => [k, v]),
          caption: "Time per step",
        },
      },
    ],
  };
  const sections: Section[] = [
    overview,
    await curvesSection(data),
    ...(await variantsSection(data)),
    await residualsSection(data),
    ...(await calibrationSection(data)),
    casesSection(data),
    await elasticitySection(data),
    isotonicSection(data),
  ];
  return htmlPage({
    title: `Error analysis: ${data.mainModel}`,
    subtitle: `${data.folds.length} outer folds, ${data.rows.toLocaleString("en-US")} forecast rows`,
    generatedAt,
    sections,
  });
}
