/**
 * The headline table: models as rows, metrics as columns, each cell `value [lo, hi]`, the best value per column
 * in bold. "Best" needs a direction, so each metric says whether higher is better or which target it aims at
 * (coverage aims at its level); a metric with neither gets no bold rather than a guess.
 */
import { columnDecimals, escapeHtml, formatFixed } from "./format.ts";

/** One model's value of one metric, with its confidence interval when known. */
export interface MetricCell {
  model: string;
  metric: string;
  value: number;
  lo?: number | null;
  hi?: number | null;
}

/** How a metric column reads. */
export interface MetricColumn {
  name: string;
  label?: string;
  higherIsBetter?: boolean;
  /** Best is closest to this value (e.g. 0.95 for coverage of the 0.95 quantile); wins over higherIsBetter. */
  target?: number;
  /** Decimals shown; default: three significant digits of the column's largest value. */
  decimals?: number;
  /** Show the ratio to the reference model (default: yes unless the metric has a target, e.g. bias). */
  ratio?: boolean;
}

/** Options of metricTable. */
export interface MetricTableOptions {
  /** Columns in order; default: metrics in order of first appearance, without a direction. */
  metrics?: MetricColumn[];
  /** Row order; default: order of first appearance. */
  models?: string[];
  /** Also show each value as a ratio to this model's value (point estimates only). */
  reference?: string;
  caption?: string;
}

/** An HTML table (trusted HTML block for htmlPage); a "no data" paragraph when there are no rows. */
export function metricTable(rows: readonly MetricCell[], options: MetricTableOptions = {}): string {
  if (rows.length === 0) return `<p class="no-data">No data: no metric values to tabulate.</p>`;
  const models = options.models ?? [...new Set(rows.map((r) => r.model))];
  const columns: MetricColumn[] =
    options.metrics ?? [...new Set(rows.map((r) => r.metric))].map((name) => ({ name }));
  const cell = new Map(rows.map((r) => [`${r.model}\u0000${r.metric}`, r]));
  const get = (model: string, metric: string) => cell.get(`${model}\u0000${metric}`);
  let anySeparated = false;
  const body = models.map((model) => {
    const tds = columns.map((col) => {
      const r = get(model, col.name);
      if (!r || !Number.isFinite(r.value)) return `<td class="num missing">\u2013</td>`;
      const inCol = models
        .map((m) => get(m, col.name))
        .filter((c): c is MetricCell => !!c && Number.isFinite(c.value));
      const decimals = col.decimals ?? columnDecimals(inCol.map((c) => c.value));
      const best = bestOf(inCol, col);
      const isBest = best.includes(r);
      const separated = isBest && best.length === 1 && col.target === undefined && ciSeparated(r, inCol);
      anySeparated ||= separated;
      const ci =
        isFiniteNum(r.lo) && isFiniteNum(r.hi)
          ? `<span class="ci">[${formatFixed(r.lo, decimals)}, ${formatFixed(r.hi, decimals)}]</span>`
          : "";
      const wantRatio = col.ratio ?? col.target === undefined;
      const ref = options.reference && wantRatio ? get(options.reference, col.name) : undefined;
      const ratio =
        ref && ref.model !== model && Number.isFinite(ref.value) && ref.value !== 0
          ? ` <span class="ratio">\u00d7${(r.value / ref.value).toFixed(2)}</span>`
          : "";
      const v = `${formatFixed(r.value, decimals)}${separated ? "\u2020" : ""}`;
      // Value and ratio on one line, the interval below it: keeps columns narrow enough for six metrics.
      const shown = isBest ? `<strong>${v}</strong>` : v;
      return `<td class="num${isBest ? " best" : ""}"><span class="v">${shown}${ratio}</span>${ci}</td>`;
    });
    return `<tr><th scope="row">${escapeHtml(model)}</th>${tds.join("")}</tr>`;
  });
  const head = columns
    .map((c) => `<th scope="col">${escapeHtml(c.label ?? c.name)}${arrow(c)}</th>`)
    .join("");
  const notes = [
    "Bold: best in the column (\u2193 lower is better, \u2191 higher is better, \u2192x closest to x).",
    "Brackets: 95% confidence interval.",
    anySeparated ? "\u2020 its interval overlaps no other model's." : "",
    options.reference ? `\u00d7: ratio to ${escapeHtml(options.reference)} (point estimates).` : "",
  ].filter(Boolean);
  const caption = options.caption ? `<caption>${escapeHtml(options.caption)}</caption>` : "";
  return [
    `<div class="table-wrap"><table class="metric-table">${caption}`,
    `<thead><tr><th scope="col">model</th>${head}</tr></thead>`,
    `<tbody>${body.join("")}</tbody></table>`,
    `<p class="table-note">${notes.join(" ")}</p></div>`,
  ].join("");
}

function bestOf(cells: MetricCell[], col: MetricColumn): MetricCell[] {
  if (cells.length === 0) return [];
  let score: (c: MetricCell) => number;
  if (col.target !== undefined) score = (c) => -Math.abs(c.value - col.target!);
  else if (col.higherIsBetter !== undefined) score = (c) => (col.higherIsBetter ? c.value : -c.value);
  else return [];
  const top = Math.max(...cells.map(score));
  return cells.filter((c) => score(c) === top);
}

/** The best model's interval is disjoint from every other model's (all must have intervals). */
function ciSeparated(best: MetricCell, cells: MetricCell[]): boolean {
  if (cells.length < 2 || !cells.every((c) => isFiniteNum(c.lo) && isFiniteNum(c.hi))) return false;
  return cells.every((c) => c === best || c.hi! < best.lo! || c.lo! > best.hi!);
}

function arrow(col: MetricColumn): string {
  if (col.target !== undefined) return ` <span class="dir">\u2192${escapeHtml(col.target)}</span>`;
  if (col.higherIsBetter === undefined) return "";
  return ` <span class="dir">${col.higherIsBetter ? "\u2191" : "\u2193"}</span>`;
}

function isFiniteNum(v: number | null | undefined): v is number {
  return typeof v === "number" && Number.isFinite(v);
}
