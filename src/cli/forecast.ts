import { resolve } from "node:path";
import type { Command } from "commander";
import { formatDay } from "../core/days.ts";
import { UsageError } from "../core/errors.ts";
import { type ForecastJobResult, forecastJob } from "../forecasting/batch.ts";
import { loadServingModel } from "../forecasting/serving-model.ts";
import { type CommonOptions, commandContext, withCommonOptions, withWarehouse } from "./context.ts";
import { dayFlag, listFlag } from "./parse.ts";
import { progressBar } from "./progress-bar.ts";

interface ForecastOptions extends CommonOptions {
  origin?: string;
  model?: string;
  modelFile?: string;
  out?: string;
  partitions?: string;
}

/** Registers `megaretail forecast`. */
export function register(program: Command): void {
  withCommonOptions(
    program
      .command("forecast")
      .description(
        "Batch forecasts: the six quantiles and the mean for days 1..28 after the origin, for every series in assortment on the cutoff day, one DC partition per transaction into the forecasts table (a rerun resumes after the last completed partition).",
      )
      .option(
        "--origin <date>",
        "forecast origin (default: data end + latencyDays, so the cutoff is the last day of data)",
      )
      .option(
        "--model <ref>",
        "registered model: production, shadow or a version number (default production)",
      )
      .option("--model-file <path>", "serve this model.json instead of a registered model")
      .option("--out <file>", "also export the forecasts of this origin and model to FILE (.parquet or .csv)")
      .option("--partitions <dcs>", "only these comma-separated DC ids ('-': stores without a DC)"),
  ).action(async (opts: ForecastOptions) => {
    if (opts.model !== undefined && opts.modelFile !== undefined)
      throw new UsageError("give --model or --model-file, not both");
    const ctx = commandContext(opts);
    const bar = progressBar();
    const { served, result } = await withWarehouse(ctx, async (wh) => {
      const served = await loadServingModel(wh, ctx.config.features, {
        ref: opts.model,
        file: opts.modelFile,
      });
      const result = await forecastJob(wh, {
        model: served.model,
        modelVersion: served.version,
        runId: served.runId,
        origin: opts.origin ? dayFlag("--origin", opts.origin) : undefined,
        threads: ctx.config.threads,
        out: opts.out ? resolve(opts.out) : undefined,
        partitions: opts.partitions ? listFlag(opts.partitions) : undefined,
        progress: bar.progress,
      });
      return { served, result };
    });
    bar.stop();
    const summary = {
      model: { version: served.version, runId: served.runId, file: served.file, sha256: served.sha256 },
      ...result,
      origin: formatDay(result.origin),
      cutoff: formatDay(result.cutoff),
    };
    process.stdout.write(
      ctx.json ? `${JSON.stringify(summary, null, 2)}\n` : formatSummary(served.version, result),
    );
  });
}

/** The job's summary for a person: what was forecast, partition by partition, and where it went. */
function formatSummary(version: number, r: ForecastJobResult): string {
  const written = r.partitions.filter((p) => p.status === "written");
  const lines = [
    `Forecast origin ${formatDay(r.origin)} (data up to ${formatDay(r.cutoff)}), days 1..${r.horizon}, model version ${version}`,
    `  ${"partition".padEnd(12)} ${"status".padEnd(8)} ${"series".padStart(8)} ${"rows".padStart(10)} ${"load s".padStart(7)} ${"features s".padStart(10)} ${"predict s".padStart(9)} ${"write s".padStart(8)}`,
  ];
  for (const p of r.partitions) {
    lines.push(
      `  ${p.dc.padEnd(12)} ${p.status.padEnd(8)} ${String(p.series).padStart(8)} ${String(p.rows).padStart(10)} ${p.seconds.load.toFixed(1).padStart(7)} ${p.seconds.features.toFixed(1).padStart(10)} ${p.seconds.predict.toFixed(1).padStart(9)} ${p.seconds.write.toFixed(1).padStart(8)}`,
    );
  }
  const crossings = written.reduce((s, p) => s + p.crossings, 0);
  lines.push(
    `${r.rowsWritten} rows written (${written.length} partitions; ${r.partitions.length - written.length} already complete), ${r.rowsTotal} rows for this origin and model; ${crossings} crossed quantile rows sorted; ${r.seconds.total.toFixed(1)} s`,
  );
  if (r.out) lines.push(`  export ${r.out.file} (${r.out.rows} rows)`);
  return `${lines.join("\n")}\n`;
}
