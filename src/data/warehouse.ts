import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import {
  DuckDBBooleanVector,
  type DuckDBConnection,
  DuckDBDoubleVector,
  DuckDBFloatVector,
  DuckDBInstance,
  DuckDBIntegerVector,
  DuckDBMaterializedResult,
  DuckDBSmallIntVector,
  DuckDBTinyIntVector,
  DuckDBUIntegerVector,
  DuckDBUSmallIntVector,
  DuckDBUTinyIntVector,
  type DuckDBValue,
  type DuckDBVector,
} from "@duckdb/node-api";
import { InputError } from "../core/errors.ts";
import { migrate } from "./migrations.ts";

/** A JSON-friendly value: DATE -> "YYYY-MM-DD", TIMESTAMP -> ISO string, BIGINT/HUGEINT -> number. */
export type Cell = string | number | boolean | null;
export type Row = Record<string, Cell>;
export type Params = DuckDBValue[] | Record<string, DuckDBValue>;

/** Typed array kinds `readTyped` fills. */
export type TypedKind = "f32" | "f64" | "i32" | "u8";
const TYPED = { f32: Float32Array, f64: Float64Array, i32: Int32Array, u8: Uint8Array } as const;
type TypedOf = { f32: Float32Array; f64: Float64Array; i32: Int32Array; u8: Uint8Array };
/** The typed arrays `readTyped` returns, by column name, each of the kind asked for. */
export type TypedColumns<T extends Record<string, TypedKind>> = { [K in keyof T]: TypedOf[T[K]] };

/**
 * The embedded warehouse: one DuckDB file. The only module that talks to DuckDB; everything else asks it
 * for rows or typed columns. Opening it applies pending migrations.
 */
export class Warehouse {
  private depth = 0;

  private constructor(
    readonly path: string,
    private readonly instance: DuckDBInstance,
    readonly connection: DuckDBConnection,
  ) {}

  /** Opens (creating if needed) the warehouse at `path` (":memory:" for a throwaway one) and migrates it. */
  static async open(
    path: string,
    options: { threads?: number; memoryLimit?: string } = {},
  ): Promise<Warehouse> {
    if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
    const settings: Record<string, string> = {};
    if (options.threads) settings.threads = String(options.threads);
    if (options.memoryLimit) settings.memory_limit = options.memoryLimit;
    let instance: DuckDBInstance;
    try {
      instance = await DuckDBInstance.create(path, settings);
    } catch (e) {
      throw new InputError(
        `cannot open the warehouse: ${(e as Error).message} (is another megaretail process using it, or is it not a DuckDB file?)`,
        { file: path },
        { cause: e },
      );
    }
    const wh = new Warehouse(path, instance, await instance.connect());
    await migrate(wh);
    return wh;
  }

  /** Runs a statement for its effect. */
  async run(sql: string, params?: Params): Promise<void> {
    await this.connection.run(sql, params);
  }

  /** Runs a query and returns its rows as plain JSON-friendly objects. */
  async all<T extends Row = Row>(sql: string, params?: Params): Promise<T[]> {
    const reader = await this.connection.runAndReadAll(sql, params);
    return reader.getRowObjectsJS().map((r) => {
      const out: Row = {};
      for (const [k, v] of Object.entries(r)) out[k] = toCell(v);
      return out as T;
    });
  }

  /** First row of a query, or undefined. */
  async one<T extends Row = Row>(sql: string, params?: Params): Promise<T | undefined> {
    return (await this.all<T>(sql, params))[0];
  }

  /** A single number from a query's first row and column (NULL -> NaN). */
  async scalar(sql: string, params?: Params): Promise<number> {
    const row = await this.one(sql, params);
    const v = row ? Object.values(row)[0] : null;
    return v === null || v === undefined ? Number.NaN : Number(v);
  }

  /**
   * Streams a query's result into typed arrays, one per requested column, without building row objects
   * (the fast path from the warehouse to modelling code). NULL becomes NaN in float columns and -1 in int
   * columns; booleans become 0/1 in Uint8Array.
   */
  async readTyped<T extends Record<string, TypedKind>>(
    sql: string,
    kinds: T,
    params?: Params,
  ): Promise<TypedColumns<T>> {
    const names = Object.keys(kinds) as (keyof T & string)[];
    const result = await this.connection.run(sql, params);
    const index = resultColumns(result.columnNames(), names, "readTyped");
    let capacity = 1 << 16;
    let cols = names.map((name) => new TYPED[kinds[name]](capacity));
    let n = 0;
    for (;;) {
      const chunk = await result.fetchChunk();
      if (!chunk || chunk.rowCount === 0) break;
      const m = chunk.rowCount;
      if (n + m > capacity) {
        while (n + m > capacity) capacity *= 2;
        cols = cols.map((a, j) => {
          const b = new TYPED[kinds[names[j]!]](capacity);
          b.set(a.subarray(0, n));
          return b;
        });
      }
      names.forEach((name, j) => {
        const v = chunk.getColumnVector(index[j]!);
        const out = cols[j]!;
        const missing =
          kinds[name] === "f32" || kinds[name] === "f64" ? Number.NaN : kinds[name] === "i32" ? -1 : 0;
        if (copyBlock(v, out, n, m, missing)) return;
        for (let i = 0; i < m; i++) {
          const x = v.getItem(i);
          out[n + i] = x === null ? missing : typeof x === "boolean" ? (x ? 1 : 0) : Number(x);
        }
      });
      n += m;
    }
    const out = {} as TypedColumns<T>;
    names.forEach((name, j) => {
      (out as Record<string, unknown>)[name] = cols[j]!.slice(0, n);
    });
    return out;
  }

