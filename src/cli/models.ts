import { type Command, Option } from "commander";
import { UsageError } from "../core/errors.ts";
import { listModels, promote, resolveModel, rollback, stageHistory } from "../tracking/registry.ts";
import { type CommonOptions, commandContext, withCommonOptions, withWarehouse } from "./context.ts";
import { intFlag } from "./parse.ts";
import { textTable } from "./runs-table.ts";

interface PromoteOptions extends CommonOptions {
  stage: "production" | "shadow" | "rollback";
}

/** Registers `megaretail models list|promote|history`. */
export function register(program: Command): void {
  const models = program
    .command("models")
    .description("The model registry: versions by stage (candidate, shadow, production, archived).");
  withCommonOptions(
    models.command("list").description("List every registered model version, newest first."),
  ).action(async (opts: CommonOptions) => {
    const ctx = commandContext(opts);
    const rows = await withWarehouse(ctx, (wh) => listModels(wh));
    if (ctx.json) return print(JSON.stringify(rows, null, 2));
    if (rows.length === 0) return print("no models registered yet (run `megaretail train`)");
    print(
      textTable(
        ["version", "stage", "name", "run", "created", "sha256", "features"],
        rows.map((m) => [
          String(m.version),
          m.stage,
          m.name,
          m.runId,
          m.createdAt,
          m.sha256.slice(0, 12),
          m.featureSchemaHash.slice(0, 12),
        ]),
      ),
    );
  });

  withCommonOptions(
    models
      .command("promote [version]")
      .description(
        "Put VERSION into production or shadow (the previous holder is archived), or --stage rollback: archive the production version and bring back the one before it.",
      )
      .addOption(
        new Option("--stage <stage>", "target stage")
          .choices(["production", "shadow", "rollback"])
          .makeOptionMandatory(),
      ),
  ).action(async (version: string | undefined, opts: PromoteOptions) => {
    const ctx = commandContext(opts);
    const result = await withWarehouse(ctx, async (wh) => {
      if (opts.stage === "rollback") {
        // Naming a version guards against rolling back a production model other than the one meant.
        if (version !== undefined) {
          const v = intFlag("VERSION", version);
          const current = await resolveModel(wh, "production");
          if (current.version !== v) {
            throw new UsageError(
              `version ${v} is not in production (version ${current.version} is); rollback replaces the production version`,
            );
          }
        }
        const r = await rollback(wh);
        return { ...r, message: `rolled back: version ${r.from} archived, version ${r.to} in production` };
      }
      if (version === undefined) throw new UsageError(`models promote --stage ${opts.stage} needs a VERSION`);
      const r = await promote(wh, intFlag("VERSION", version), opts.stage);
      const message =
        r.archived === null
          ? `version ${r.version} in ${r.stage}`
          : `version ${r.version} in ${r.stage}; version ${r.archived} archived`;
      return { ...r, message };
    });
    print(ctx.json ? JSON.stringify(result, null, 2) : result.message);
  });

  withCommonOptions(
    models
      .command("history [version]")
      .description("Stage changes of every version (or of VERSION), oldest first."),
  ).action(async (version: string | undefined, opts: CommonOptions) => {
    const ctx = commandContext(opts);
    const v = version === undefined ? undefined : intFlag("VERSION", version);
    const events = await withWarehouse(ctx, (wh) => stageHistory(wh, v));
    if (ctx.json) return print(JSON.stringify(events, null, 2));
    print(
      textTable(
        ["#", "version", "from", "to", "at", "why"],
        events.map((e) => [
          String(e.seq),
          String(e.version),
          e.fromStage ?? "-",
          e.toStage,
          e.at,
          e.reason ?? "",
        ]),
      ),
    );
  });
}

function print(text: string): void {
  process.stdout.write(`${text}\n`);
}
