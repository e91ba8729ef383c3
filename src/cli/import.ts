import type { Command } from "commander";
import { importM5, type M5ImportSummary } from "../data/adapters/m5.ts";
import { type CommonOptions, commandContext, withCommonOptions, withWarehouse } from "./context.ts";
import { progressBar } from "./progress-bar.ts";

/** Registers `megaretail import` and its sub-commands (one per public data layout). */
export function register(program: Command): void {
  const imp = program
    .command("import")
    .description("Import a public data set in its own layout into the warehouse (then run the ETL).");
  withCommonOptions(
    imp
      .command("m5")
      .argument("<dir>", "folder with the M5 files: calendar.csv, sell_prices.csv, sales_train_*.csv")
      .description(
        "Import the M5 (Walmart) competition layout: stores, products, daily sales, daily prices from the weekly ones, events and SNAP days; then build `daily`. Re-importing a folder replaces rows by key.",
      ),
  ).action(async (dir: string, opts: CommonOptions) => {
    const ctx = commandContext(opts);
    const bar = progressBar(!ctx.json && process.stderr.isTTY === true);
    try {
      const summary = await withWarehouse(ctx, (wh) => importM5(wh, dir, { progress: bar.progress }));
      bar.stop();
      process.stdout.write(ctx.json ? `${JSON.stringify(summary, null, 2)}\n` : formatImport(summary));
    } finally {
      bar.stop();
    }
  });
}

/** The import summary as text for a person. */
export function formatImport(s: M5ImportSummary): string {
  const lines = [
    `Imported M5 from ${s.dir} (${s.files.join(", ")}) in ${s.seconds.toFixed(1)} s`,
    `  ${s.stores} stores, ${s.products} products, ${s.series} series, ${s.days} days (${s.firstDate} .. ${s.lastDate})`,
    "",
    "  table              written   rows now",
  ];
  for (const [table, rows] of Object.entries(s.rows)) {
    const written = s.written[table] === undefined ? "(etl)" : String(s.written[table]);
    lines.push(`  ${table.padEnd(16)} ${written.padStart(9)} ${String(rows).padStart(10)}`);
  }
  return `${lines.join("\n")}\n`;
}
