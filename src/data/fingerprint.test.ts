import assert from "node:assert/strict";
import { test } from "node:test";
import { canonicalJson, dataFingerprint, FINGERPRINT_TABLES } from "./fingerprint.ts";
import { Warehouse } from "./warehouse.ts";

const SALES = [
  ["2024-01-01", "s1", "p1", 3],
  ["2024-01-02", "s1", "p1", 0],
  ["2024-01-02", "s2", "p1", 5],
  ["2024-01-05", "s2", "p2", 1],
] as const;

async function warehouse(rows: readonly (readonly [string, string, string, number])[]): Promise<Warehouse> {
  const wh = await Warehouse.open(":memory:");
  await wh.run("INSERT INTO stores (store_id, dc_id) VALUES ('s1', 'd1'), ('s2', 'd1')");
  await wh.run("INSERT INTO products (product_id, category_l1) VALUES ('p1', 'food'), ('p2', 'food')");
  for (const [date, store, product, units] of rows) {
    await wh.run(
      "INSERT INTO sales (date, store_id, product_id, units) VALUES (CAST($1 AS DATE), $2, $3, $4)",
      [date, store, product, units],
    );
  }
  return wh;
}

test("same data in another row order gives the same fingerprint; sources and daily are covered", async () => {
  const a = await warehouse(SALES);
  const b = await warehouse([...SALES].reverse());
  const fa = await dataFingerprint(a);
  const fb = await dataFingerprint(b);
  assert.deepEqual(fa, fb);
  assert.match(fa.hash, /^[0-9a-f]{64}$/);
  assert.deepEqual(fa.tables.map((t) => t.name).sort(), [...FINGERPRINT_TABLES].sort());
  assert.ok(FINGERPRINT_TABLES.includes("daily") && FINGERPRINT_TABLES.includes("sales"));
  const sales = fa.tables.find((t) => t.name === "sales")!;
  assert.deepEqual([sales.rows, sales.minDate, sales.maxDate], [4, "2024-01-01", "2024-01-05"]);
  const stores = fa.tables.find((t) => t.name === "stores")!;
  assert.equal(stores.rows, 2);
  assert.notEqual(stores.checksum, "0");
  a.close();
  b.close();
});

test("one changed value changes that table's checksum only, and the overall hash", async () => {
  const a = await warehouse(SALES);
  const before = await dataFingerprint(a);
  await a.run("UPDATE sales SET units = 4 WHERE date = DATE '2024-01-01'");
  const after = await dataFingerprint(a);
  assert.notEqual(after.hash, before.hash);
  for (const t of after.tables) {
    const old = before.tables.find((x) => x.name === t.name)!;
    if (t.name === "sales") {
      assert.notEqual(t.checksum, old.checksum);
      assert.equal(t.rows, old.rows);
    } else assert.deepEqual(t, old);
  }
  a.close();
});

test("a duplicated row changes the checksum (a sum of hashes, not an XOR that would cancel)", async () => {
  const a = await warehouse(SALES);
  const b = await warehouse([...SALES, SALES[0], SALES[0]]);
  const sa = (await dataFingerprint(a)).tables.find((t) => t.name === "sales")!;
  const sb = (await dataFingerprint(b)).tables.find((t) => t.name === "sales")!;
  assert.notEqual(sa.checksum, sb.checksum);
  a.close();
  b.close();
});

test("canonical JSON sorts keys at every depth", () => {
  assert.equal(
    canonicalJson({ b: 1, a: { d: [1, { f: 2, e: 3 }], c: null } }),
    '{"a":{"c":null,"d":[1,{"e":3,"f":2}]},"b":1}',
  );
});
