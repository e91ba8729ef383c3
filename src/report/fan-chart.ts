/**
 * A fan chart of one series: recent history, the forecast quantiles as nested bands around the median, the
 * actuals that came true as points, and a rule at the forecast origin.
 */
import type { TopLevelSpec } from "vega-lite";
import { InputError } from "../core/errors.ts";
import { noDataSpec } from "./no-data.ts";
import { BAND_COLORS } from "./theme.ts";

/** Input of fanChart: dates are ISO days (YYYY-MM-DD); each band holds one quantile level's value per date. */
export interface FanInput {
  title: string;
  subtitle?: string;
  dates: string[];
  actual: (number | null)[];
  bands: { level: number; values: number[] }[];
  history?: { dates: string[]; values: (number | null)[] };
  /** Forecast origin (ISO day); default: the last history date, else the first forecast date. */
  origin?: string;
  yLabel?: string;
}

const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

/** Vega-Lite spec of the fan chart; throws InputError when the arrays do not line up. */
export function fanChart(input: FanInput): TopLevelSpec {
  const { title, dates, actual, bands } = input;
  if (dates.length === 0 || bands.length === 0)
    return noDataSpec(title, "no forecast dates or quantile bands");
  check(input);
  const levels = [...bands].sort((a, b) => a.level - b.level);
  const at = (level: number) => levels.find((b) => Math.abs(b.level - level) < 1e-9);
  const outer = { lo: levels[0]!, hi: levels[levels.length - 1]! };
  const inner = at(0.25) && at(0.75) ? { lo: at(0.25)!, hi: at(0.75)! } : undefined;
  const median = at(0.5);
  const extra = levels.filter((b) => b !== outer.lo && b !== outer.hi && b !== median && !isInner(b, inner));
  const pct = (l: number) => `${+(l * 100).toFixed(1)}%`;
  const names = {
    outer: `${pct(outer.lo.level)}\u2013${pct(outer.hi.level)}`,
    inner: inner ? `${pct(inner.lo.level)}\u2013${pct(inner.hi.level)}` : "",
    median: "median",
    actual: "actual",
    history: "history",
  };
  const forecast = dates.map((date, i) => ({
    date,
    outerLo: outer.lo.values[i],
    outerHi: outer.hi.values[i],
    innerLo: inner?.lo.values[i],
    innerHi: inner?.hi.values[i],
    median: median?.values[i],
    actual: actual[i],
    // Plain names: a dot in a Vega-Lite field name ("q0.95") would mean a nested property.
    ...Object.fromEntries(extra.map((b, k) => [`extra${k}`, b.values[i]])),
  }));
  const history = (input.history?.dates ?? []).map((date, i) => ({ date, value: input.history!.values[i] }));
  const origin = input.origin ?? input.history?.dates.at(-1) ?? dates[0]!;
  const x = {
    field: "date",
    type: "temporal",
    timeUnit: "utcyearmonthdate",
    title: null,
    axis: { format: "%d %b", labelOverlap: true, grid: false },
  } as const;
  const y = (field: string) => ({ field, type: "quantitative", title: input.yLabel ?? "units" }) as const;
  const extraNames = extra.map((b) => pct(b.level));
  const legendDomain = [
    names.outer,
    ...(inner ? [names.inner] : []),
    ...(median ? [names.median] : []),
    ...extraNames,
    names.actual,
  ];
  const legendRange: string[] = [
    BAND_COLORS.outer,
    ...(inner ? [BAND_COLORS.inner] : []),
    ...(median ? [BAND_COLORS.median] : []),
    ...extra.map(() => BAND_COLORS.extra),
    BAND_COLORS.actual,
  ];
  if (history.length > 0) {
    legendDomain.push(names.history);
    legendRange.push("#8c8c8c");
  }
  const key = (name: string) =>
    ({
      datum: name,
      type: "nominal",
      title: null,
      scale: { domain: legendDomain, range: legendRange },
    }) as const;
  return {
    title: { text: title, ...(input.subtitle ? { subtitle: input.subtitle } : {}) },
    description: title,
    width: 400,
    height: 200,
    config: { legend: { orient: "bottom", direction: "horizontal", columns: 6, symbolType: "square" } },
    layer: [
      ...(history.length > 0
        ? [
            {
              data: { values: history },
              mark: { type: "line", strokeWidth: 1.5 },
              encoding: { x, y: y("value"), color: key(names.history) },
            },
          ]
        : []),
      {
        data: { values: forecast },
        layer: [
          {
            mark: { type: "area", opacity: 1 },
            encoding: { x, y: y("outerLo"), y2: { field: "outerHi" }, fill: key(names.outer) },
          },
          ...(inner
            ? [
                {
                  mark: { type: "area", opacity: 1 },
                  encoding: { x, y: y("innerLo"), y2: { field: "innerHi" }, fill: key(names.inner) },
                },
              ]
            : []),
          ...extra.map((_, k) => ({
            mark: { type: "line", strokeWidth: 1.2, strokeDash: [4, 3] },
            encoding: { x, y: y(`extra${k}`), color: key(extraNames[k]!) },
          })),
          ...(median
            ? [
                {
                  mark: { type: "line", strokeWidth: 2 },
                  encoding: { x, y: y("median"), color: key(names.median) },
                },
              ]
            : []),
          {
            mark: { type: "point", filled: true, size: 22, opacity: 1 },
            encoding: { x, y: y("actual"), color: key(names.actual) },
          },
        ],
      },
      {
        data: { values: [{ date: origin, label: "origin" }] },
        layer: [
          { mark: { type: "rule", color: "#555555", strokeDash: [2, 2] }, encoding: { x } },
          {
            mark: {
              type: "text",
              align: "left",
              dx: 3,
              dy: 0,
              baseline: "top",
              fontSize: 10,
              color: "#555555",
              y: 0,
            },
            encoding: { x, text: { field: "label" } },
          },
        ],
      },
    ],
    resolve: { scale: { color: "shared", fill: "shared" } },
  } as TopLevelSpec;
}

function isInner(b: { level: number }, inner: { lo: { level: number }; hi: { level: number } } | undefined) {
  return inner !== undefined && (b === inner.lo || b === inner.hi);
}

function check(input: FanInput): void {
  const where = (column: string) => ({ file: `fan chart "${input.title}"`, column });
  const n = input.dates.length;
  const bad = input.dates.findIndex((d) => !ISO_DAY.test(d));
  if (bad >= 0)
    throw new InputError(`date #${bad + 1} "${input.dates[bad]}" is not a YYYY-MM-DD day`, where("dates"));
  if (input.actual.length !== n)
    throw new InputError(
      `${input.actual.length} actuals for ${n} dates: pass one actual (or null) per date`,
      where("actual"),
    );
  for (const b of input.bands) {
    if (!(b.level > 0 && b.level < 1))
      throw new InputError(`level ${b.level} is not in (0, 1)`, where("bands"));
    if (b.values.length !== n)
      throw new InputError(
        `quantile ${b.level} has ${b.values.length} values for ${n} dates: pass one per date`,
        where("bands"),
      );
  }
  const h = input.history;
  if (h && h.dates.length !== h.values.length)
    throw new InputError(
      `history has ${h.dates.length} dates but ${h.values.length} values`,
      where("history"),
    );
}
