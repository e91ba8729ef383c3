import type { Command } from "commander";
import { formatDay } from "../core/days.ts";
import { panelStart } from "../data/to-panel.ts";
import { jobFolds, loadModelData } from "../validation/job.ts";
import { describeFold, innerFolds } from "../validation/splits.ts";
import { type CommonOptions, commandContext, withCommonOptions, withWarehouse } from "./context.ts";
import { dayFlag, intFlag, listFlag } from "./parse.ts";

interface SplitsOptions extends CommonOptions {
  folds?: string;
  dataEnd?: string;
  origins?: string;
  inner?: boolean;
}

/** Registers `megaretail splits`. */
export function register(program: Command): void {
  withCommonOptions(
    program
      .command("splits")
      .description(
        "Print the rolling-origin validation folds (train window, origin, test window) the backtest would use on the warehouse's data; settings from the `validation` config section.",
      )
      .option("--folds <k>", "number of outer folds (default: config validation.folds, 5)")
      .option("--data-end <date>", "end the last test window at this day (default: the data end)")
      .option("--origins <dates>", "explicit comma-separated forecast origins instead of rolling folds")
      .option("--inner", "also print the inner folds of each outer fold"),
  ).action(async (opts: SplitsOptions) => {
    const ctx = commandContext(opts);
    const options = {
      models: [],
      folds: opts.folds ? intFlag("--folds", opts.folds) : undefined,
      dataEnd: opts.dataEnd ? dayFlag("--data-end", opts.dataEnd) : undefined,
      origins: opts.origins ? listFlag(opts.origins).map((o) => dayFlag("--origins", o)) : undefined,
    };
    const { daily } = await withWarehouse(ctx, (wh) => loadModelData(wh, options.dataEnd));
    const folds = jobFolds(ctx.config, daily, options);
    const start = panelStart(daily);
    // Inner folds of the folds actually used (also with --origins or --data-end).
    const inner = opts.inner ? folds.map((f) => innerFolds(f, ctx.config.validation)) : [];
    if (ctx.json) {
      const out = folds.map((f, k) => ({
        ...describeFold(f),
        inner: opts.inner ? inner[k]!.map(describeFold) : undefined,
      }));
      process.stdout.write(`${JSON.stringify({ dataEnd: formatDay(daily.end), folds: out }, null, 2)}\n`);
      return;
    }
    const v = ctx.config.validation;
    process.stdout.write(
      `Data ${formatDay(start)} .. ${formatDay(daily.end)}; test ${v.testDays} days, gap ${v.gapDays}, step ${v.stepDays}, train window ${v.trainDays} days\n\n`,
    );
    process.stdout.write(
      `${"fold".padEnd(6)}${"train".padEnd(25)}${"days".padEnd(6)}${"origin".padEnd(12)}test\n`,
    );
    folds.forEach((f, k) => {
      const d = describeFold(f);
      process.stdout.write(
        `${String(d.fold).padEnd(6)}${String(d.train).padEnd(25)}${String(d.trainDays).padEnd(6)}${String(d.origin).padEnd(12)}${d.test}\n`,
      );
      if (opts.inner) {
        for (const g of inner[k]!.map(describeFold)) {
          process.stdout.write(
            `  ${`.${g.fold}`.padEnd(4)}${String(g.train).padEnd(25)}${String(g.trainDays).padEnd(6)}${String(g.origin).padEnd(12)}${g.test}\n`,
          );
        }
      }
    });
  });
}
