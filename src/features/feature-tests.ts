/**
 * Feature tests (SPEC §6, issue #6 item 6). Before training, `checkFeatures` reads the feature matrix: value ranges
 * and infinities, missing shares, constant columns, outliers, pairwise correlation and the time each feature group
 * took. After training, `checkFeatureUse` lists features no model split on. Each finding is an issue with a code;
 * the codes in `limits.failOn` fail the run (default: no rows, infinities, out-of-range values) and the rest warn.
 */
import type { FeatureTestLimits } from "../config/feature-tests.ts";
import { InputError } from "../core/errors.ts";
import type { FeatureMatrix } from "./build.ts";
import { FEATURE_GROUPS, featureGroup } from "./feature-groups.ts";
import { featureRange } from "./feature-tests-ranges.ts";
import {
  type ColumnStats,
  type CorrelatedPair,
  columnStats,
  correlatedPairs,
  outlierShare,
  strideSample,
} from "./feature-tests-stats.ts";

export type { FeatureTestLimits } from "../config/feature-tests.ts";

/** Code of a feature-test finding. */
export type FeatureTestCode = FeatureTestLimits["failOn"][number];

/** One finding (a DataIssue-like record about a feature, a pair of features or a feature group). */
export interface FeatureTestIssue {
  code: FeatureTestCode;
  /** "error" when the code is in failOn (the run fails), else "warning". */
  severity: "error" | "warning";
  /** The feature (for slow_group: the group; for no_rows: "*"). */
  feature: string;
  /** The other feature of a correlated pair. */
  other?: string;
  /** What was wrong and what to do. */
  message: string;
  /** The measured value (share, count, correlation, microseconds per row...). */
  value: number;
  /** The limit it broke. */
  limit: number;
}

/** Statistics of one feature (over all rows; outlierShare on the row sample). */
export interface FeatureStat extends ColumnStats {
  name: string;
  group: string;
  categorical: boolean;
  /** Valid range (null bound: unbounded). */
  validMin: number | null;
  validMax: number | null;
  outlierShare: number;
  constant: boolean;
}

/** Time spent on one feature group. */
export interface GroupTiming {
  group: string;
  ms: number;
  usPerRow: number;
  budgetUs: number;
}

/** The result of a feature test run: ok = no issue whose code is in failOn. */
export interface FeatureTestReport {
  ok: boolean;
  stage: "before" | "after";
  rows: number;
  issues: FeatureTestIssue[];
  /** Before training: one entry per feature. */
  stats: FeatureStat[];
  /** Before training: time per feature group (empty when the matrix carries no timings). */
  groups: GroupTiming[];
  /** After training: split count of each feature summed over the models. */
  use: { name: string; splits: number }[];
}

/** Checks a feature matrix before training (see the file comment; limits from the featureTests config). */
export function checkFeatures(m: FeatureMatrix, limits: FeatureTestLimits): FeatureTestReport {
  const n = m.target.length;
  const issues: Omit<FeatureTestIssue, "severity">[] = [];
  if (n === 0) {
    issues.push({
      code: "no_rows",
      feature: "*",
      message: "the feature matrix has no rows: check the training window and the data end",
      value: 0,
      limit: 1,
    });
  }
  const sample = strideSample(n, limits.sampleRows);
  const cat = new Set(m.categorical);
  const stats: FeatureStat[] = m.names.map((name, f) => {
    const col = m.columns[f]!;
    const categorical = cat.has(name);
    const range = featureRange(name, categorical);
    const s = columnStats(col, range);
    const bounded = Number.isFinite(range.min) && Number.isFinite(range.max);
    // Bounded and categorical features have no tail to speak of: their range check is the test.
    const outliers = categorical || bounded ? 0 : outlierShare(col, sample, limits.outlierZ, range.min >= 0);
    return {
      name,
      group: featureGroup(name),
      categorical,
      validMin: Number.isFinite(range.min) ? range.min : null,
      validMax: Number.isFinite(range.max) ? range.max : null,
      ...s,
      outlierShare: outliers,
      constant: n > 0 && !(s.max > s.min),
    };
  });
  for (const s of stats) {
    const where = s.firstBadRow >= 0 ? ` (first at row ${s.firstBadRow})` : "";
    if (s.nonFinite > 0) {
      issues.push({
        code: "non_finite",
        feature: s.name,
        message: `${s.nonFinite} infinite values${where}: a division by zero in the feature's computation`,
        value: s.nonFinite,
        limit: 0,
      });
    }
    if (s.outOfRange > 0) {
      issues.push({
        code: "out_of_range",
        feature: s.name,
        message: `${s.outOfRange} values outside the valid range [${s.validMin ?? "-inf"}, ${s.validMax ?? "inf"}]${where} (min ${s.min}, max ${s.max}): check the source data and the feature's definition`,
        value: s.outOfRange,
        limit: 0,
      });
    }
    if (n > 0 && s.missingShare > limits.maxMissingShare) {
      issues.push({
        code: "mostly_missing",
        feature: s.name,
        message: `missing on ${pct(s.missingShare)} of rows (limit ${pct(limits.maxMissingShare)}): too little history or source data for it`,
        value: s.missingShare,
        limit: limits.maxMissingShare,
      });
    }
    if (s.constant) {
      issues.push({
        code: "constant",
        feature: s.name,
        message: Number.isNaN(s.min)
          ? "no finite value at all: the model cannot use it"
          : `always ${s.min} where present: the model cannot use it`,
        value: Number.isNaN(s.min) ? 0 : 1,
        limit: 2,
      });
    }
    if (s.outlierShare > limits.maxOutlierShare) {
      issues.push({
        code: "outliers",
        feature: s.name,
        message: `${pct(s.outlierShare)} of sampled values have a robust z-score above ${limits.outlierZ} (limit ${pct(limits.maxOutlierShare)}; max ${s.max}): look for unit errors or extreme source values`,
        value: s.outlierShare,
        limit: limits.maxOutlierShare,
      });
    }
  }
  const candidates = stats.flatMap((s, f) => (s.categorical || s.constant ? [] : [f]));
  const pairs: CorrelatedPair[] = correlatedPairs(
    m.columns,
    m.names,
    candidates,
    sample,
    limits.maxCorrelation,
  );
  for (const p of pairs) {
    issues.push({
      code: "correlated",
      feature: p.a,
      other: p.b,
      message: `|correlation| with ${p.b} is ${Math.abs(p.r).toFixed(4)} on ${p.rows} sampled rows (limit ${limits.maxCorrelation}): one of the two adds little`,
      value: p.r,
      limit: limits.maxCorrelation,
    });
  }
  const groups = groupTimings(m, limits);
  if (n >= limits.minTimedRows) {
    for (const g of groups) {
      if (g.usPerRow > g.budgetUs) {
        issues.push({
          code: "slow_group",
          feature: g.group,
          message: `feature group ${g.group} took ${g.usPerRow.toFixed(3)} µs per row (${Math.round(g.ms)} ms for ${n} rows), over its budget of ${g.budgetUs} µs`,
          value: g.usPerRow,
          limit: g.budgetUs,
        });
      }
    }
  }
  return report("before", n, issues, limits, { stats, groups });
}

