import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { FileSink, NULL_INT, type WriterTable } from "./table-writer.ts";
import { Warehouse } from "./warehouse.ts";

const root = mkdtempSync(join(tmpdir(), "megaretail-writer-"));
after(() => rmSync(root, { recursive: true, force: true }));

const TABLE: WriterTable = {
  name: "t",
  columns: [
    { name: "date", type: "DATE", nullable: false },
    { name: "store_id", type: "VARCHAR", nullable: false, idPattern: { prefix: "S", width: 4, offset: 1 } },
    { name: "check_id", type: "VARCHAR", nullable: false, intText: true },
    { name: "ts", type: "TIMESTAMP", nullable: false },
    { name: "n", type: "INTEGER", nullable: true },
    { name: "x", type: "DOUBLE", nullable: true },
    { name: "flag", type: "BOOLEAN", nullable: false },
    { name: "note", type: "VARCHAR", nullable: true },
    { name: "since", type: "DATE", nullable: true },
    { name: "seen", type: "TIMESTAMP", nullable: true },
    {
      name: "product_id",
      type: "VARCHAR",
      nullable: true,
      idPattern: { prefix: "P", width: 6, offset: 1, count: 50 },
    },
  ],
};

for (const format of ["parquet", "csv"] as const) {
  test(`rows come back in order with their types and nulls, across several ${format} parts`, async () => {
    const dir = join(root, format);
    const sink = await FileSink.open();
    const w = await sink.writer(TABLE, { dir, format, partRows: 2048 });
    const N = 10_000;
    for (let i = 0; i < N; i++) {
      await w.flushIfFull(1);
      w.num(0, 19000 + Math.floor(i / 100));
      w.num(1, i % 7);
      w.num(2, 2022010100000 + i);
      w.num(3, 19000 * 86400 + i + 0.5);
      w.num(4, i % 5 === 0 ? NULL_INT : i);
      w.num(5, i % 3 === 0 ? Number.NaN : i / 4);
      w.num(6, i % 2);
      w.text(7, i % 4 === 0 ? null : `row ${i}`);
      w.num(8, i % 6 === 0 ? NULL_INT : 18000 + i);
      w.num(9, i % 10 === 0 ? Number.NaN : -86400 + i * 60);
      w.num(10, i % 9 === 0 ? NULL_INT : i % 50);
      w.end();
    }
    const written = await w.finish();
    sink.close();
    assert.equal(written.rows, N);
    assert.ok(written.files.length >= 4, `parts: ${written.files.length}`);
    const wh = await Warehouse.open(":memory:");
    try {
      const files = `[${written.files.map((f) => `'${f}'`).join(", ")}]`;
      const reader = format === "csv" ? `read_csv(${files}, header = true)` : `read_parquet(${files})`;
      const rows = await wh.all(`SELECT * FROM ${reader}`);
      assert.equal(rows.length, N);
      const r = rows[1234]!;
      assert.equal(r.date, "2022-01-20");
      assert.equal(r.store_id, "S0003");
      assert.equal(String(r.check_id), "2022010101234");
      assert.equal(r.n, 1234);
      assert.equal(r.x, 1234 / 4);
      assert.equal(r.flag, false);
      assert.equal(r.note, "row 1234");
      assert.match(String(r.ts), /^2022-01-08[ T]00:20:34\.5/);
      assert.equal(r.since, "2022-08-30");
      // Before 1970 too (negative epoch seconds): a day before the epoch plus 1234 minutes.
      assert.equal(new Date(String(r.seen)).toISOString(), "1969-12-31T20:34:00.000Z");
      assert.equal(r.product_id, "P000035");
      const nulls = rows[0]!;
      for (const c of ["n", "x", "note", "since", "seen", "product_id"]) assert.equal(nulls[c], null, c);
      // Nulls of every kind land on exactly their rows (validity bits across vector boundaries).
      const nullRows = (c: string) => rows.flatMap((x, i) => (x[c] === null ? [i] : []));
      const every = (k: number) => Array.from({ length: Math.ceil(N / k) }, (_, j) => j * k);
      assert.deepEqual(nullRows("n"), every(5));
      assert.deepEqual(nullRows("x"), every(3));
      assert.deepEqual(nullRows("since"), every(6));
      assert.deepEqual(nullRows("seen"), every(10));
      assert.deepEqual(nullRows("product_id"), every(9));
      // Order is preserved across parts.
      assert.deepEqual(
        rows.slice(4094, 4099).map((x) => String(x.check_id)),
        [4094, 4095, 4096, 4097, 4098].map((i) => String(2022010100000 + i)),
      );
    } finally {
      wh.close();
    }
  });
}

test("a writer that is not told to flush refuses to overflow its buffer", async () => {
  const sink = await FileSink.open();
  const w = await sink.writer(
    { name: "u", columns: [{ name: "n", type: "INTEGER" }] },
    { dir: root, format: "csv", partRows: 2048 },
  );
  assert.throws(() => {
    for (let i = 0; i < 5000; i++) {
      w.num(0, i);
      w.end();
    }
  }, /flushIfFull/);
  sink.close();
});
