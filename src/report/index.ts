/** The report stage's public surface: chart builders (Vega-Lite specs), SVG rendering and HTML pages. */
export { type BarOptions, type BarRow, barChart } from "./bar-chart.ts";
export { type Binned, binValues, tailRange } from "./bins.ts";
export { type CalibrationOptions, type CalibrationRow, calibrationChart } from "./calibration-chart.ts";
export { type FanInput, fanChart } from "./fan-chart.ts";
export { escapeHtml, formatNumber } from "./format.ts";
export { type HistogramOptions, histogramChart, histogramFacetChart } from "./histogram-chart.ts";
export { type Block, htmlPage, type Page, type Section, type TableBlock } from "./html.ts";
export { type LineOptions, type LinePoint, lineChart } from "./line-chart.ts";
export { type GroupOptions, type GroupRow, metricByGroupChart } from "./metric-by-group-chart.ts";
export { type HorizonOptions, type HorizonRow, metricByHorizonChart } from "./metric-by-horizon-chart.ts";
export { type MetricCell, type MetricColumn, type MetricTableOptions, metricTable } from "./metric-table.ts";
export { noDataSpec } from "./no-data.ts";
export { type RenderOptions, renderSvg } from "./svg.ts";
export { colorsFor, type ModelColors, modelColors } from "./theme.ts";
