import { Command } from "commander";
import { SCHEMA_VERSION } from "../data/migrations.ts";
import { register as registerBacktest } from "./backtest.ts";
import { register as registerDemo } from "./demo.ts";
import { register as registerEtl } from "./etl.ts";
import { register as registerForecast } from "./forecast.ts";
import { register as registerImport } from "./import.ts";
import { register as registerIngest } from "./ingest.ts";
import { register as registerModels } from "./models.ts";
import { register as registerQuality } from "./quality.ts";
import { register as registerRuns } from "./runs.ts";
import { register as registerSimulate } from "./simulate.ts";
import { register as registerSplits } from "./splits.ts";
import { register as registerTrain } from "./train.ts";

/** The `megaretail` command with every sub-command registered (one file per command in src/cli). */
export function createProgram(version: string): Command {
  const program = new Command("megaretail")
    .description(
      "Demand forecasting for a grocery chain: six quantiles per (date, store, product), 28 days ahead.",
    )
    .version(`${version} (warehouse schema ${SCHEMA_VERSION})`)
    .showHelpAfterError("(run with --help for usage)")
    .configureHelp({ sortSubcommands: false })
    // Before the sub-commands exist, so they inherit it: usage errors throw (exit 2) instead of exiting 1.
    .exitOverride();
  for (const register of COMMANDS) register(program);
  return program;
}

/** Each command file exports a `register(program)`; they are listed here in the order --help shows them. */
const COMMANDS: ((program: Command) => void)[] = [
  registerDemo,
  registerSimulate,
  registerIngest,
  registerImport,
  registerEtl,
  registerQuality,
  registerSplits,
  registerBacktest,
  registerTrain,
  registerRuns,
  registerModels,
  registerForecast,
];
