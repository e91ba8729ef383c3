/** The stylesheet inlined into every report page: readable on screen, and clean when printed to PDF. */
import { FONT } from "./theme.ts";

/** CSS of htmlPage (inlined: reports make no external requests). */
export const PAGE_CSS = `
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { font-family: ${FONT}; color: #1a1a1a; background: #fafafa; margin: 0; line-height: 1.45; font-size: 15px; }
.page { max-width: 1240px; margin: 0 auto; padding: 24px 32px 64px; background: white; }
header h1 { font-size: 26px; margin: 8px 0 4px; }
header .subtitle { font-size: 16px; color: #444; margin: 0 0 4px; }
header .generated { font-size: 12px; color: #777; margin: 0; }
nav.toc { margin: 20px 0 8px; padding: 12px 16px; background: #f4f6f8; border-radius: 6px; }
nav.toc h2 { font-size: 13px; text-transform: uppercase; letter-spacing: .05em; color: #555; margin: 0 0 6px; }
nav.toc ol { margin: 0; padding-left: 22px; columns: 2; column-gap: 32px; }
nav.toc a { color: #0b5cad; text-decoration: none; }
nav.toc a:hover { text-decoration: underline; }
section.report-section { margin-top: 36px; border-top: 1px solid #e3e3e3; padding-top: 12px; }
section.report-section > h2 { font-size: 20px; margin: 6px 0 8px; }
.intro { color: #333; max-width: 80ch; }
.figures { display: flex; flex-wrap: wrap; gap: 16px 24px; align-items: flex-start; margin: 12px 0; }
figure.chart { margin: 0; max-width: 100%; }
figure.chart svg { max-width: 100%; height: auto; display: block; }
figure.chart figcaption { font-size: 13px; color: #555; margin-top: 4px; max-width: 70ch; }
.table-wrap { overflow-x: auto; margin: 12px 0; }
table { border-collapse: collapse; font-size: 13px; }
caption { text-align: left; font-weight: 600; padding: 0 0 6px; }
th, td { padding: 5px 10px; border-bottom: 1px solid #e6e6e6; text-align: left; vertical-align: top; }
thead th { border-bottom: 2px solid #bbb; background: #f7f7f7; white-space: nowrap; }
th.num { text-align: right; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.missing { color: #999; }
tbody tr:nth-child(even) { background: #fbfbfb; }
.metric-table td.best { background: #eef6ee; }
.metric-table .v, .metric-table .ci { display: block; }
.metric-table .ci { color: #666; font-size: 11px; }
.metric-table tbody th { white-space: nowrap; }
.metric-table .ratio { color: #0b5cad; font-size: 12px; margin-left: 4px; }
.metric-table .dir { color: #888; font-weight: normal; }
.table-note { font-size: 12px; color: #666; margin: 6px 0 0; }
.note { border-left: 4px solid #6baed6; background: #f3f8fc; padding: 8px 12px; margin: 12px 0; max-width: 90ch; }
.note.warn { border-left-color: #e69f00; background: #fdf7ea; }
.no-data { color: #777; font-style: italic; }
@media print {
  body { background: white; font-size: 11pt; }
  .page { max-width: none; padding: 0; }
  nav.toc { break-after: page; background: none; border: 1px solid #ccc; }
  nav.toc a { color: inherit; }
  section.report-section { break-before: auto; }
  section.report-section > h2 { break-after: avoid; }
  figure.chart, .table-wrap, tr { break-inside: avoid; }
  .table-wrap { overflow: visible; }
}
`;
