/**
 * Best, worst and corner cases of the main model on the CV table, each written as a CSV (one row per forecast:
 * store, product, date, horizon, actual, quantiles, residual of the median, attributes) with a summary of what
 * its rows have in common against the population.
 */
import { formatDay } from "../core/days.ts";
import { pinball } from "../metrics/pinball.ts";
import type { CvTable } from "../validation/backtest.ts";
import { caseTraits } from "./case-traits.ts";
import type { RowAttributes } from "./row-attributes.ts";
import type { CaseSet } from "./types.ts";

/** A case set's definition: which rows belong, and how the CSV orders them (most telling first). */
interface CaseRule {
  name: string;
  description: string;
  member: (k: number) => boolean;
  /** Larger first. */
  score: (k: number) => number;
}

/** Every case set of the main model's rows; `maxRows` caps each CSV. */
export function caseSets(
  cv: CvTable,
  attrs: RowAttributes,
  daily: { storeId: string[]; productId: string[] },
  maxRows: number,
): CaseSet[] {
  const { idx } = attrs;
  const n = idx.length;
  const levels = cv.levels;
  const median = Math.max(0, levels.indexOf(0.5));
  const loss = new Float64Array(n);
  const resid = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const r = idx[k]!;
    let s = 0;
    for (let l = 0; l < levels.length; l++) s += pinball(cv.actual[r]!, cv.q[l]![r]!, levels[l]!);
    loss[k] = s / levels.length;
    resid[k] = cv.actual[r]! - cv.q[median]![r]!;
  }
  const seriesRank = rankSeries(cv, attrs, loss);
  const worstSeries = new Set(seriesRank.slice(-5));
  const bestSeries = new Set(seriesRank.slice(0, 5));
  const lastFold = cv.folds.length - 1;
  const inLast = (k: number) => cv.fold[idx[k]!] === lastFold;
  const labels = attrs.labels;
  const rules: CaseRule[] = [
    {
      name: "under-forecast",
      description: "largest positive residuals (actual far above the median forecast): lost sales",
      member: (k) => resid[k]! > 0,
      score: (k) => resid[k]!,
    },
    {
      name: "over-forecast",
      description: "largest negative residuals (actual far below the median forecast): excess stock",
      member: (k) => resid[k]! < 0,
      score: (k) => -resid[k]!,
    },
    {
      name: "worst-series",
      description: "the 5 series with the highest scaled pinball over all folds (their last-fold rows)",
      member: (k) => worstSeries.has(cv.series[idx[k]!]!) && inLast(k),
      score: (k) => loss[k]!,
    },
    {
      name: "best-series",
      description:
        "the 5 series with the lowest scaled pinball over all folds, among series that sell (last fold)",
      member: (k) => bestSeries.has(cv.series[idx[k]!]!) && inLast(k),
      score: (k) => -loss[k]!,
    },
    corner(
      "short-history",
      "series with under 91 days of history at the origin",
      (k) => attrs.historyDays[k]! < 91,
    ),
    corner("high-price", "series in the top price tercile", (k) => labels.price_band?.[k] === "high"),
    corner("low-price", "series in the bottom price tercile", (k) => labels.price_band?.[k] === "low"),
    corner("weekend", "target day on a Saturday or Sunday", (k) => attrs.weekend[k] === 1),
    corner("holiday", "target day on a named event or holiday", (k) => attrs.event[k] === 1),
    corner("promo", "target day on promotion", (k) => attrs.promo[k] === 1),
  ];
  let population = 0;
  for (let k = 0; k < n; k++) population += loss[k]!;
  const populationPinball = n > 0 ? population / n : Number.NaN;

  function corner(name: string, what: string, member: (k: number) => boolean): CaseRule {
    return { name, description: `${what}: its worst rows by mean pinball`, member, score: (k) => loss[k]! };
  }

  return rules.map((rule) => {
    const members: number[] = [];
    for (let k = 0; k < n; k++) if (rule.member(k)) members.push(k);
    let meanLoss = 0;
    let meanRes = 0;
    let covered = 0;
    const q95 = levels.indexOf(0.95);
    for (const k of members) {
      meanLoss += loss[k]!;
      meanRes += resid[k]!;
      if (q95 >= 0 && cv.actual[idx[k]!]! <= cv.q[q95]![idx[k]!]!) covered++;
    }
    const m = members.length;
    const chosen = members
      .map((k) => ({ k, s: rule.score(k) }))
      .sort((a, b) => b.s - a.s || a.k - b.k)
      .slice(0, maxRows)
      .map((x) => x.k);
    return {
      name: rule.name,
      description: rule.description,
      csv: caseCsv(cv, attrs, daily, chosen, resid),
      summary: {
        matching: m,
        rows: chosen.length,
        meanPinball: m > 0 ? meanLoss / m : null,
        populationPinball,
        meanResidual: m > 0 ? meanRes / m : null,
        coverage95: m > 0 && q95 >= 0 ? covered / m : null,
        traits: caseTraits(labels, chosen),
      },
    };
  });
}

/** Series ordered by scaled pinball (sum of loss / sum of actuals), best first; series without sales left out. */
function rankSeries(cv: CvTable, attrs: RowAttributes, loss: Float64Array): number[] {
  const sumLoss = new Map<number, number>();
  const sumY = new Map<number, number>();
  attrs.idx.forEach((r, k) => {
    const i = cv.series[r]!;
    sumLoss.set(i, (sumLoss.get(i) ?? 0) + loss[k]!);
    sumY.set(i, (sumY.get(i) ?? 0) + cv.actual[r]!);
  });
  return [...sumLoss.keys()]
    .filter((i) => sumY.get(i)! > 0)
    .map((i) => ({ i, v: sumLoss.get(i)! / sumY.get(i)! }))
    .sort((a, b) => a.v - b.v || a.i - b.i)
    .map((x) => x.i);
}

const fmt = (v: number) => (Number.isNaN(v) ? "" : String(Math.round(v * 1000) / 1000));

/** CSV text of the chosen rows; text fields quoted where they need it. */
export function caseCsv(
  cv: CvTable,
  attrs: RowAttributes,
  daily: { storeId: string[]; productId: string[] },
  chosen: number[],
  resid: Float64Array,
): string {
  const qCols = cv.levels.map((l) => `q${l}`);
  const dims = Object.keys(attrs.labels);
  const head = [
    "store_id",
    "product_id",
    "date",
    "horizon",
    "fold",
    "actual",
    ...qCols,
    "residual",
    "price",
    "weekend",
    "holiday",
    "promo",
    "history_days",
    ...dims,
  ];
  const lines = [head.join(",")];
  for (const k of chosen) {
    const r = attrs.idx[k]!;
    const i = cv.series[r]!;
    lines.push(
      [
        csvText(daily.storeId[i]!),
        csvText(daily.productId[i]!),
        formatDay(attrs.day[k]!),
        cv.horizon[r]!,
        cv.fold[r]!,
        fmt(cv.actual[r]!),
        ...cv.levels.map((_, l) => fmt(cv.q[l]![r]!)),
        fmt(resid[k]!),
        fmt(cv.price[r]!),
        attrs.weekend[k]!,
        attrs.event[k]!,
        attrs.promo[k]!,
        attrs.historyDays[k]!,
        ...dims.map((d) => csvText(attrs.labels[d]![k]!)),
      ].join(","),
    );
  }
  return `${lines.join("\n")}\n`;
}

function csvText(s: string): string {
  return /[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}
