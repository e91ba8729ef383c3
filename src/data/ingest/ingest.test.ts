import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { InputError } from "../../core/errors.ts";
import { Rng } from "../../core/rng.ts";
import { sqlString, Warehouse } from "../warehouse.ts";
import { ingestFiles } from "./ingest.ts";
import { REASON_CODES } from "./reasons.ts";

const dir = mkdtempSync(join(tmpdir(), "mr-ingest-"));
let n = 0;
function file(text: string, ext = "csv"): string {
  const p = join(dir, `f${n++}.${ext}`);
  writeFileSync(p, text);
  return p;
}

/** A warehouse with stores S1, S2 and products P1, P2, loaded through ingest itself. */
async function warehouse(): Promise<Warehouse> {
  const wh = await Warehouse.open(":memory:");
  await ingestFiles(wh, "stores", [file("store_id,city\nS1,Oslo\nS2,Bergen\n")]);
  await ingestFiles(wh, "products", [file("product_id,category_l1\nP1,FOODS\nP2,HOBBIES\n")]);
  return wh;
}

const SALES = [
  "date,store_id,product_id,units,revenue,discount",
  "2024-01-01,S1,P1,3,7.5,0",
  "2024-01-01,S1,P2,1,2.0,",
  "2024-01-01,S1,P1,3,7.5,0", // duplicate of line 2
  "2024-01-02,S1,P1,-2,0,0", // negative quantity
  "2024-01-02,S9,P1,1,1,0", // unknown store
  "2024-01-02,S2,P1", // malformed: too few fields
  "2024-01-02,S2,P2,4,8,1",
].join("\n");

test("the acceptance case: four bad rows quarantined with four different reasons, good rows loaded", async () => {
  const wh = await warehouse();
  const path = file(SALES);
  const s = await ingestFiles(wh, "sales", [path]);
  assert.equal(s.rowsRead, 7);
  assert.equal(s.accepted, 3);
  assert.equal(s.quarantined, 4);
  assert.deepEqual(s.byReason, { duplicate_key: 1, malformed_line: 1, out_of_range: 1, unknown_ref: 1 });
  assert.equal(await wh.scalar("SELECT count(*) FROM sales"), 3);
  const q = await wh.all("SELECT line, reason, column_name, source_file FROM quarantine ORDER BY line");
  assert.deepEqual(
    q.map((r) => [r.line, r.reason, r.column_name]),
    [
      [4, "duplicate_key", null],
      [5, "out_of_range", "units"],
      [6, "unknown_ref", "store_id"],
      [7, "malformed_line", null],
    ],
  );
  assert.ok(q.every((r) => r.source_file === path));
  for (const r of q) assert.ok((r.reason as string) in REASON_CODES);
  const raw = await wh.one<{ raw: string; message: string }>(
    "SELECT raw, message FROM quarantine WHERE line = 7",
  );
  assert.equal(raw?.raw, "2024-01-02,S2,P1");
  assert.match(raw?.message ?? "", /wrong number of fields/);
  wh.close();
});