  /**
   * Streams a query's result chunk by chunk as typed arrays (same kinds and NULL handling as readTyped) to
   * `onChunk`, which must use the arrays before returning (they are reused for the next chunk): a caller that
   * routes rows elsewhere never holds the whole result in memory.
   */
  async scanTyped<T extends Record<string, TypedKind>>(
    sql: string,
    kinds: T,
    onChunk: (columns: TypedColumns<T>, rows: number) => void,
    params?: Params,
  ): Promise<void> {
    await this.startScan(sql, kinds, params).scan(onChunk);
  }

  /**
   * scanTyped in two steps: the query starts at once (DuckDB computes its whole result on its own threads);
   * `computed` resolves when it has, after which the warehouse may run the next query while `scan` hands this
   * result's chunks to onChunk (as scanTyped). A started scan must be scanned or awaited before the warehouse is
   * closed.
   */
  startScan<T extends Record<string, TypedKind>>(
    sql: string,
    kinds: T,
    params?: Params,
  ): {
    computed: Promise<void>;
    scan: (onChunk: (columns: TypedColumns<T>, rows: number) => void) => Promise<void>;
  } {
    const running = this.connection.run(sql, params);
    const computed = running.then(() => undefined);
    // A query never scanned (the caller failed first) must not surface as an unhandled rejection.
    computed.catch(() => undefined);
    return { computed, scan: (onChunk) => scanResult(running, kinds, onChunk) };
  }

  /**
   * Writes numeric columns into a fresh temporary table (DuckDB's appender: no SQL text per row), for bulk
   * results computed in JS. NaN becomes NULL. Join it to other tables to write the final rows.
   */
  async stageNumbers(
    name: string,
    columns: Record<string, { type: "INTEGER" | "DOUBLE"; values: ArrayLike<number> }>,
  ) {
    const entries = Object.entries(columns);
    await this.run(`DROP TABLE IF EXISTS temp."${name}"`);
    await this.run(`CREATE TEMP TABLE "${name}" (${entries.map(([c, v]) => `"${c}" ${v.type}`).join(", ")})`);
    const n = entries[0]?.[1].values.length ?? 0;
    const appender = await this.connection.createAppender(name, "main", "temp");
    try {
      for (let i = 0; i < n; i++) {
        for (const [, col] of entries) {
          const v = col.values[i]!;
          if (Number.isNaN(v)) appender.appendNull();
          else if (col.type === "INTEGER") appender.appendInteger(v);
          else appender.appendDouble(v);
        }
        appender.endRow();
      }
      appender.flushSync();
    } finally {
      appender.closeSync();
    }
  }

  /**
   * Runs `fn` in one transaction: everything or nothing. Nested calls join the outer transaction.
   */
  async transaction<T>(fn: () => Promise<T>): Promise<T> {
    if (this.depth > 0) return fn();
    await this.run("BEGIN TRANSACTION");
    this.depth++;
    try {
      const result = await fn();
      await this.run("COMMIT");
      return result;
    } catch (e) {
      await this.run("ROLLBACK");
      throw e;
    } finally {
      this.depth--;
    }
  }

  /** Row count of every table in the warehouse, by name. */
  async tableCounts(): Promise<Record<string, number>> {
    const names = await this.all<{ name: string }>(
      "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'main' ORDER BY table_name",
    );
    const out: Record<string, number> = {};
    for (const { name } of names) out[name] = await this.scalar(`SELECT count(*) FROM "${name}"`);
    return out;
  }

  /** Closes the connection and the database file. */
  close(): void {
    this.connection.closeSync();
    this.instance.closeSync();
  }
}

/** Quotes a string as a SQL literal (for file paths in COPY/read_csv, which take no parameters). */
export function sqlString(s: string): string {
  return `'${s.replaceAll("'", "''")}'`;
}

function toCell(v: unknown): Cell {
  if (v === null || v === undefined) return null;
  if (typeof v === "bigint") return Number(v);
  if (v instanceof Date) {
    const iso = v.toISOString();
    return iso.endsWith("T00:00:00.000Z") ? iso.slice(0, 10) : iso;
  }
  if (typeof v === "number" || typeof v === "string" || typeof v === "boolean") return v;
  return String(v);
}

