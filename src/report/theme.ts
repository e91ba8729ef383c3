/**
 * The house look of every chart: one font stack, readable sizes, quiet grids, and a colour per model that stays
 * the same in every chart of a report (the caller passes the model list once; order decides the colour).
 */
import type { Config } from "vega-lite";

/** System fonts only: reports make no external requests, and these exist on every desktop. */
export const FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif";

/**
 * Okabe-Ito (safe for the common colour-vision deficiencies) without its yellow, which vanishes on white;
 * then darker Tableau tones for reports with more than eight models.
 */
export const MODEL_PALETTE: readonly string[] = [
  "#0072B2",
  "#E69F00",
  "#009E73",
  "#D55E00",
  "#CC79A7",
  "#56B4E9",
  "#666666",
  "#000000",
  "#8c564b",
  "#17becf",
  "#bcbd22",
  "#7f3c8d",
];

/** Fan charts: blue bands (outer lighter), dark blue median, an orange dashed line for other levels (q0.95). */
export const BAND_COLORS = {
  outer: "#c6dbef",
  inner: "#6baed6",
  median: "#08519c",
  extra: "#d94801",
  actual: "#111111",
} as const;

/** A fixed model -> colour assignment, as the domain/range pair a Vega-Lite colour scale takes. */
export interface ModelColors {
  domain: string[];
  range: string[];
}

/** Colours for `models` in the order given (pass the report's full model list so colours agree across charts). */
export function modelColors(models: readonly string[]): ModelColors {
  const domain = [...new Set(models)];
  return { domain, range: domain.map((_, i) => MODEL_PALETTE[i % MODEL_PALETTE.length]!) };
}

/** The given colours, or colours for the sorted distinct names in the data (stable for the same set of names). */
export function colorsFor(names: Iterable<string>, given?: ModelColors): ModelColors {
  if (!given) return modelColors([...new Set(names)].sort());
  const missing = [...new Set(names)].filter((n) => !given.domain.includes(n)).sort();
  if (missing.length === 0) return given;
  // A name the caller forgot still gets a colour, after theirs, instead of Vega's silent grey.
  return modelColors([...given.domain, ...missing]);
}

/** The Vega-Lite colour encoding of the `model` field: each model its fixed colour on every chart of a page. */
export function modelColorEncoding(colors: ModelColors) {
  return {
    field: "model",
    type: "nominal",
    title: "model",
    scale: { domain: colors.domain, range: colors.range },
  } as const;
}

/** Default size of a single plot area, in CSS pixels. */
export const PLOT = { width: 520, height: 260 } as const;

/** Vega-Lite config merged under every spec by renderSvg. */
export const HOUSE_CONFIG: Config = {
  font: FONT,
  background: "white",
  padding: 8,
  view: { stroke: null, continuousWidth: PLOT.width, continuousHeight: PLOT.height },
  title: {
    fontSize: 14,
    fontWeight: 600,
    anchor: "start",
    color: "#1a1a1a",
    subtitleFontSize: 11,
    subtitleColor: "#555555",
    offset: 10,
  },
  axis: {
    labelFontSize: 11,
    titleFontSize: 12,
    titleFontWeight: 500,
    titleColor: "#333333",
    labelColor: "#444444",
    gridColor: "#ececec",
    domainColor: "#999999",
    tickColor: "#999999",
    labelLimit: 200,
    titlePadding: 8,
    labelOverlap: true,
  },
  legend: {
    labelFontSize: 11,
    titleFontSize: 11,
    titleFontWeight: 600,
    labelLimit: 240,
    symbolStrokeWidth: 2,
  },
  header: { labelFontSize: 12, labelFontWeight: 600, titleFontSize: 12 },
  line: { strokeWidth: 2 },
  point: { size: 42, filled: true },
  range: { category: [...MODEL_PALETTE] },
};