test("duplicate keys are found in files sorted by key (fast path) and in unsorted ones", async () => {
  const head = "date,store_id,product_id,units";
  const cases: { lines: string[]; dupLines: number[] }[] = [
    // Sorted and distinct: one bit per (store, product, day) proves there is no duplicate.
    {
      lines: ["2024-01-01,S1,P1,1", "2024-01-01,S1,P2,1", "2024-01-01,S2,P1,1", "2024-01-02,S1,P1,1"],
      dupLines: [],
    },
    // Sorted with a repeated key: the bits do not prove it distinct, the hash sort finds it.
    {
      lines: ["2024-01-01,S1,P1,1", "2024-01-01,S1,P2,1", "2024-01-01,S1,P2,2", "2024-01-02,S1,P1,1"],
      dupLines: [4],
    },
    // A bad row between two sorted ones is left out of the check; the rest stays sorted.
    { lines: ["2024-01-01,S1,P1,1", "2024-01-01,S1,P1,-1", "2024-01-01,S1,P2,1"], dupLines: [] },
    // Unsorted and distinct, unsorted with a repeat far apart.
    { lines: ["2024-01-02,S1,P1,1", "2024-01-01,S2,P2,1", "2024-01-01,S1,P1,1"], dupLines: [] },
    {
      lines: ["2024-01-02,S1,P1,1", "2024-01-01,S2,P2,1", "2024-01-01,S1,P1,1", "2024-01-02,S1,P1,5"],
      dupLines: [5],
    },
    // Dates more than MAX_KEY_SPAN_DAYS apart: no per-day bits, the order check and hash sort decide.
    { lines: ["2024-01-02,S1,P1,1", "2018-01-01,S2,P2,1", "2024-01-02,S1,P2,1"], dupLines: [] },
    {
      lines: ["2024-01-02,S1,P1,1", "2018-01-01,S2,P2,1", "2024-01-02,S1,P1,1", "2018-01-01,S2,P2,3"],
      dupLines: [4, 5],
    },
  ];
  for (const c of cases) {
    const wh = await warehouse();
    await ingestFiles(wh, "sales", [file([head, ...c.lines].join("\n"))]);
    const dups = await wh.all<{ line: number }>(
      "SELECT line FROM quarantine WHERE reason = 'duplicate_key' ORDER BY line",
    );
    assert.deepEqual(
      dups.map((r) => r.line),
      c.dupLines,
      c.lines.join(" | "),
    );
    wh.close();
  }
});

test("duplicate keys match a brute-force search on random small files, sorted and unsorted", async () => {
  const rng = new Rng(7);
  const wh = await warehouse();
  for (let round = 0; round < 12; round++) {
    const n = 3 + rng.int(8);
    let keys: string[] = [];
    for (let i = 0; i < n; i++) keys.push(`2024-01-0${1 + rng.int(2)},S${1 + rng.int(2)},P${1 + rng.int(2)}`);
    if (round % 2 === 0) keys = keys.sort();
    // Now and then a negative row: refused before the duplicate check, so it never counts as a first.
    const lines = keys.map((k) => `${k},${rng.int(4) === 0 ? -1 : 1}`);
    const expected: number[] = [];
    const seen = new Set<string>();
    lines.forEach((l, i) => {
      if (l.endsWith(",-1")) return;
      const key = l.slice(0, l.lastIndexOf(","));
      if (seen.has(key)) expected.push(i + 2);
      seen.add(key);
    });
    await wh.run("DELETE FROM sales; DELETE FROM quarantine; DELETE FROM ingest_log");
    await ingestFiles(wh, "sales", [file(["date,store_id,product_id,units", ...lines].join("\n"))]);
    const dups = await wh.all<{ line: number }>(
      "SELECT line FROM quarantine WHERE reason = 'duplicate_key' ORDER BY line",
    );
    assert.deepEqual(
      dups.map((r) => r.line),
      expected,
      lines.join(" | "),
    );
  }
  wh.close();
});

test("line numbers stay right after rejected lines; types, dates, NaN and missing values are quarantined", async () => {
  const wh = await warehouse();
  const text = [
    "date,store_id,product_id,units",
    "2024-01-01,S1,P1,1,extra", // 2 malformed
    "2024-02-30,S1,P1,1", // 3 bad date
    "2024-01-03,S1,P1,abc", // 4 bad type
    "2024-01-04,S1,P1,1", // 5 ok
    "2024-01-05,,P1,1", // 6 missing value
    "2024-01-06,S1,P1,nan", // 7 not finite
    "2024-01-07,S1,P3,2", // 8 unknown product
  ].join("\n");
  const s = await ingestFiles(wh, "sales", [file(text)]);
  assert.equal(s.accepted, 1);
  const q = await wh.all("SELECT line, reason, column_name FROM quarantine ORDER BY line");
  assert.deepEqual(
    q.map((r) => [r.line, r.reason, r.column_name]),
    [
      [2, "malformed_line", null],
      [3, "bad_date", "date"],
      [4, "bad_type", "units"],
      [6, "missing_value", "store_id"],
      [7, "bad_type", "units"],
      [8, "unknown_ref", "product_id"],
    ],
  );
  const drift = await wh.all(
    "SELECT column_name, kind FROM schema_drift WHERE table_name = 'sales' ORDER BY column_name",
  );
  assert.deepEqual(drift, [
    { column_name: "discount", kind: "missing_optional_column" },
    { column_name: "revenue", kind: "missing_optional_column" },
  ]);
  wh.close();
});

