import type { Warehouse } from "../data/warehouse.ts";
import { type PairedDelta, pairedDelta } from "../metrics/paired-delta.ts";
import { getRun, pairedSeriesScores, type RunDetail } from "../tracking/run-queries.ts";
import { fmt, textTable } from "./runs-table.ts";

/** One compared (model, metric, level): both runs' values, B − A, and the paired CI when series scores allow. */
export interface ComparedMetric {
  model: string;
  metric: string;
  level: number | null;
  a: number;
  b: number;
  delta: number;
  /** Paired bootstrap over common series of the per-series scores (null without series scores in both runs). */
  series: PairedDelta | null;
}

/** What `runs compare` prints. */
export interface RunComparison {
  a: string;
  b: string;
  sameData: boolean;
  sameFeatures: boolean;
  rows: ComparedMetric[];
  /** Metric keys only one run has, as "model/metric/level". */
  onlyA: string[];
  onlyB: string[];
  notes: string[];
}

const keyOf = (m: { model: string; metric: string; level: number | null }) =>
  `${m.model}/${m.metric}/${m.level ?? "all"}`;

/**
 * Compares run B with run A: for every (model, metric, level) both recorded, the delta B − A; for overall
 * metrics (level null) with per-series scores in both runs, the mean per-series delta with a paired
 * bootstrap 95% CI over the series both runs scored, and whether it excludes 0.
 */
export async function compareRuns(
  wh: Warehouse,
  runA: string,
  runB: string,
  options: { metric?: string; draws?: number; seed?: number } = {},
): Promise<RunComparison> {
  const [a, b] = [await getRun(wh, runA), await getRun(wh, runB)];
  const pick = (r: RunDetail) => r.metrics.filter((m) => !options.metric || m.metric === options.metric);
  const inB = new Map(pick(b).map((m) => [keyOf(m), m]));
  const inA = new Map(pick(a).map((m) => [keyOf(m), m]));
  const scored = (r: RunDetail) => new Set(r.seriesScores.map((s) => `${s.model}/${s.metric}`));
  const scoredA = scored(a);
  const scoredB = scored(b);
  const rows: ComparedMetric[] = [];
  for (const [key, ma] of inA) {
    const mb = inB.get(key);
    if (!mb) continue;
    const pair = `${ma.model}/${ma.metric}`;
    let series: PairedDelta | null = null;
    if (ma.level === null && scoredA.has(pair) && scoredB.has(pair)) {
      const s = await pairedSeriesScores(wh, runA, runB, ma.model, ma.metric);
      series = pairedDelta(s.a, s.b, { draws: options.draws, seed: options.seed });
    }
    rows.push({
      model: ma.model,
      metric: ma.metric,
      level: ma.level,
      a: ma.value,
      b: mb.value,
      delta: mb.value - ma.value,
      series,
    });
  }
  // Series scores of a (model, metric) with no overall run metric still deserve a row: means of the scores.
  for (const pair of [...scoredA].filter((p) => scoredB.has(p)).sort()) {
    const [model, metric] = pair.split("/") as [string, string];
    if (options.metric && metric !== options.metric) continue;
    if (rows.some((r) => r.model === model && r.metric === metric && r.level === null)) continue;
    const s = await pairedSeriesScores(wh, runA, runB, model, metric);
    const series = pairedDelta(s.a, s.b, { draws: options.draws, seed: options.seed });
    rows.push({ model, metric, level: null, a: mean(s.a), b: mean(s.b), delta: series.delta, series });
  }
  const notes: string[] = [];
  if (a.seriesScores.length === 0 || b.seriesScores.length === 0) {
    const missing = [a, b].filter((r) => r.seriesScores.length === 0).map((r) => r.runId);
    notes.push(
      `no per-series scores recorded for ${missing.join(" and ")}: plain deltas, no confidence intervals`,
    );
  }
  if (a.dataHash !== b.dataHash) notes.push("the runs saw different data (data fingerprints differ)");
  if (a.featureVersion !== b.featureVersion) {
    notes.push(`feature versions differ (${a.featureVersion} vs ${b.featureVersion})`);
  }
  if (a.status !== "succeeded" || b.status !== "succeeded") {
    notes.push(`run statuses: ${a.runId} ${a.status}, ${b.runId} ${b.status}`);
  }
  return {
    a: runA,
    b: runB,
    sameData: a.dataHash === b.dataHash,
    sameFeatures: a.featureVersion === b.featureVersion,
    rows,
    onlyA: [...inA.keys()].filter((k) => !inB.has(k)),
    onlyB: [...inB.keys()].filter((k) => !inA.has(k)),
    notes,
  };
}

function mean(x: Float64Array): number {
  let s = 0;
  let n = 0;
  for (const v of x) {
    if (Number.isFinite(v)) {
      s += v;
      n++;
    }
  }
  return n > 0 ? s / n : Number.NaN;
}

/** The comparison as a text table. */
export function formatComparison(c: RunComparison): string {
  const header = [
    "model",
    "metric",
    "level",
    "A",
    "B",
    "B-A",
    "series",
    "mean series B-A",
    "95% CI",
    "significant",
  ];
  const body = c.rows.map((r) => [
    r.model,
    r.metric,
    r.level === null ? "all" : String(r.level),
    fmt(r.a),
    fmt(r.b),
    fmt(r.delta),
    r.series ? String(r.series.n) : "-",
    r.series ? fmt(r.series.delta) : "-",
    r.series && Number.isFinite(r.series.lo) ? `[${fmt(r.series.lo)}, ${fmt(r.series.hi)}]` : "-",
    r.series && Number.isFinite(r.series.lo) ? (r.series.significant ? "yes" : "no") : "-",
  ]);
  const out = [`A = ${c.a}`, `B = ${c.b}`, "", textTable(header, body)];
  if (c.rows.length === 0) out.push("(no metric recorded by both runs)");
  if (c.onlyA.length > 0) out.push("", `only in A: ${c.onlyA.join(", ")}`);
  if (c.onlyB.length > 0) out.push(`${c.onlyA.length > 0 ? "" : "\n"}only in B: ${c.onlyB.join(", ")}`);
  if (c.notes.length > 0) out.push("", ...c.notes.map((n) => `note: ${n}`));
  return `${out.join("\n")}\n`;
}
