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
      assert.ok(String(r.ts).startsWith("2022-01-08"));
      const nulls = rows[0]!;
      assert.equal(nulls.n, null);
      assert.equal(nulls.x, null);
      assert.equal(nulls.note, null);
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
