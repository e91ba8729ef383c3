import type { Command } from "commander";
import { getRun, listRuns, type RunDetail } from "../tracking/run-queries.ts";
import { type CommonOptions, commandContext, withCommonOptions, withWarehouse } from "./context.ts";
import { intFlag } from "./parse.ts";
import { compareRuns, formatComparison } from "./runs-compare.ts";
import { fmt, textTable } from "./runs-table.ts";

interface ListOptions extends CommonOptions {
  limit?: string;
}
interface CompareOptions extends CommonOptions {
  metric?: string;
  bootstrap?: string;
  seed?: string;
}

/** Registers `megaretail runs list|show|compare`. */
export function register(program: Command): void {
  const runs = program
    .command("runs")
    .description(
      "Tracked runs (`megaretail train`): list them, show one, compare two with confidence intervals.",
    );
  withCommonOptions(
    runs
      .command("list")
      .description("List the newest runs: id, kind, status, start time, seed, data hash.")
      .option("--limit <n>", "how many runs (default 20)"),
  ).action(async (opts: ListOptions) => {
    const ctx = commandContext(opts);
    const limit = opts.limit ? intFlag("--limit", opts.limit) : 20;
    const rows = await withWarehouse(ctx, (wh) => listRuns(wh, limit));
    if (ctx.json) return print(JSON.stringify(rows, null, 2));
    if (rows.length === 0) return print("no runs recorded yet (run `megaretail train`)");
    const table = rows.map((r) => [
      r.runId,
      r.kind,
      r.status,
      r.createdAt,
      String(r.seed),
      r.dataHash.slice(0, 12),
      r.featureVersion,
    ]);
    print(textTable(["run", "kind", "status", "started", "seed", "data", "features"], table));
  });

  withCommonOptions(
    runs
      .command("show <id>")
      .description(
        "Show one run: config, data fingerprint, code version, metrics with CIs, timings, artifacts.",
      ),
  ).action(async (id: string, opts: CommonOptions) => {
    const ctx = commandContext(opts);
    const run = await withWarehouse(ctx, (wh) => getRun(wh, id));
    print(ctx.json ? JSON.stringify(run, jsonNumbers, 2) : formatRun(run));
  });

  withCommonOptions(
    runs
      .command("compare <a> <b>")
      .description(
        "Compare run B with run A: metric deltas (B - A) and, from per-series scores, a paired bootstrap 95% CI of the delta and whether it excludes 0.",
      )
      .option("--metric <name>", "only this metric")
      .option("--bootstrap <n>", "bootstrap draws (default 2000)")
      .option("--seed <n>", "bootstrap seed (default 1)"),
  ).action(async (a: string, b: string, opts: CompareOptions) => {
    const ctx = commandContext(opts);
    const draws = opts.bootstrap ? intFlag("--bootstrap", opts.bootstrap, 0) : 2000;
    const seed = opts.seed ? intFlag("--seed", opts.seed, 0) : 1;
    const c = await withWarehouse(ctx, (wh) => compareRuns(wh, a, b, { metric: opts.metric, draws, seed }));
    if (ctx.json) print(JSON.stringify(c, jsonNumbers, 2));
    else process.stdout.write(formatComparison(c));
  });
}

/** NaN and infinities are not JSON: print them as null. */
function jsonNumbers(_key: string, value: unknown): unknown {
  return typeof value === "number" && !Number.isFinite(value) ? null : value;
}

function print(text: string): void {
  process.stdout.write(`${text}\n`);
}

function formatRun(r: RunDetail): string {
  const code = r.codeVersion;
  const out = [
    `run ${r.runId} (${r.kind}, ${r.status})`,
    `started ${r.createdAt}, finished ${r.finishedAt ?? "-"}`,
    `seed ${r.seed}; feature version ${r.featureVersion}`,
    `code ${code.package}, commit ${code.commit ?? "unknown"}${code.dirty ? " (uncommitted changes)" : ""}`,
    `dir ${r.dir}`,
  ];
  if (r.error) out.push(`error: ${r.error}`);
  out.push("", `data ${r.dataHash}`);
  out.push(
    textTable(
      ["table", "rows", "from", "to", "checksum"],
      r.dataFingerprint.map((t) => [t.name, String(t.rows), t.minDate ?? "-", t.maxDate ?? "-", t.checksum]),
    ),
  );
  out.push("", "metrics");
  out.push(
    r.metrics.length === 0
      ? "(none recorded)"
      : textTable(
          ["model", "metric", "level", "value", "95% CI"],
          r.metrics.map((m) => [
            m.model,
            m.metric,
            m.level === null ? "all" : String(m.level),
            fmt(m.value),
            Number.isFinite(m.lo) ? `[${fmt(m.lo)}, ${fmt(m.hi)}]` : "-",
          ]),
        ),
  );
  if (r.seriesScores.length > 0) {
    out.push(
      `per-series scores: ${r.seriesScores.map((s) => `${s.model}/${s.metric} (${s.series})`).join(", ")}`,
    );
  }
  if (r.models.length > 0) {
    out.push(`registered: ${r.models.map((m) => `version ${m.version} (${m.name}, ${m.stage})`).join(", ")}`);
  }
  out.push("", "timings (s)");
  const timings = Object.entries(r.timings ?? {});
  out.push(
    timings.length === 0
      ? "(none)"
      : textTable(
          ["stage", "seconds"],
          timings.map(([k, v]) => [k, fmt(v)]),
        ),
  );
  out.push("", "artifacts");
  const artifacts = r.artifacts ?? [];
  out.push(
    artifacts.length === 0
      ? "(none)"
      : textTable(
          ["file", "bytes"],
          artifacts.map((a) => [a.path, a.bytes === null ? "missing" : String(a.bytes)]),
        ),
  );
  out.push("", "config", JSON.stringify(r.config, null, 2));
  return out.join("\n");
}
