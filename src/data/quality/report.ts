import type { Warehouse } from "../warehouse.ts";
import { QUALITY_CHECKS } from "./checks.ts";
import { qualityContext } from "./context.ts";
import {
  type CheckResult,
  isIssue,
  type QualityCheck,
  type QualityOptions,
  type QualityReport,
} from "./types.ts";

/**
 * Runs every quality check on the warehouse and gathers the findings: issues (errors and warnings with a
 * non-zero count) decide `clean`; info results carry row counts, coverage and censoring shares. Reads only
 * (apart from connection-local temporary tables).
 */
export async function qualityReport(
  wh: Warehouse,
  options: QualityOptions & { checks?: readonly QualityCheck[] } = {},
): Promise<QualityReport> {
  const { checks = QUALITY_CHECKS, ...rest } = options;
  const ctx = await qualityContext(wh, rest);
  const results: CheckResult[] = [];
  const ran: QualityReport["checks"] = [];
  for (const check of checks) {
    const found = await check.run(ctx);
    results.push(...found);
    ran.push({ name: check.name, description: check.description, issues: found.filter(isIssue).length });
  }
  const issues = results.filter(isIssue).length;
  const tables: Record<string, number> = {};
  for (const [name, n] of Object.entries(ctx.counts)) tables[name] = n;
  return { db: wh.path, clean: issues === 0, issues, tables, checks: ran, results };
}
