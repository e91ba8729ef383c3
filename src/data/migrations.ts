import { ConflictError } from "../core/errors.ts";
import { createTableSql, TABLES } from "./schema.ts";
import type { Warehouse } from "./warehouse.ts";

/**
 * Forward-only migrations. The warehouse records the last applied version in `meta`. Tables are declared in
 * schema.ts and every open creates the ones missing (CREATE TABLE IF NOT EXISTS), so a new table needs no
 * migration; a migration is for changing existing tables, and must be safe on a warehouse created at any
 * earlier version (e.g. `ADD COLUMN IF NOT EXISTS`).
 */
interface Migration {
  version: number;
  description: string;
  up: () => string[];
}

const MIGRATIONS: Migration[] = [
  {
    version: 1,
    description: "create every table of src/data/schema.ts",
    up: () => TABLES.map(createTableSql),
  },
  {
    version: 2,
    description: "tables added after version 1 are created by every open (kept so version-2 warehouses open)",
    up: () => [],
  },
];

/** The schema version this code writes. */
export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;

/** Applies every migration newer than the warehouse's version, each in its own transaction. */
export async function migrate(wh: Warehouse): Promise<void> {
  await wh.run("CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR NOT NULL)");
  const row = await wh.one<{ value: string }>("SELECT value FROM meta WHERE key = 'schema_version'");
  const current = row ? Number(row.value) : 0;
  if (current > SCHEMA_VERSION) {
    throw new ConflictError(
      `${wh.path}: warehouse schema version ${current} is newer than this megaretail (${SCHEMA_VERSION}); upgrade megaretail`,
    );
  }
  for (const m of MIGRATIONS) {
    if (m.version <= current) continue;
    await wh.transaction(async () => {
      for (const sql of m.up()) await wh.run(sql);
      await wh.run("INSERT OR REPLACE INTO meta VALUES ('schema_version', $1)", [String(m.version)]);
    });
  }
  for (const sql of TABLES.map(createTableSql)) await wh.run(sql);
}