test("a file missing a required column fails naming it, and no table changes", async () => {
  const wh = await warehouse();
  await ingestFiles(wh, "sales", [file(SALES)]);
  const before = await wh.tableCounts();
  const good = file("date,store_id,product_id,units\n2024-02-01,S1,P1,1\n");
  const bad = file("date,store_id,units\n2024-02-01,S1,1\n");
  await assert.rejects(ingestFiles(wh, "sales", [good, bad]), (e: Error) => {
    assert.ok(e instanceof InputError);
    assert.match(e.message, /product_id/);
    assert.ok(e.message.includes(bad));
    return true;
  });
  assert.deepEqual(await wh.tableCounts(), before);
  wh.close();
});

test("unreadable files fail with a clear InputError: wrong delimiter, not Parquet, missing, empty", async () => {
  const wh = await warehouse();
  const before = await wh.tableCounts();
  const cases: [string, RegExp][] = [
    [file("date;store_id;product_id;units\n2024-01-01;S1;P1;1\n"), /separated by ";"/],
    [file("date\tstore_id\tproduct_id\tunits\n"), /separated by a tab/],
    [file("date,store_id,product_id,units\n2024-01-01,S1,P1,1\n", "parquet"), /not a readable Parquet file/],
    [join(dir, "no-such-file.csv"), /file not found/],
    [file(""), /empty/],
    [file("x", "xlsx"), /cannot tell the format/],
  ];
  for (const [path, re] of cases) {
    await assert.rejects(ingestFiles(wh, "sales", [path]), (e: Error) => {
      assert.ok(e instanceof InputError, `${path}: ${e.message}`);
      assert.match(e.message, re);
      return true;
    });
  }
  assert.deepEqual(await wh.tableCounts(), before);
  await assert.rejects(ingestFiles(wh, "daily", [cases[0]![0]]), /unknown table "daily"/);
  wh.close();
});

test("re-ingesting the same file adds nothing; an overlapping file replaces the rows it covers", async () => {
  const wh = await warehouse();
  const first = file(SALES);
  await ingestFiles(wh, "sales", [first]);
  const before = await wh.tableCounts();
  const again = await ingestFiles(wh, "sales", [first]);
  assert.equal(again.files[0]?.alreadyIngested, true);
  assert.equal(again.accepted, 0);
  assert.deepEqual(await wh.tableCounts(), before);

  // Overlaps (2024-01-01, S1, P1) and adds (2024-01-03, S1, P1).
  const overlap = file("date,store_id,product_id,units\n2024-01-01,S1,P1,10\n2024-01-03,S1,P1,5\n");
  const s = await ingestFiles(wh, "sales", [overlap]);
  assert.equal(s.accepted, 2);
  assert.equal(await wh.scalar("SELECT count(*) FROM sales"), 4);
  const rows = await wh.all("SELECT date, store_id, product_id, units, revenue FROM sales ORDER BY ALL");
  assert.deepEqual(rows, [
    { date: "2024-01-01", store_id: "S1", product_id: "P1", units: 10, revenue: null },
    { date: "2024-01-01", store_id: "S1", product_id: "P2", units: 1, revenue: 2 },
    { date: "2024-01-02", store_id: "S2", product_id: "P2", units: 4, revenue: 8 },
    { date: "2024-01-03", store_id: "S1", product_id: "P1", units: 5, revenue: null },
  ]);
  assert.equal(await wh.scalar("SELECT count(*) FROM ingest_log WHERE table_name = 'sales'"), 2);
  wh.close();
});

