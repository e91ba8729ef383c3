import assert from "node:assert/strict";
import { test } from "node:test";
import { type TypedKind, Warehouse } from "./warehouse.ts";

/** What readTyped must return for one JSON value: NULL -> NaN / -1 / 0, booleans 0/1, numbers as the kind holds them. */
function expected(x: unknown, kind: TypedKind): number {
  if (x === null) return kind === "f32" || kind === "f64" ? Number.NaN : kind === "i32" ? -1 : 0;
  const v = typeof x === "boolean" ? (x ? 1 : 0) : Number(x);
  return kind === "f32" ? Math.fround(v) : kind === "i32" ? v | 0 : kind === "u8" ? v & 255 : v;
}

test("readTyped copies vectors in blocks with the same values and NULLs as value by value, over many chunks", async () => {
  const wh = await Warehouse.open(":memory:");
  // NULLs: none in most 64-row runs, every 7th row in some, a whole run in others; 5000 rows span 3 chunks.
  const nul = (e: string) =>
    `CASE WHEN (i // 64) % 3 = 1 AND i % 7 = 0 OR (i // 64) % 11 = 5 THEN NULL ELSE ${e} END`;
  const sql = `SELECT ${nul("i * 0.37")}::FLOAT AS f, ${nul("i / 3")}::DOUBLE AS d, ${nul("i - 2500")}::INTEGER AS n,
      ${nul("i % 300 - 150")}::SMALLINT AS s, ${nul("i % 200 - 100")}::TINYINT AS t, ${nul("i % 250")}::UTINYINT AS u,
      ${nul("i % 3 = 0")} AS b, ${nul("i * 1000003")}::BIGINT AS big, i::INTEGER AS plain
    FROM range(5000) r(i) ORDER BY i`;
  const kinds = {
    f: "f32",
    d: "f64",
    n: "i32",
    s: "i32",
    t: "f64",
    u: "u8",
    b: "u8",
    big: "f64",
    plain: "i32",
  } as const;
  const cols = await wh.readTyped(sql, kinds);
  // The same query as JSON rows, and the same columns read into other kinds (conversions in the block path).
  const rows = await wh.all(sql);
  const other = await wh.readTyped(sql, {
    f: "f64",
    d: "f32",
    n: "f32",
    b: "f32",
    u: "i32",
    plain: "u8",
  } as const);
  assert.equal(rows.length, 5000);
  for (const [name, kind] of Object.entries(kinds)) {
    const got = (cols as Record<string, ArrayLike<number>>)[name]!;
    assert.equal(got.length, 5000);
    for (let i = 0; i < 5000; i++) assert.equal(got[i], expected(rows[i]![name], kind), `${name} row ${i}`);
  }
  for (const [name, kind] of Object.entries({
    f: "f64",
    d: "f32",
    n: "f32",
    b: "f32",
    u: "i32",
    plain: "u8",
  })) {
    const got = (other as Record<string, ArrayLike<number>>)[name]!;
    for (let i = 0; i < 5000; i++) {
      // FLOAT read as f64 keeps the float's exact value (JSON rows give the same number).
      assert.equal(got[i], expected(rows[i]![name], kind as TypedKind), `${name} as ${kind} row ${i}`);
    }
  }
  assert.ok(Number.isNaN(cols.f[70]!) && cols.n[70] === -1 && cols.u[70] === 0);
  wh.close();
});
