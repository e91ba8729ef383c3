import assert from "node:assert/strict";
import { test } from "node:test";
import type { TopLevelSpec } from "vega-lite";
import { InputError } from "../core/errors.ts";
import { QUANTILES } from "../core/quantiles.ts";
import { barChart } from "./bar-chart.ts";
import { calibrationChart } from "./calibration-chart.ts";
import { fanChart } from "./fan-chart.ts";
import { histogramChart, histogramFacetChart } from "./histogram-chart.ts";
import { lineChart } from "./line-chart.ts";
import { metricByGroupChart } from "./metric-by-group-chart.ts";
import { metricByHorizonChart } from "./metric-by-horizon-chart.ts";
import { renderSvg, stableIds } from "./svg.ts";
import { modelColors } from "./theme.ts";

/** Render and insist on a clean compile: a Vega-Lite warning usually means a field or channel is wrong. */
async function render(spec: TopLevelSpec): Promise<string> {
  const warnings: string[] = [];
  const svg = await renderSvg(spec, { warnings });
  assert.deepEqual(warnings, [], "no Vega/Vega-Lite warnings");
  assert.match(svg, /^<svg /);
  return svg;
}

/** How many drawn items of a kind: "line mark", "area mark", "rule mark", "point", "bar", "rect mark". */
function count(svg: string, role: string): number {
  return svg.split(`aria-roledescription="${role}"`).length - 1;
}

/** Distinct stroke/fill colours of items of a kind. */
function colours(svg: string, role: string): Set<string> {
  const re = new RegExp(`aria-roledescription="${role}"[^>]*?(?:stroke|fill)="(#[0-9a-fA-F]{6})"`, "g");
  return new Set([...svg.matchAll(re)].map((m) => m[1]!.toLowerCase()));
}

const MODELS = ["gbdt", "naive", "mq"];

test("metricByHorizonChart: one line and one CI band per model, colours fixed by the model list", async () => {
  const rows = MODELS.flatMap((model, m) =>
    Array.from({ length: 28 }, (_, h) => ({
      model,
      horizon: h + 1,
      value: 1 + m + h / 28,
      lo: m + 0.9,
      hi: m + 1.2,
    })),
  );
  const colors = modelColors(["naive", "gbdt", "mq"]);
  const svg = await render(metricByHorizonChart(rows, "pinball", { colors }));
  assert.equal(count(svg, "line mark"), 3);
  assert.equal(count(svg, "area mark"), 3);
  assert.deepEqual(colours(svg, "line mark"), new Set(colors.range.map((c) => c.toLowerCase())));
  // Without lo/hi: lines only.
  const bare = await render(
    metricByHorizonChart(
      rows.map(({ lo, hi, ...r }) => r),
      "pinball",
    ),
  );
  assert.equal(count(bare, "area mark"), 0);
  assert.equal(count(bare, "line mark"), 3);
});

test("metricByGroupChart: a dot and a whisker per model and group", async () => {
  const rows = MODELS.flatMap((model, m) =>
    ["dairy", "bakery", "frozen", "drinks"].map((group, g) => ({
      model,
      group,
      value: m + g,
      lo: m + g - 0.2,
      hi: m + g + 0.2,
    })),
  );
  const svg = await render(metricByGroupChart(rows, "WAPE", "category"));
  assert.equal(count(svg, "point"), 12, "legend symbols are not counted as points");
  assert.equal(count(svg, "rule mark"), 12);
});

test("calibrationChart: diagonal, and a P(y<q)..P(y<=q) range per model and level in both panels", async () => {
  const rows = MODELS.flatMap((model) =>
    QUANTILES.map((level) => ({
      model,
      level,
      coverageLe: Math.min(1, level + 0.02),
      coverageLt: level - 0.01,
    })),
  );
  const svg = await render(calibrationChart(rows, { tolerance: 0.03 }));
  assert.equal(count(svg, "line mark"), 1, "the diagonal");
  // 18 ranges per panel plus the zero rule of the deviation panel.
  assert.equal(count(svg, "rule mark"), 2 * 18 + 1);
  assert.equal(count(svg, "rect mark"), 1, "the tolerance band");
  assert.match(svg, /coverage minus/);
});

test("fanChart: history, nested bands, median, the 0.95 line, actual points and the origin rule", async () => {
  const dates = Array.from({ length: 28 }, (_, i) => `2024-03-${String(i + 1).padStart(2, "0")}`);
  const bands = QUANTILES.map((level) => ({
    level,
    values: dates.map((_, i) => 10 + 8 * (level - 0.5) + (i % 7)),
  }));
  const actual = dates.map((_, i) => (i < 20 ? 9 + (i % 5) : null));
  const history = { dates: ["2024-02-27", "2024-02-28", "2024-02-29"], values: [8, 11, 9] };
  const svg = await render(fanChart({ title: "store 1 <milk>", dates, actual, bands, history }));
  assert.equal(count(svg, "area mark"), 2, "outer and inner band");
  assert.equal(count(svg, "line mark"), 3, "history, median, q0.95");
  assert.equal(count(svg, "rule mark"), 1, "origin");
  assert.equal(count(svg, "point"), 20, "one point per known actual (legend symbols are squares)");
  assert.match(svg, /store 1 &lt;milk&gt;/);
  assert.ok(!svg.includes("<milk>"));
});