/** Vector classes whose getItem is the plain number items[i] (when valid): their data can be copied in bulk. */
const NUMERIC_VECTORS = [
  DuckDBFloatVector,
  DuckDBDoubleVector,
  DuckDBIntegerVector,
  DuckDBMaterializedResult,
  DuckDBSmallIntVector,
  DuckDBTinyIntVector,
  DuckDBUIntegerVector,
  DuckDBUSmallIntVector,
  DuckDBUTinyIntVector,
] as const;

/**
 * readTyped's fast path: copies m values of a numeric or boolean vector into out[n..] as a block (typed-array
 * set or one plain loop) instead of getItem per value (which tests validity with BigInt arithmetic), then writes
 * `missing` where the validity mask marks NULL. Same values as the getItem path. False for other vector types.
 */
function copyBlock(
  v: DuckDBVector,
  out: Float32Array | Float64Array | Int32Array | Uint8Array,
  n: number,
  m: number,
  missing: number,
): boolean {
  if (v instanceof DuckDBBooleanVector) {
    const dv = (v as unknown as { dataView: DataView }).dataView;
    const bytes = new Uint8Array(dv.buffer, dv.byteOffset, m);
    for (let i = 0; i < m; i++) out[n + i] = bytes[i] !== 0 ? 1 : 0;
  } else if (NUMERIC_VECTORS.some((C) => v instanceof C)) {
    const items = (v as unknown as { items: Float32Array | Float64Array | Int32Array }).items;
    if (items.length < m) return false;
    if (items.constructor === out.constructor) out.set(items.subarray(0, m), n);
    else for (let i = 0; i < m; i++) out[n + i] = items[i]!;
  } else return false;
  const { data, offset } = (v as unknown as { validity: { data: BigUint64Array | null; offset: number } })
    .validity;
  if (!data) return true;
  // The mask as 32-bit words (little-endian: bits 0-31 of a 64-bit word are its first half); all-valid words
  // are skipped.
  const words = new Uint32Array(data.buffer, data.byteOffset, data.length * 2);
  for (let i = 0; i < m; ) {
    const bit = offset + i;
    if ((bit & 31) === 0 && words[bit >>> 5] === 0xffffffff && i + 32 <= m) {
      i += 32;
      continue;
    }
    if (((words[bit >>> 5]! >>> (bit & 31)) & 1) === 0) out[n + i] = missing;
    i++;
  }
  return true;
}

/** Hands the chunks of a query result to onChunk as typed arrays (Warehouse.scanTyped). */
async function scanResult<T extends Record<string, TypedKind>>(
  running: ReturnType<DuckDBConnection["run"]>,
  kinds: T,
  onChunk: (columns: TypedColumns<T>, rows: number) => void,
): Promise<void> {
  const names = Object.keys(kinds) as (keyof T & string)[];
  const result = await running;
  const index = resultColumns(result.columnNames(), names, "scanTyped");
  let capacity = 0;
  let cols: (Float32Array | Float64Array | Int32Array | Uint8Array)[] = [];
  const view = {} as TypedColumns<T>;
  // A materialized result's chunks are read synchronously: fetching each through the event loop left the main
  // thread idle between chunks (thousands of round trips for a scan of `daily`).
  const materialized = result instanceof DuckDBMaterializedResult ? result : null;
  const count = materialized ? materialized.chunkCount : Number.POSITIVE_INFINITY;
  for (let c = 0; c < count; c++) {
    const chunk = materialized ? materialized.getChunk(c) : await result.fetchChunk();
    if (!chunk || chunk.rowCount === 0) break;
    const m = chunk.rowCount;
    if (m > capacity) {
      capacity = Math.max(m, 2048);
      cols = names.map((name) => new TYPED[kinds[name]](capacity));
      names.forEach((name, j) => {
        (view as Record<string, unknown>)[name] = cols[j]!;
      });
    }
    names.forEach((name, j) => {
      const v = chunk.getColumnVector(index[j]!);
      const out = cols[j]!;
      const missing =
        kinds[name] === "f32" || kinds[name] === "f64" ? Number.NaN : kinds[name] === "i32" ? -1 : 0;
      if (copyBlock(v, out, 0, m, missing)) return;
      for (let i = 0; i < m; i++) {
        const x = v.getItem(i);
        out[i] = x === null ? missing : typeof x === "boolean" ? (x ? 1 : 0) : Number(x);
      }
    });
    onChunk(view, m);
  }
}

/** Positions of `names` among a result's columns; a missing one is a programming error naming the method. */
function resultColumns(columns: string[], names: string[], method: string): number[] {
  return names.map((name) => {
    const i = columns.indexOf(name);
    if (i < 0) throw new Error(`${method}: column "${name}" is not in the query result`);
    return i;
  });
}