test("parquet: a file, a directory of parts; wrong types are drift and their bad values quarantined", async () => {
  const wh = await warehouse();
  const partDir = mkdtempSync(join(dir, "parts-"));
  await wh.run(`COPY (SELECT DATE '2024-01-01' + i::INT AS date, 'S1' AS store_id, 'P1' AS product_id, i::DOUBLE AS units
    FROM range(5) t(i)) TO ${sqlString(join(partDir, "a.parquet"))} (FORMAT parquet)`);
  await wh.run(`COPY (SELECT DATE '2024-01-10' + i::INT AS date, 'S2' AS store_id, 'P2' AS product_id, i AS units,
    'x' AS note FROM range(3) t(i)) TO ${sqlString(join(partDir, "b.parquet"))} (FORMAT parquet)`);
  const s = await ingestFiles(wh, "sales", [partDir]);
  assert.equal(s.accepted, 8);
  assert.equal(s.files.length, 1);
  assert.equal(await wh.scalar("SELECT sum(units) FROM sales"), 10 + 3);

  const typed = join(dir, "typed.parquet");
  await wh.run(`COPY (SELECT * FROM (VALUES ('2024-03-01', 'S1', 'P1', '2'), ('2024-03-02', 'S1', 'P1', 'two'),
    ('2024-03-33', 'S1', 'P1', '1')) v(date, store_id, product_id, units)) TO ${sqlString(typed)} (FORMAT parquet)`);
  const t = await ingestFiles(wh, "sales", [typed]);
  assert.deepEqual([t.accepted, t.byReason], [1, { bad_date: 1, bad_type: 1 }]);
  const q = await wh.all(
    "SELECT line, reason, column_name, raw FROM quarantine WHERE source_file = $1 ORDER BY line",
    [typed],
  );
  assert.deepEqual(q, [
    { line: 2, reason: "bad_type", column_name: "units", raw: "2024-03-02,S1,P1,two" },
    { line: 3, reason: "bad_date", column_name: "date", raw: "2024-03-33,S1,P1,1" },
  ]);
  const kinds = await wh.all(
    "SELECT column_name, kind FROM schema_drift WHERE kind = 'wrong_type' ORDER BY 1",
  );
  assert.deepEqual(kinds, [
    { column_name: "date", kind: "wrong_type" },
    { column_name: "units", kind: "wrong_type" },
  ]);
  wh.close();
});

test("allowed values, date order and extra columns", async () => {
  const wh = await warehouse();
  const ev = await ingestFiles(wh, "calendar_events", [
    file(
      "date,region,name,event_type,source\n2024-12-25,*,Christmas,holiday,x\n2024-07-04,*,Party,party,x\n",
    ),
  ]);
  assert.deepEqual([ev.accepted, ev.byReason], [1, { not_allowed: 1 }]);
  assert.deepEqual(
    await wh.all("SELECT column_name, kind FROM schema_drift WHERE table_name = 'calendar_events'"),
    [{ column_name: "source", kind: "extra_column" }],
  );
  const pr = await ingestFiles(wh, "promos", [
    file(
      "promo_id,product_id,start_date,end_date,promo_type,discount\nA,P1,2024-01-01,2024-01-07,discount,0.2\nB,P1,2024-01-07,2024-01-01,discount,0.2\nC,P2,2024-01-01,2024-01-02,discount,1.5\n",
    ),
  ]);
  assert.deepEqual([pr.accepted, pr.byReason], [1, { inconsistent_dates: 1, out_of_range: 1 }]);
  wh.close();
});
