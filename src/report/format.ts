/** Text helpers shared by the HTML builders: escaping of user text and number formatting. */

const HTML_ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/** Escape text for HTML element content and quoted attribute values. Every piece of user text goes through it. */
export function escapeHtml(text: unknown): string {
  return String(text ?? "").replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);
}

/** Shown where a number is missing, NaN or infinite. */
export const MISSING = "–";

/** Integers in full; other numbers with about `significant` significant digits; missing values as a dash. */
export function formatNumber(v: number | null | undefined, significant = 3): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return MISSING;
  if (Number.isInteger(v)) return v.toLocaleString("en-US");
  const abs = Math.abs(v);
  if (abs >= 10 ** significant) return Math.round(v).toLocaleString("en-US");
  if (abs < 1e-4) return v.toExponential(significant - 1);
  return v.toFixed(decimalsFor(abs, significant));
}

/**
 * Decimals for a table column: the median magnitude keeps `significant` digits (at most 6), so every cell of the
 * column has the same decimals and the digits line up, without one tiny or huge value setting the precision.
 */
export function columnDecimals(values: readonly number[], significant = 3): number {
  const mags = values
    .filter((v) => Number.isFinite(v) && v !== 0)
    .map(Math.abs)
    .sort((a, b) => a - b);
  if (mags.length === 0) return 0;
  return Math.min(6, decimalsFor(mags[Math.floor(mags.length / 2)]!, significant));
}

/** A number with a fixed number of decimals (a table column reads best aligned); missing values as a dash. */
export function formatFixed(v: number | null | undefined, decimals: number): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return MISSING;
  const s = v.toFixed(decimals);
  return Math.abs(v) >= 1000 ? Number(s).toLocaleString("en-US", { minimumFractionDigits: decimals }) : s;
}

function decimalsFor(abs: number, significant: number): number {
  return Math.max(0, significant - 1 - Math.floor(Math.log10(abs)));
}