/**
 * Checks after training: every feature should be split on by at least one model. `splitCounts[f]` is feature f's
 * split count summed over the models; `before` (the report of checkFeatures) lets the message say when a feature
 * was constant anyway.
 */
export function checkFeatureUse(
  names: readonly string[],
  splitCounts: ArrayLike<number>,
  limits: FeatureTestLimits,
  before?: FeatureTestReport,
): FeatureTestReport {
  if (splitCounts.length !== names.length) {
    throw new InputError(`checkFeatureUse: ${splitCounts.length} split counts for ${names.length} features`, {
      column: "splitCounts",
    });
  }
  const constant = new Set(before?.stats.filter((s) => s.constant).map((s) => s.name) ?? []);
  const use = names.map((name, f) => ({ name, splits: splitCounts[f]! }));
  const issues = use
    .filter((u) => !(u.splits > 0))
    .map((u) => ({
      code: "unused_feature" as const,
      feature: u.name,
      message: constant.has(u.name)
        ? "no model splits on it (it is constant in the training rows)"
        : "no model splits on it: drop it from the feature set or find out why it carries no signal",
      value: 0,
      limit: 1,
    }));
  return report("after", 0, issues, limits, { use });
}

/** Time per feature group from the matrix's timings, with each group's budget. */
function groupTimings(m: FeatureMatrix, limits: FeatureTestLimits): GroupTiming[] {
  const t = m.timings;
  if (t === undefined) return [];
  const n = Math.max(1, m.target.length);
  return FEATURE_GROUPS.filter((g) => t[g] !== undefined).map((group) => ({
    group,
    ms: t[group]!,
    usPerRow: (t[group]! * 1000) / n,
    budgetUs: limits.groupBudgetsUs[group] ?? limits.groupBudgetUs,
  }));
}

function report(
  stage: "before" | "after",
  rows: number,
  found: Omit<FeatureTestIssue, "severity">[],
  limits: FeatureTestLimits,
  parts: Partial<Pick<FeatureTestReport, "stats" | "groups" | "use">>,
): FeatureTestReport {
  const fail = new Set<string>(limits.failOn);
  const issues: FeatureTestIssue[] = found.map((i) => ({
    ...i,
    severity: fail.has(i.code) ? "error" : "warning",
  }));
  return {
    ok: !issues.some((i) => i.severity === "error"),
    stage,
    rows,
    issues,
    stats: parts.stats ?? [],
    groups: parts.groups ?? [],
    use: parts.use ?? [],
  };
}

function pct(x: number): string {
  return `${(100 * x).toFixed(x < 0.01 ? 2 : 1)}%`;
}

/** One line per issue, errors first, for logs and error messages. */
export function formatFeatureIssues(r: FeatureTestReport): string {
  const sorted = [...r.issues].sort((a, b) =>
    a.severity === b.severity ? 0 : a.severity === "error" ? -1 : 1,
  );
  return sorted.map((i) => `${i.severity} ${i.code} ${i.feature}: ${i.message}`).join("\n");
}
