import { type ColumnSpec, TABLES, type TableSpec } from "../schema.ts";
import { hasColumns, hasRows, keyText, pickKey, q } from "./context.ts";
import type { CheckResult, QualityCheck, QualityContext } from "./types.ts";

/** A condition a bad row satisfies, with the code and words to report it by. */
interface Rule {
  code: string;
  column?: string;
  /** SQL condition true for an offending row. */
  where: string;
  what: string;
}

/** Relations between columns that no real row can break. */
const CROSS_RULES: Record<string, Omit<Rule, "code">[]> = {
  promos: [{ column: "end_date", where: `"end_date" < "start_date"`, what: "ends before it starts" }],
  stores: [{ column: "close_date", where: `"close_date" < "open_date"`, what: "closes before it opens" }],
  products: [
    {
      column: "delisted_date",
      where: `"delisted_date" < "introduced_date"`,
      what: "delisted before it was introduced",
    },
  ],
  sales: [{ column: "revenue", where: `"units" = 0 AND "revenue" > 0`, what: "revenue without units sold" }],
  daily: [{ column: "revenue", where: `"units" = 0 AND "revenue" > 0`, what: "revenue without units sold" }],
  transactions: [
    { column: "revenue", where: `"units" = 0 AND "revenue" > 0`, what: "revenue without units" },
  ],
  stock: [
    {
      column: "closing_stock",
      where: `"closing_stock" > "opening_stock" + "deliveries"`,
      what: "closing stock above opening stock plus deliveries",
    },
  ],
  weather: [
    { column: "issued_date", where: `"issued_date" > "date"`, what: "issued after the day it is for" },
  ],
  prices: [
    {
      column: "promo_price",
      where: `"promo_price" > "regular_price"`,
      what: "promo price above the regular price",
    },
  ],
};

function columnRules(c: ColumnSpec): Rule[] {
  const col = q(c.name);
  const rules: Rule[] = [];
  if (!c.nullable)
    rules.push({ code: "null-required", column: c.name, where: `${col} IS NULL`, what: "is empty" });
  if (c.type === "DOUBLE") {
    rules.push({
      code: "non-finite",
      column: c.name,
      where: `NOT isfinite(${col})`,
      what: "is NaN or infinite",
    });
  }
  if (c.min === 0) {
    rules.push({ code: "negative", column: c.name, where: `${col} < 0`, what: "is negative" });
  } else if (c.min !== undefined) {
    rules.push({
      code: "out-of-range",
      column: c.name,
      where: `${col} < ${c.min}`,
      what: `is below ${c.min}`,
    });
  }
  if (c.max !== undefined) {
    rules.push({
      code: "out-of-range",
      column: c.name,
      where: `${col} > ${c.max}`,
      what: `is above ${c.max}`,
    });
  }
  if (c.values) {
    const list = c.values.map((v) => `'${v.replaceAll("'", "''")}'`).join(", ");
    rules.push({
      code: "bad-value",
      column: c.name,
      where: `${col} NOT IN (${list})`,
      what: `is not one of ${c.values.join(", ")}`,
    });
  }
  return rules;
}

function rulesOf(ctx: QualityContext, spec: TableSpec): Rule[] {
  const rules = spec.columns.flatMap(columnRules);
  for (const r of CROSS_RULES[spec.name] ?? []) rules.push({ code: "impossible", ...r });
  // A drifted warehouse may lack a column: skip the rules that would name it rather than fail the report.
  const cols = ctx.columns.get(spec.name)!;
  const names = spec.columns.map((c) => c.name).filter((n) => !cols.has(n));
  return rules.filter((r) => !names.some((n) => r.where.includes(`"${n}"`)));
}

/**
 * Negative or impossible values: required columns left empty, numbers outside the ranges of schema.ts
 * (negative units, prices, stock), NaN/infinity, values outside a closed list, and relations no real row
 * breaks (a promo ending before it starts, revenue without units). One scan per table.
 */
export const valuesCheck: QualityCheck = {
  name: "values",
  description: "empty required fields, negative or out-of-range numbers, impossible combinations",
  async run(ctx) {
    const out: CheckResult[] = [];
    for (const spec of TABLES) {
      if (spec.kind === "system" || !hasRows(ctx, spec.name) || !hasColumns(ctx, spec.name, spec.key))
        continue;
      const rules = rulesOf(ctx, spec);
      if (rules.length === 0) continue;
      const counts = await ctx.wh.one<Record<string, number>>(
        `SELECT ${rules.map((r, i) => `count(*) FILTER (WHERE coalesce(${r.where}, false)) AS r${i}`).join(", ")}
         FROM ${q(spec.name)}`,
      );
      // Rules with the same code and column (e.g. below min, above max) are reported as one finding.
      const merged = new Map<string, { rule: Rule; count: number; rules: Rule[] }>();
      rules.forEach((rule, i) => {
        const id = `${rule.code}:${rule.column ?? ""}`;
        const m = merged.get(id) ?? { rule, count: 0, rules: [] };
        m.count += counts?.[`r${i}`] ?? 0;
        m.rules.push(rule);
        merged.set(id, m);
      });
      for (const { rule, count, rules: group } of merged.values()) {
        if (count === 0) continue;
        const where = group.map((r) => `coalesce(${r.where}, false)`).join(" OR ");
        const cols = [...new Set([...spec.key, ...(rule.column ? [rule.column] : [])])].map(q).join(", ");
        const rows = await ctx.wh.all(
          `SELECT ${cols} FROM ${q(spec.name)} WHERE ${where} LIMIT ${ctx.options.examples}`,
        );
        const what = group.map((r) => r.what).join(" or ");
        out.push({
          code: rule.code,
          check: "values",
          severity: "error",
          table: spec.name,
          title: `${spec.name}: ${count} rows where ${rule.column ?? "a value"} ${what}`,
          count,
          examples: rows.map((r) => {
            const key = pickKey(r, spec.key);
            const value = rule.column ? ` (${rule.column} = ${r[rule.column]})` : "";
            return {
              code: rule.code,
              table: spec.name,
              column: rule.column,
              key,
              message: `${keyText(key)}: ${rule.column ?? "row"} ${what}${value}`,
            };
          }),
        });
      }
    }
    return out;
  },
};
