/**
 * Learning curves by model complexity and by data size, on the last fold: variants of the main model that drop
 * longer lags or longer windows (the features are selected by their generated names, which is what building them
 * with fewer lags/windows gives), change the number of leaves, or see a share of the training rows; each fitted at
 * equal effort and scored on the fold's test window.
 */
import type { Booster } from "../gbdt/booster.ts";
import type { Dataset } from "../gbdt/dataset.ts";
import { type FitOptions, fitLevels, scoreLevels } from "./fit-levels.ts";
import { type LastFoldData, type RowSet, selectRows } from "./last-fold-data.ts";
import type { VariantScore } from "./types.ts";

/** One complexity variant: which features it keeps and its leaves. */
export interface ComplexityVariant {
  dimension: "lags" | "windows" | "leaves";
  variant: string;
  keep: (name: string) => boolean;
  maxLeaves?: number;
}

const LAG = /^demand_lag(\d+)$/;
const WINDOW = /^demand_[a-z0-9_]+_w(\d+)$/;

/**
 * The variants, most informative first (one per dimension before the second of any): lags up to 7 and 14,
 * windows up to 28 days, 15 and 255 leaves (or whichever of 15/63/255 the main model does not use).
 */
export function complexityVariants(names: string[], mainLeaves: number): ComplexityVariant[] {
  const lags = names.flatMap((n) => {
    const m = LAG.exec(n);
    return m ? [Number(m[1])] : [];
  });
  const maxLag = Math.max(0, ...lags);
  const lagVariant = (limit: number): ComplexityVariant => ({
    dimension: "lags",
    variant: `lags <= ${limit}`,
    keep: (n) => {
      const m = LAG.exec(n);
      return !m || Number(m[1]) <= limit;
    },
  });
  const windows: ComplexityVariant = {
    dimension: "windows",
    variant: "windows <= 28 days",
    // Only the demand history windows: store volume, penetration and elasticity are kept as they are.
    keep: (n) => {
      const m = WINDOW.exec(n);
      return !m || n.startsWith("demand_known_share") || Number(m[1]) <= 28;
    },
  };
  const leaves = [15, 63, 255]
    .filter((l) => l !== mainLeaves)
    .map(
      (l): ComplexityVariant => ({
        dimension: "leaves",
        variant: `${l} leaves`,
        keep: () => true,
        maxLeaves: l,
      }),
    );
  const out: ComplexityVariant[] = [];
  const lagLimits = [7, 14].filter((l) => l < maxLag);
  if (lagLimits[0] !== undefined) out.push(lagVariant(lagLimits[0]));
  out.push(windows);
  if (leaves[0]) out.push(leaves[0]);
  if (lagLimits[1] !== undefined) out.push(lagVariant(lagLimits[1]));
  if (leaves[1]) out.push(leaves[1]);
  return out;
}

/** Columns of a row set restricted to the features `keep` accepts. */
function keepColumns(data: RowSet, names: string[], keep: (n: string) => boolean): RowSet {
  return { ...data, columns: data.columns.filter((_, f) => keep(names[f]!)) };
}

/** The main variant's score (from already fitted boosters) and every complexity variant's. */
export async function complexityScores(
  data: LastFoldData,
  levels: readonly number[],
  reference: { boosters: Booster[] },
  o: FitOptions & { mainLeaves: number; limit: number },
): Promise<VariantScore[]> {
  const main = scoreLevels(reference.boosters, levels, data.test);
  const out: VariantScore[] = [
    {
      dimension: "main",
      variant: `main (${o.mainLeaves} leaves)`,
      features: data.names.length,
      trainRows: data.fit.target.length,
      ...main,
      isMain: true,
    },
  ];
  for (const v of complexityVariants(data.names, o.mainLeaves).slice(0, o.limit)) {
    const names = data.names.filter(v.keep);
    const categorical = data.categorical.filter((c) => names.includes(c));
    const { boosters } = await fitLevels(keepColumns(data.fit, data.names, v.keep), levels, {
      ...o,
      names,
      categorical,
      reference: undefined,
      params: { ...o.params, ...(v.maxLeaves ? { maxLeaves: v.maxLeaves } : {}) },
    });
    const s = scoreLevels(boosters, levels, keepColumns(data.test, data.names, v.keep));
    out.push({
      dimension: v.dimension,
      variant: v.variant,
      features: names.length,
      trainRows: data.fit.target.length,
      ...s,
      isMain: false,
    });
  }
  return out;
}

/** Scores of the model fitted on each share of the fit rows (share 1 is the reference model). */
export async function dataSizeScores(
  data: LastFoldData,
  levels: readonly number[],
  reference: { boosters: Booster[]; dataset: Dataset },
  shares: number[],
  o: FitOptions,
): Promise<VariantScore[]> {
  const out: VariantScore[] = [];
  const n = data.fit.target.length;
  for (const share of [...shares].sort((a, b) => a - b)) {
    if (share >= 1) {
      out.push({
        dimension: "rows",
        variant: "100% of rows",
        features: data.names.length,
        trainRows: n,
        ...scoreLevels(reference.boosters, levels, data.test),
        isMain: true,
      });
      continue;
    }
    // A time-stratified share: every k-th row keeps the spread of origins and series (the rows are sorted).
    const keep: number[] = [];
    for (let r = 0; r < n; r++) if (Math.floor((r + 1) * share) > Math.floor(r * share)) keep.push(r);
    const subset = selectRows(data.fit, keep);
    const { boosters } = await fitLevels(subset, levels, { ...o, reference: reference.dataset });
    out.push({
      dimension: "rows",
      variant: `${Math.round(share * 100)}% of rows`,
      features: data.names.length,
      trainRows: keep.length,
      ...scoreLevels(boosters, levels, data.test),
      isMain: false,
    });
  }
  return out;
}
