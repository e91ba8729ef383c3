import { type Command, InvalidArgumentError } from "commander";
import { type EtlSummary, runEtl } from "../data/etl.ts";
import { type CommonOptions, commandContext, withCommonOptions, withWarehouse } from "./context.ts";
import { progressBar } from "./progress-bar.ts";

/** Registers `megaretail etl`. */
export function register(program: Command): void {
  withCommonOptions(
    program
      .command("etl")
      .description(
        "Build the daily fact table (date, store, product) from sales and transactions, joined with prices, promos, stock, products and stores; marks stockout and not-in-assortment days. Re-writes the last N days to absorb late data; late data older than that needs --full.",
      )
      .option(
        "--rewrite-days <n>",
        "days at the end of the daily table to re-write (default 3, config etl.rewriteDays)",
        parseDays,
      )
      .option("--full", "rebuild the whole daily table"),
  ).action(async (opts: CommonOptions & { rewriteDays?: number; full?: boolean }) => {
    const ctx = commandContext(
      opts,
      opts.rewriteDays === undefined ? {} : { etl: { rewriteDays: opts.rewriteDays } },
    );
    const bar = progressBar(!ctx.json && process.stderr.isTTY === true);
    const summary = await withWarehouse(ctx, (wh) =>
      runEtl(wh, {
        rewriteDays: ctx.config.etl.rewriteDays,
        full: opts.full === true,
        progress: bar.progress,
      }),
    ).finally(bar.stop);
    process.stdout.write(ctx.json ? `${JSON.stringify(summary, null, 2)}\n` : formatEtl(summary));
  });
}

/** The summary as text for a person. */
export function formatEtl(s: EtlSummary): string {
  const window = s.from ? `${s.from} .. ${s.to}` : "nothing to write";
  return `${[
    `ETL (${s.mode}): ${window}`,
    `  rows deleted   ${s.rowsDeleted}`,
    `  rows written   ${s.rowsWritten}`,
    `  daily rows     ${s.dailyRows}`,
  ].join("\n")}\n`;
}

function parseDays(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError("expected a whole number of days >= 0");
  return n;
}
