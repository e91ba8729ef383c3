import assert from "node:assert/strict";
import { test } from "node:test";
import { InputError } from "../core/errors.ts";
import { escapeHtml, htmlPage } from "./html.ts";
import { metricTable } from "./metric-table.ts";
import { samplePage } from "./sample-page.ts";

const EVIL = `<script>alert("x")</script>`;

test("escapeHtml escapes the five HTML specials", () => {
  assert.equal(escapeHtml(`<a href="x">'&'</a>`), "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
  assert.equal(escapeHtml(null), "");
});

test("htmlPage escapes user text everywhere: titles, headings, intros, notes, captions, table cells", () => {
  const html = htmlPage({
    title: EVIL,
    subtitle: EVIL,
    generatedAt: EVIL,
    sections: [
      {
        id: "one",
        heading: EVIL,
        intro: EVIL,
        blocks: [
          { note: EVIL },
          { svg: "<svg></svg>", caption: EVIL },
          { table: { columns: [EVIL, "n"], rows: [[EVIL, 1.5]], caption: EVIL } },
        ],
      },
    ],
  });
  assert.ok(!html.includes("<script"), "no script element survives");
  assert.ok(html.includes("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"));
});

test("htmlPage: self-contained (CSP, inline style, no external URL), table of contents, stable section ids", () => {
  const html = htmlPage({
    title: "T",
    sections: [
      { id: "summary", heading: "Summary", blocks: ["<p>trusted</p>"] },
      {
        id: "by-horizon",
        heading: "By horizon",
        blocks: [{ svg: "<svg id='a'></svg>" }, { svg: "<svg></svg>" }],
      },
    ],
  });
  assert.match(html, /^<!doctype html>/);
  assert.match(html, /Content-Security-Policy" content="default-src 'none'/);
  assert.ok(!/(src|href)="(https?:)?\/\//.test(html), "no external requests");
  assert.match(html, /<a href="#summary">Summary<\/a>.*<a href="#by-horizon">By horizon<\/a>/s);
  assert.match(html, /<section class="report-section" id="by-horizon" data-section="by-horizon">/);
  assert.match(html, /<p>trusted<\/p>/, "string blocks are trusted HTML");
  assert.equal(html.split('<div class="figures">').length - 1, 1, "consecutive charts share one row");
});

test("htmlPage: an empty section and an empty table say 'No data'", () => {
  const html = htmlPage({
    title: "T",
    sections: [
      { id: "empty", heading: "Empty", blocks: [] },
      { id: "table", heading: "Table", blocks: [{ table: { columns: ["a"], rows: [], caption: "cases" } }] },
    ],
  });
  assert.match(html, /No data for this section/);
  assert.match(html, /cases: No data: the table has no rows/);
});

test("htmlPage: table columns of numbers align and share decimals; integers stay whole", () => {
  const html = htmlPage({
    title: "T",
    sections: [
      {
        id: "t",
        heading: "T",
        blocks: [
          {
            table: {
              columns: ["name", "share", "n"],
              rows: [
                ["a", 0.00552, 412880],
                ["b", 1, 7],
                ["c", 0.5, 3],
                ["d", null, 0],
              ],
            },
          },
        ],
      },
    ],
  });
  assert.match(html, /<th scope="col" class="num">share<\/th>/);
  assert.match(html, /<td class="num">0\.006<\/td>.*<td class="num">1\.000<\/td>/s);
  assert.match(html, /<td class="num">412,880<\/td>/);
  assert.match(html, /<td class="num missing">–<\/td>/);
});

test("htmlPage rejects a malformed or repeated section id with an InputError", () => {
  const page = (ids: string[]) => ({
    title: "T",
    sections: ids.map((id) => ({ id, heading: id, blocks: [] })),
  });
  assert.throws(
    () => htmlPage(page(["Bad Id"])),
    (e: unknown) => e instanceof InputError && /lowercase/.test(e.message),
  );
  assert.throws(
    () => htmlPage(page(["a", "a"])),
    (e: unknown) => e instanceof InputError && /used twice/.test(e.message),
  );
});

test("metricTable: best per column in bold by direction or target, CI, ratio to reference, dagger when separated", () => {
  const rows = [
    { model: "gbdt", metric: "pinball", value: 0.4, lo: 0.39, hi: 0.41 },
    { model: "naive", metric: "pinball", value: 0.5, lo: 0.48, hi: 0.52 },
    { model: "gbdt", metric: "cov", value: 0.9 },
    { model: "naive", metric: "cov", value: 0.96 },
    { model: "gbdt", metric: "other", value: 1 },
    { model: EVIL, metric: "other", value: 2 },
  ];
  const html = metricTable(rows, {
    reference: "naive",
    metrics: [
      { name: "pinball", higherIsBetter: false },
      { name: "cov", label: "coverage", target: 0.95 },
      { name: "other" },
    ],
  });
  assert.match(
    html,
    /<strong>0\.400†<\/strong> <span class="ratio">×0\.80<\/span><\/span><span class="ci">\[0\.390, 0\.410\]/,
  );
  assert.match(html, /<strong>0\.960<\/strong>/, "coverage: closest to the target wins");
  assert.ok(!html.includes("<strong>1") && !html.includes("<strong>2"), "no direction, no bold");
  assert.ok(!/×1\.07|×0\.94/.test(html), "no ratio for a target metric");
  assert.ok(!html.includes("<script"));
  assert.match(metricTable([]), /No data/);
});

test("the sample page has every block kind and is reproducible", async () => {
  const [a, b] = [await samplePage(7), await samplePage(7)];
  assert.equal(a, b);
  for (const kind of [
    'class="metric-table"',
    "<svg ",
    "<table>",
    'class="note"',
    'class="note warn"',
    "No data for this section",
  ])
    assert.ok(a.includes(kind), kind);
  assert.notEqual(await samplePage(8), a, "the seed changes the data");
});
