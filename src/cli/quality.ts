import type { Command } from "commander";
import { qualityReport } from "../data/quality/report.ts";
import { type CheckResult, isIssue, type QualityReport } from "../data/quality/types.ts";
import { type CommonOptions, commandContext, withCommonOptions, withWarehouse } from "./context.ts";
import { EXIT } from "./exit-codes.ts";

/** Registers `megaretail quality`. */
export function register(program: Command): void {
  withCommonOptions(
    program
      .command("quality")
      .description(
        "Check the warehouse's data: duplicates, gaps, negative or impossible values, unknown ids, schema drift, quarantined rows, row counts per day, coverage, stockout share. Exit code 0 when clean, 3 when issues were found.",
      )
      .option("--examples <n>", "example rows shown per finding", (v) => Number.parseInt(v, 10), 5),
  ).action(async (opts: CommonOptions & { examples: number }) => {
    const ctx = commandContext(opts);
    const report = await withWarehouse(ctx, (wh) => qualityReport(wh, { examples: opts.examples }));
    process.stdout.write(ctx.json ? `${JSON.stringify(report, null, 2)}\n` : formatQuality(report));
    if (!report.clean) process.exitCode = EXIT.issuesFound;
  });
}

const LABEL: Record<CheckResult["severity"], string> = {
  error: "ERROR  ",
  warning: "WARNING",
  info: "info   ",
};

/** The report as text for a person: issues with examples first, then the measurements. */
export function formatQuality(report: QualityReport): string {
  const lines: string[] = [];
  const issues = report.results.filter(isIssue);
  const errors = issues.filter((r) => r.severity === "error").length;
  lines.push(
    `Data quality of ${report.db}: ${
      report.clean
        ? "clean"
        : `${report.issues} issues (${errors} errors, ${issues.length - errors} warnings)`
    }`,
    "",
    "Checks",
  );
  for (const c of report.checks) {
    lines.push(`  ${c.name.padEnd(14)} ${c.issues === 0 ? "ok" : `${c.issues} issues`}   (${c.description})`);
  }
  if (issues.length > 0) {
    lines.push("", "Issues");
    for (const r of issues) {
      lines.push(`  ${LABEL[r.severity]} ${r.code.padEnd(14)} ${r.title}`);
      for (const e of r.examples) {
        const where = e.source ? `${e.source}${e.row !== undefined ? `:${e.row}` : ""}: ` : "";
        lines.push(`           ${where}${e.message}`);
      }
    }
  }
  const info = report.results.filter((r) => !isIssue(r) && !(r.code === "row-count" && r.count === 0));
  if (info.length > 0) {
    lines.push("", "Measurements");
    for (const r of info) lines.push(`  ${r.code.padEnd(24)} ${r.title}`);
  }
  lines.push(
    "",
    report.clean ? "No issues found." : `${report.issues} issues found (exit code ${EXIT.issuesFound}).`,
    "",
  );
  return lines.join("\n");
}
