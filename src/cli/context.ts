import { type Command, Option } from "commander";
import { type Logger, pino } from "pino";
import { loadConfig } from "../config/load.ts";
import type { Config, ConfigInput } from "../config/schema.ts";
import { Warehouse } from "../data/warehouse.ts";

/** The options every command accepts (added by `withCommonOptions`). */
export interface CommonOptions {
  db?: string;
  config?: string;
  logLevel?: string;
  threads?: number;
  json?: boolean;
}

/** Adds --db, --config, --log-level, --threads and --json to a command. */
export function withCommonOptions(cmd: Command, options: { json?: boolean } = { json: true }): Command {
  cmd
    .option("--db <path>", "warehouse file (default ./megaretail.duckdb, or $MEGARETAIL_DB)")
    .option("--config <file>", "JSON config file (see docs/configuration.md)")
    .addOption(
      new Option("--log-level <level>", "log level").choices([
        "fatal",
        "error",
        "warn",
        "info",
        "debug",
        "trace",
        "silent",
      ]),
    )
    .option("--threads <n>", "worker threads (default: available cores)", (v) => Number.parseInt(v, 10));
  if (options.json) cmd.option("--json", "print the result as JSON on stdout");
  return cmd;
}

/** What a command's action works with: the resolved config, a logger and, on demand, the warehouse. */
export interface CommandContext {
  config: Config;
  log: Logger;
  json: boolean;
  /** Opens the warehouse named by the config; the caller closes it (or uses `withWarehouse`). */
  openWarehouse(): Promise<Warehouse>;
}

/** Builds the context from a command's parsed options (flags > env > config file > defaults). */
export function commandContext(opts: CommonOptions, extra: ConfigInput = {}): CommandContext {
  const flags: ConfigInput = { ...extra };
  if (opts.db) flags.db = opts.db;
  if (opts.logLevel) flags.logLevel = opts.logLevel as ConfigInput["logLevel"];
  if (opts.threads !== undefined) flags.threads = opts.threads;
  const config = loadConfig({ file: opts.config, flags });
  const log = pino({ level: config.logLevel, base: undefined }, pino.destination(2));
  return {
    config,
    log,
    json: opts.json === true,
    openWarehouse: () => Warehouse.open(config.db, { threads: config.threads }),
  };
}

/** Opens the warehouse, runs `fn`, and always closes it. */
export async function withWarehouse<T>(ctx: CommandContext, fn: (wh: Warehouse) => Promise<T>): Promise<T> {
  const wh = await ctx.openWarehouse();
  try {
    return await fn(wh);
  } finally {
    wh.close();
  }
}
