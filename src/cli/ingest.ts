import { type Command, Option } from "commander";
import { type IngestSummary, ingestFiles, reasonCodeList } from "../data/ingest/index.ts";
import { SOURCE_TABLES, tableSpec } from "../data/schema.ts";
import { type CommonOptions, commandContext, withCommonOptions, withWarehouse } from "./context.ts";
import { progressBar } from "./progress-bar.ts";

/** Registers `megaretail ingest TABLE FILE...`. */
export function register(program: Command): void {
  withCommonOptions(
    program
      .command("ingest")
      .description(
        "Load CSV or Parquet files into a source table. Every row is validated; bad rows go to the quarantine table with a reason code, the rest replace rows with the same key. A file already ingested (same content) is skipped. A file that cannot be read at all changes nothing and exits non-zero.",
      )
      .argument("<table>", `target table: ${SOURCE_TABLES.join(", ")}`)
      .argument("<files...>", "CSV files, Parquet files, or a directory or glob of Parquet parts")
      .addOption(
        new Option("--format <format>", "file format (default: from the extension)").choices([
          "csv",
          "parquet",
        ]),
      ),
  )
    .addHelpText("after", helpText)
    .action(async (table: string, files: string[], opts: CommonOptions & { format?: "csv" | "parquet" }) => {
      const ctx = commandContext(opts);
      const bar = progressBar(!ctx.json && process.stderr.isTTY === true);
      const summary = await withWarehouse(ctx, (wh) =>
        ingestFiles(wh, table, files, { format: opts.format, progress: bar.progress }),
      ).finally(bar.stop);
      ctx.log.debug({ summary }, "ingest done");
      process.stdout.write(ctx.json ? `${JSON.stringify(summary, null, 2)}\n` : formatIngest(summary));
    });
}

function helpText(): string {
  const tables = SOURCE_TABLES.map((name) => {
    const spec = tableSpec(name)!;
    const required = spec.columns.filter((c) => !c.nullable).map((c) => c.name);
    const optional = spec.columns.filter((c) => c.nullable).map((c) => c.name);
    return `  ${name.padEnd(18)} ${spec.description}\n${"".padEnd(21)}required: ${required.join(", ")}${
      optional.length > 0 ? `\n${"".padEnd(21)}optional: ${optional.join(", ")}` : ""
    }`;
  });
  const reasons = reasonCodeList().map((r) => `  ${r.code.padEnd(18)} ${r.description}`);
  return [
    "",
    "Tables (columns by header name, any order; CSV: comma-separated, header line, dates YYYY-MM-DD;",
    "all columns in docs/data-model.md):",
    ...tables,
    "",
    "Quarantine reason codes (the first that applies):",
    ...reasons,
    "",
    "Load stores/products/dcs before the tables that refer to them. Then run `megaretail etl`.",
  ].join("\n");
}

/** The summary as a table for a person: per file read / accepted / quarantined, then reasons. */
export function formatIngest(s: IngestSummary): string {
  const rows = s.files.map((f) => [
    f.file,
    f.alreadyIngested ? "already ingested" : String(f.rowsRead),
    f.alreadyIngested ? "" : String(f.accepted),
    f.alreadyIngested ? "" : String(f.quarantined),
  ]);
  const head = ["file", "read", "accepted", "quarantined"];
  const total = ["total", String(s.rowsRead), String(s.accepted), String(s.quarantined)];
  const all = [head, ...rows, total];
  const widths = head.map((_, i) => Math.max(...all.map((r) => r[i]!.length)));
  const fmt = (r: string[]) =>
    r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ");
  const lines = [`Ingest into ${s.table}:`, fmt(head), ...rows.map(fmt), fmt(total)];
  const reasons = Object.entries(s.byReason).sort(([a], [b]) => a.localeCompare(b));
  if (reasons.length > 0) {
    lines.push("", "Quarantined by reason (see the quarantine table):");
    for (const [reason, n] of reasons) lines.push(`  ${reason.padEnd(18)} ${n}`);
  }
  return `${lines.join("\n")}\n`;
}
