/**
 * One self-contained HTML report page: inline CSS and SVG, a table of contents, no scripts and no external
 * requests (a Content-Security-Policy forbids both), every piece of user text escaped.
 */
import { InputError } from "../core/errors.ts";
import { columnDecimals, escapeHtml, formatFixed, formatNumber } from "./format.ts";
import { PAGE_CSS } from "./page-style.ts";

export { escapeHtml } from "./format.ts";

/** A plain table: cells are escaped; numbers are right-aligned and formatted to three significant digits. */
export interface TableBlock {
  columns: string[];
  rows: (string | number | null | undefined)[][];
  caption?: string;
}

/** What a section holds: trusted HTML, a rendered chart, a table, or a note. */
export type Block =
  | string
  | { svg: string; caption?: string }
  | { table: TableBlock }
  | { note: string; warn?: boolean };

/** One section; `id` is its anchor and must be stable (links and browser tests find sections by it). */
export interface Section {
  id: string;
  heading: string;
  intro?: string;
  blocks: Block[];
}

/** A whole page. `generatedAt` is passed in, never read from the clock, so a page is reproducible. */
export interface Page {
  title: string;
  subtitle?: string;
  generatedAt?: string;
  sections: Section[];
}

const SECTION_ID = /^[a-z][a-z0-9-]*$/;

/** The HTML text of `page`; throws InputError for a bad or repeated section id. */
export function htmlPage(page: Page): string {
  checkIds(page.sections);
  const toc = page.sections.map((s) => `<li><a href="#${s.id}">${escapeHtml(s.heading)}</a></li>`).join("");
  const head = [
    `<header><h1>${escapeHtml(page.title)}</h1>`,
    page.subtitle ? `<p class="subtitle">${escapeHtml(page.subtitle)}</p>` : "",
    page.generatedAt ? `<p class="generated">Generated ${escapeHtml(page.generatedAt)}</p>` : "",
    "</header>",
  ].join("");
  return [
    "<!doctype html>",
    '<html lang="en"><head><meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(page.title)}</title>`,
    `<style>${PAGE_CSS}</style></head>`,
    `<body><div class="page">${head}`,
    page.sections.length > 0 ? `<nav class="toc"><h2>Contents</h2><ol>${toc}</ol></nav>` : "",
    `<main>${page.sections.map(renderSection).join("\n")}</main>`,
    "</div></body></html>\n",
  ].join("\n");
}

function renderSection(s: Section): string {
  const intro = s.intro ? `<p class="intro">${escapeHtml(s.intro)}</p>` : "";
  const body =
    s.blocks.length > 0 ? renderBlocks(s.blocks) : `<p class="no-data">No data for this section.</p>`;
  return `<section class="report-section" id="${s.id}" data-section="${s.id}"><h2>${escapeHtml(s.heading)}</h2>${intro}${body}</section>`;
}

/** Consecutive charts share one wrapping row, so small charts sit side by side on wide screens. */
function renderBlocks(blocks: Block[]): string {
  const out: string[] = [];
  let figures: string[] = [];
  const flush = () => {
    if (figures.length > 0) out.push(`<div class="figures">${figures.join("")}</div>`);
    figures = [];
  };
  for (const b of blocks) {
    if (typeof b === "object" && "svg" in b) {
      const caption = b.caption ? `<figcaption>${escapeHtml(b.caption)}</figcaption>` : "";
      figures.push(`<figure class="chart">${b.svg}${caption}</figure>`);
      continue;
    }
    flush();
    if (typeof b === "string") out.push(b);
    else if ("table" in b) out.push(renderTable(b.table));
    else out.push(`<p class="note${b.warn ? " warn" : ""}">${escapeHtml(b.note)}</p>`);
  }
  flush();
  return out.join("\n");
}

function renderTable(t: TableBlock): string {
  if (t.rows.length === 0) {
    const what = t.caption ? `${escapeHtml(t.caption)}: ` : "";
    return `<p class="no-data">${what}No data: the table has no rows.</p>`;
  }
  // Per column: numbers share one number of decimals so digits line up; numeric headers align right with them.
  const formats = t.columns.map((_, i) => columnFormat(t.rows.map((r) => r[i])));
  const head = t.columns
    .map((c, i) => `<th scope="col"${formats[i] ? ' class="num"' : ""}>${escapeHtml(c)}</th>`)
    .join("");
  const rows = t.rows
    .map((r) => `<tr>${t.columns.map((_, i) => renderCell(r[i], formats[i])).join("")}</tr>`)
    .join("");
  const caption = t.caption ? `<caption>${escapeHtml(t.caption)}</caption>` : "";
  return `<div class="table-wrap"><table>${caption}<thead><tr>${head}</tr></thead><tbody>${rows}</tbody></table></div>`;
}

/** A formatter when every present cell of the column is a number (integers in full, else shared decimals). */
function columnFormat(cells: (string | number | null | undefined)[]): ((v: number) => string) | undefined {
  const present = cells.filter((c) => c !== null && c !== undefined);
  if (present.length === 0 || !present.every((c) => typeof c === "number")) return undefined;
  const nums = present as number[];
  if (nums.every((v) => Number.isInteger(v))) return (v) => formatNumber(v);
  const decimals = columnDecimals(nums);
  return (v) => formatFixed(v, decimals);
}

function renderCell(v: string | number | null | undefined, format?: (v: number) => string): string {
  if (typeof v === "number") return `<td class="num">${(format ?? formatNumber)(v)}</td>`;
  if (v === null || v === undefined) return `<td class="num missing">\u2013</td>`;
  return `<td>${escapeHtml(v)}</td>`;
}

function checkIds(sections: Section[]): void {
  const seen = new Set<string>();
  sections.forEach((s, i) => {
    const where = { file: `report section #${i + 1} ("${s.heading}")`, column: "id" };
    if (!SECTION_ID.test(s.id))
      throw new InputError(
        `id "${s.id}" must be lowercase letters, digits and dashes, starting with a letter`,
        where,
      );
    if (seen.has(s.id))
      throw new InputError(`id "${s.id}" is used twice; give each section its own id`, where);
    seen.add(s.id);
  });
}