test("fanChart: misaligned inputs are an InputError naming the field and what to do", () => {
  const dates = ["2024-01-01", "2024-01-02"];
  const bands = [{ level: 0.5, values: [1, 2] }];
  assert.throws(
    () => fanChart({ title: "s", dates, actual: [1], bands }),
    (e: unknown) =>
      e instanceof InputError && /column "actual"/.test(e.message) && /one actual/.test(e.message),
  );
  assert.throws(
    () => fanChart({ title: "s", dates, actual: [1, 2], bands: [{ level: 0.5, values: [1] }] }),
    (e: unknown) => e instanceof InputError && /quantile 0.5 has 1 values for 2 dates/.test(e.message),
  );
  assert.throws(() => fanChart({ title: "s", dates: ["01/02/2024"], actual: [1], bands }), /YYYY-MM-DD/);
});

test("lineChart: one line per (series, style), dashes for styles, log scale accepted", async () => {
  const rows = ["q0.5", "q0.95"].flatMap((series) =>
    ["train", "validation"].flatMap((style) =>
      Array.from({ length: 10 }, (_, i) => ({
        x: i + 1,
        y: 1 / (i + 1) + (style === "train" ? 0 : 0.1),
        series,
        style,
      })),
    ),
  );
  const svg = await render(
    lineChart(rows, {
      title: "Learning",
      xLabel: "iteration",
      yLabel: "loss",
      logY: true,
      markers: [{ x: 5, label: "best" }],
    }),
  );
  assert.equal(count(svg, "line mark"), 4);
  assert.ok(svg.includes('stroke-dasharray="6,3"'), "validation lines dashed");
  assert.equal(count(svg, "rule mark"), 1);
});

test("histogramChart and the faceted variant: integer data gets contiguous whole-number bins", async () => {
  const values = Array.from({ length: 500 }, (_, i) => (i * 7919) % 21).map((v) => v - 10);
  const svg = await render(histogramChart(values, { title: "Residuals", xLabel: "error", bins: 40 }));
  // 21 distinct integers -> 21 unit bins, not 40 bins with gaps between them.
  assert.equal(count(svg, "rect mark"), 21);
  assert.match(svg, /n = 500/);
  const facets = await render(
    histogramFacetChart(
      QUANTILES.map((q) => ({ label: `q${q}`, values: values.map((v) => v + 0.25) })),
      { title: "Per quantile", xLabel: "error", bins: 10 },
    ),
  );
  // Span 20 in about 10 bins on an integer lattice -> width 3 -> 7 bins, the same in all six panels.
  assert.equal(count(facets, "rect mark"), 6 * 7);
});

test("barChart: sorted bars, top-N kept", async () => {
  const rows = Array.from({ length: 30 }, (_, i) => ({ label: `feature_${i}`, value: (i * 37) % 30 }));
  const svg = await render(barChart(rows, { title: "Importance", xLabel: "gain", top: 10 }));
  assert.equal(count(svg, "bar"), 10);
  assert.match(svg, /Top 10 of 30/);
});

test("empty input gives a 'No data' chart, never a crash", async () => {
  const specs = [
    metricByHorizonChart([], "pinball"),
    metricByGroupChart([], "WAPE", "store"),
    calibrationChart([]),
    fanChart({ title: "s", dates: [], actual: [], bands: [] }),
    lineChart([], { title: "t", xLabel: "x", yLabel: "y" }),
    histogramChart([], { title: "h", xLabel: "x" }),
    histogramChart([Number.NaN], { title: "h", xLabel: "x" }),
    barChart([], { title: "b", xLabel: "x" }),
  ];
  for (const spec of specs) assert.match(await render(spec), /No data: /);
});

test("rendering is byte-identical across calls, and ids differ between different charts", async () => {
  const rows = MODELS.flatMap((model, m) =>
    [1, 2, 3].map((horizon) => ({ model, horizon, value: m + horizon })),
  );
  const a = await render(metricByHorizonChart(rows, "pinball"));
  assert.equal(a, await render(metricByHorizonChart(rows, "pinball")));
  // Clipped marks get clip-path ids from Vega's process-wide counter: the case that needs stableIds.
  const clipped = (title: string): TopLevelSpec => ({
    title,
    data: { values: [{ x: 1, y: 2 }] },
    mark: { type: "point", clip: true },
    encoding: { x: { field: "x", type: "quantitative" }, y: { field: "y", type: "quantitative" } },
  });
  const first = await render(clipped("one"));
  assert.equal(first, await render(clipped("one")));
  const other = await render(clipped("two"));
  const ids = (svg: string) => new Set([...svg.matchAll(/\bid="([^"]+)"/g)].map((m) => m[1]));
  assert.ok(ids(first).size > 0, "the chart has clip paths");
  for (const id of ids(first)) assert.ok(!ids(other).has(id), `id ${id} appears in two different charts`);
});

test("stableIds renames declarations and every reference consistently", () => {
  const svg =
    '<svg><clipPath id="clip7"><rect/></clipPath><g clip-path="url(#clip7)"/><use href="#clip7"/></svg>';
  const out = stableIds(svg);
  const id = /id="([^"]+)"/.exec(out)![1]!;
  assert.match(id, /^v[0-9a-f]{10}-0$/);
  assert.ok(out.includes(`url(#${id})`) && out.includes(`href="#${id}"`));
  assert.equal(stableIds(svg.replaceAll("clip7", "clip99")), out, "the counter's value does not leak");
});
