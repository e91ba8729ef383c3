import { mkdirSync } from "node:fs";
import { join } from "node:path";
import {
  BIGINT,
  DATE,
  type DuckDBConnection,
  type DuckDBDataChunk,
  DuckDBDoubleType,
  DuckDBInstance,
  DuckDBIntegerType,
  DuckDBTableFunction,
  type DuckDBType,
  DuckDBVarCharType,
  type DuckDBVector,
  ENUM,
  INTEGER,
  TIMESTAMP,
} from "@duckdb/node-api";
// The raw C API (the package node-api is built on): block copies into a chunk's vectors. node-api's
// getColumnVector re-reads the column type per chunk, which for an ENUM means all its strings.
import duckdb from "@duckdb/node-bindings";
import type { ColumnType } from "./schema.ts";
import { sqlString } from "./warehouse.ts";

/** Output file format of a table writer. */
export type FileFormat = "csv" | "parquet";

/** A column to write: its name and warehouse type; optional ways of encoding it while staged. */
export interface WriterColumn {
  name: string;
  type: ColumnType;
  nullable?: boolean;
  /**
   * VARCHAR given as an index into this list of distinct strings (ids stay numbers until DuckDB writes
   * the file: they reach DuckDB as an ENUM, which Parquet stores as a dictionary-encoded string).
   */
  dict?: readonly string[];
  /** VARCHAR given as an integer number and written as its decimal text (e.g. check ids). */
  intText?: boolean;
  /**
   * VARCHAR given as an integer n and written as prefix + (n + offset) zero-padded to `width`
   * (e.g. "P000042" for n = 41 with offset 1). With `count`, n must lie in [0, count) and the column goes
   * to DuckDB as an ENUM of those ids (much cheaper than rendering each id in SQL).
   */
  idPattern?: { prefix: string; width: number; offset?: number; count?: number };
}

/** What a writer needs to know about a table (a `TableSpec` of schema.ts fits). */
export interface WriterTable {
  name: string;
  columns: readonly WriterColumn[];
}

/** Where and how a table writer writes. */
export interface WriterOptions {
  dir: string;
  format: FileFormat;
  /** Rows per part (default: about 16 MB of staged rows). */
  partRows?: number;
  /** One file for everything (small tables). */
  single?: boolean;
  /** Inserted in part file names, so several writers of one table can share its directory. */
  partPrefix?: string;
}

/** Where a writer's rows went. */
export interface WrittenTable {
  table: string;
  files: string[];
  rows: number;
}

/** Numbers the writers of this process (see TableWriter's table function name). */
let writerSerial = 0;

/** Integer columns use this value for null (NaN does the job for doubles). */
export const NULL_INT = -2147483648;

/**
 * How a column is staged: int (Int32), date (Int32 day numbers handed over as DATE), double, timestamp
 * (Float64 epoch seconds handed over as TIMESTAMP microseconds), int64 (Float64 integers handed over as
 * BIGINT), text, enum.
 */
type Kind = "int" | "date" | "double" | "timestamp" | "int64" | "text" | "enum";
const VECTOR = 2048;

/** Kinds staged in Float64 arrays (the others but text are Int32). */
const DOUBLE_KINDS: readonly Kind[] = ["double", "timestamp", "int64"];

/**
 * Streams rows to CSV or Parquet files through DuckDB. Rows are staged column-wise in typed arrays (dates as
 * day numbers, timestamps as epoch seconds, ids as dictionary indexes, NaN / NULL_INT as null); every
 * `partRows` rows one part is written by `COPY (SELECT ... FROM <table function>) TO file`, the table function
 * handing DuckDB the typed arrays chunk by chunk, so DuckDB renders the real types and encodes the file in C++.
 * Memory stays bounded by the part size whatever the number of rows.
 */
export class FileSink {
  private readonly connections: DuckDBConnection[] = [];

  private constructor(private readonly instance: DuckDBInstance) {}

  /** Opens a sink. Output does not depend on `threads`. */
  static async open(options: { threads?: number } = {}): Promise<FileSink> {
    const instance = await DuckDBInstance.create(":memory:", {
      threads: String(options.threads ?? 1),
      preserve_insertion_order: "true",
    });
    return new FileSink(instance);
  }

  /**
   * A writer for `table` whose parts go to `dir/<table>/part-<partPrefix>NNNNN.<format>`, or to
   * `dir/<table>.<format>` with `single` (everything staged, one file: for small tables).
   */
  async writer(table: WriterTable, options: WriterOptions): Promise<TableWriter> {
    const connection = await this.instance.connect();
    this.connections.push(connection);
    const w = new TableWriter(connection, table, options);
    if (!options.single) mkdirSync(join(options.dir, table.name), { recursive: true });
    return w;
  }

  /** Closes every connection and the DuckDB instance. */
  close(): void {
    for (const c of this.connections) c.closeSync();
    this.instance.closeSync();
  }
}

/**
 * One set of column buffers: rows [0, n) are filled. Column c is staged in `ints[c]` (int, date, enum
 * kinds; NULL_INT for null) or `doubles[c]` (double, timestamp, int64; NaN for null); the other array of
 * the pair is empty.
 */
export interface RowBlock {
  n: number;
  ints: Int32Array[];
  doubles: Float64Array[];
  strings: (string | null)[][];
}
type Buffers = RowBlock;

/**
 * One table's writer. The row API is positional for speed: `num(col, x)` (or `text(col, s)`) for every
 * column, then `end()`; `await flushIfFull()` between batches writes a part when the buffer is full, and
 * `finish()` writes the rest. Parts are double-buffered: while DuckDB encodes one part (on its own thread,
 * pulling chunks whenever the event loop is free), rows go into the other buffer set, so generation and
 * encoding overlap as long as the caller yields to the event loop now and then.
 */
export class TableWriter {
  /** Rows written so far (buffered or in files). */
  rows = 0;
  private part = 0;
  private readonly kinds: Kind[];
  /** 1 where the column is staged in `doubles` (see RowBlock). */
  private readonly inDoubles: Uint8Array;
  /** 1 where nulls are possible: their validity is handed over with the chunk. */
  private readonly nullable: Uint8Array;
  /** One vector's validity bits (a bit per row, 1 = valid) and its int64 scratch (two Int32 per value). */
  private readonly validity = new Uint8Array(VECTOR / 8);
  private readonly int64Scratch = new Int32Array(2 * VECTOR);
  /** The ENUM values of each enum column (undefined for the others). */
  private readonly enums: (readonly string[] | undefined)[];
  /** One vector's worth of enum indexes at the width DuckDB stores them (per enum column). */
  private readonly enumScratch: (Uint8Array | Uint16Array | Uint32Array | undefined)[];
  private active: Buffers;
  /** The buffers the running COPY reads (and that become free when it ends). */
  private copied: Buffers | null = null;
  private copying: Promise<void> | null = null;
  private copyError: unknown = null;
  private capacity: number;
  private readonly files: string[] = [];
  private readonly selectSql: string;
  private readonly fnName: string;
  private registered = false;

  constructor(
    private readonly connection: DuckDBConnection,
    readonly table: WriterTable,
    private readonly options: WriterOptions,
  ) {
    this.kinds = table.columns.map(kindOf);
    this.inDoubles = Uint8Array.from(this.kinds, (k) => (DOUBLE_KINDS.includes(k) ? 1 : 0));
    this.nullable = Uint8Array.from(table.columns, (c) => (c.nullable === false ? 0 : 1));
    this.enums = table.columns.map((c, i) => (this.kinds[i] === "enum" ? enumValues(c) : undefined));
    this.enumScratch = this.enums.map((values) => {
      if (!values) return undefined;
      // The widths of node-api's ENUM(): UTINYINT below 256 values, USMALLINT below 65536, else UINTEGER.
      if (values.length < 256) return new Uint8Array(VECTOR);
      return values.length < 65536 ? new Uint16Array(VECTOR) : new Uint32Array(VECTOR);
    });
    const bytesPerRow = this.kinds.reduce(
      (s, k) => s + (DOUBLE_KINDS.includes(k) ? 8 : k === "text" ? 16 : 4),
      0,
    );
    // About 16 MB per buffer set (two per table), so the writers of every thread of a run stay well under 1 GB.
    this.capacity = options.single
      ? 1024
      : Math.max(VECTOR, options.partRows ?? Math.floor(16_000_000 / bytesPerRow));
    this.active = this.buffers(this.capacity);
    // Table functions are registered in the instance's catalog: each writer needs a name of its own.
    this.fnName = `scan_${table.name.replace(/\W/g, "_")}_${++writerSerial}`;
    this.selectSql = table.columns
      .map((c, i) => `${renderSql(c, this.kinds[i]!, `c${i}`)} AS "${c.name}"`)
      .join(", ");
  }

  /** Sets numeric column `col` of the current row (NaN or NULL_INT writes null; ids are dictionary indexes). */
  num(col: number, x: number): void {
    const b = this.active;
    if (this.inDoubles[col] === 1) b.doubles[col]![b.n] = x;
    else b.ints[col]![b.n] = Number.isNaN(x) ? NULL_INT : x;
  }

  /**
   * How each column is staged, one letter per column: "i" in `ints`, "d" in `doubles`, "s" text (see
   * RowBlock). Code writing `block()` directly checks it once: a write to the wrong array is silently lost.
   */
  layout(): string {
    return this.kinds.map((k, c) => (k === "text" ? "s" : this.inDoubles[c] === 1 ? "d" : "i")).join("");
  }

  /**
   * The buffers the current row goes into, for hot loops that write typed arrays directly instead of one
   * `num` call per value: set `ints[c][n]` / `doubles[c][n]` (see RowBlock; integers must already be
   * integers, null as NULL_INT / NaN), then `end()`. Valid until the next `flushIfFull` or `finish`.
   */
  block(): RowBlock {
    return this.active;
  }

  /** Sets text column `col` of the current row. */
  text(col: number, s: string | null): void {
    this.active.strings[col]![this.active.n] = s;
  }

  /** Ends the current row. A `single` writer grows its buffer; the others must call `flushIfFull` often enough. */
  end(): void {
    this.active.n++;
    this.rows++;
    if (this.active.n === this.capacity) {
      if (!this.options.single)
        throw new Error(`${this.table.name}: buffer full; call flushIfFull() more often`);
      this.grow();
    }
  }

  /** Whether the buffer is nearly full (less room than `headroom` more rows): then `flushIfFull` writes a part. */
  isFull(headroom = 0): boolean {
    return this.active.n + headroom >= this.capacity;
  }

  /** Starts writing a part when the buffer is nearly full (leaves room for `headroom` more rows). */
  async flushIfFull(headroom = 0): Promise<void> {
    if (this.isFull(headroom)) await this.startPart();
  }

  /** Writes what is left, waits for every part, and returns the files written. */
  async finish(): Promise<WrittenTable> {
    if (this.active.n > 0 || this.part === 0) await this.startPart();
    await this.settle();
    // The connection keeps the table function, and so this writer, alive until the sink closes: drop the
    // buffers now, or a thread running many store blocks holds every finished writer's buffers.
    this.copied = null;
    this.active = this.buffers(0);
    this.capacity = 0;
    return { table: this.table.name, files: [...this.files], rows: this.rows };
  }

  private buffers(cap: number): Buffers {
    const b: Buffers = { n: 0, ints: [], doubles: [], strings: [] };
    this.kinds.forEach((k, c) => {
      const d = this.inDoubles[c] === 1;
      b.ints.push(new Int32Array(!d && k !== "text" ? cap : 0));
      b.doubles.push(new Float64Array(d ? cap : 0));
      b.strings.push(k === "text" ? new Array(cap).fill(null) : []);
    });
    return b;
  }

  private grow(): void {
    const bigger = this.buffers(this.capacity * 2);
    for (let c = 0; c < this.kinds.length; c++) {
      bigger.ints[c]!.set(this.active.ints[c]!);
      bigger.doubles[c]!.set(this.active.doubles[c]!);
      const src = this.active.strings[c]!;
      for (let i = 0; i < src.length; i++) bigger.strings[c]![i] = src[i]!;
    }
    bigger.n = this.active.n;
    this.active = bigger;
    this.capacity *= 2;
  }

  /** Waits for the running COPY, if any, and rethrows its error. */
  private async settle(): Promise<void> {
    if (this.copying) await this.copying;
    this.copying = null;
    if (this.copyError) throw this.copyError;
  }

  private register(): void {
    const types: DuckDBType[] = this.kinds.map((k, i) => {
      if (k === "int") return DuckDBIntegerType.instance;
      if (k === "date") return DATE;
      if (k === "double") return DuckDBDoubleType.instance;
      if (k === "timestamp") return TIMESTAMP;
      if (k === "int64") return BIGINT;
      if (k === "enum") return ENUM(this.enums[i]!);
      return DuckDBVarCharType.instance;
    });
    this.connection.registerTableFunction(
      DuckDBTableFunction.create({
        name: this.fnName,
        parameterTypes: [INTEGER],
        bindFunction: (info) => {
          types.forEach((t, i) => {
            info.addResultColumn(`c${i}`, t);
          });
        },
        initFunction: (info) => info.setInitData({ next: 0 }),
        mainFunction: (info, out) => this.fill(info.initData as { next: number }, out),
      }),
    );
    this.registered = true;
  }

  /**
   * Hands DuckDB the next chunk of the buffers being copied. Numbers go over as one block copy per column
   * (the vectors' own typed arrays) and nulls as one copy of validity bits, never value by value: this
   * runs for every row written.
   */
  private fill(state: { next: number }, out: DuckDBDataChunk): void {
    const b = this.copied!;
    const from = state.next;
    const n = Math.min(VECTOR, b.n - from);
    out.rowCount = Math.max(0, n);
    if (n <= 0) return;
    for (let c = 0; c < this.kinds.length; c++) {
      const k = this.kinds[c];
      if (k === "int" || k === "date") copyTo(out, c, b.ints[c]!, from, n);
      else if (k === "double") copyTo(out, c, b.doubles[c]!, from, n);
      else if (k === "timestamp" || k === "int64") this.fillInt64(out, c, b.doubles[c]!, from, n);
      else if (k === "enum") this.fillEnum(out, c, b.ints[c]!, from, n);
      else {
        const v = out.getColumnVector(c) as DuckDBVector;
        const src = b.strings[c]!;
        for (let i = 0; i < n; i++) v.setItem(i, src[from + i]);
        v.flush();
        continue;
      }
      if (this.nullable[c] === 1) this.fillValidity(out, c, b, from, n);
    }
    state.next = from + n;
  }

  /** Copies enum indexes `src[from, from + n)` into column `c` of `out` (NULL_INT: index 0, made null by the validity). */
  private fillEnum(out: DuckDBDataChunk, c: number, src: Int32Array, from: number, n: number): void {
    const scratch = this.enumScratch[c]!;
    const size = this.enums[c]!.length;
    for (let i = 0; i < n; i++) {
      const x = src[from + i]!;
      if (x >= 0 && x < size) scratch[i] = x;
      else if (x === NULL_INT && this.nullable[c] === 1) scratch[i] = 0;
      else throw new Error(`${this.table.name}.${this.table.columns[c]!.name}: ${x} is not an id index`);
    }
    copyTo(out, c, scratch, 0, n);
  }

  /**
   * Copies `src[from, from + n)` into int64 column `c` (BIGINT, or TIMESTAMP in microseconds from epoch
   * seconds). Each value is split into two Int32 halves: exact for integers below 2^53, no BigInt per value.
   */
  private fillInt64(out: DuckDBDataChunk, c: number, src: Float64Array, from: number, n: number): void {
    const scale = this.kinds[c] === "timestamp" ? 1_000_000 : 1;
    const s = this.int64Scratch;
    for (let i = 0; i < n; i++) {
      const x = src[from + i]!;
      const v = Number.isNaN(x) ? 0 : Math.round(x * scale);
      const hi = Math.floor(v / 4294967296);
      s[2 * i] = (v - hi * 4294967296) | 0;
      s[2 * i + 1] = hi;
    }
    copyTo(out, c, s, 0, 2 * n);
  }

  /** Marks the rows of nullable column `c` that hold NULL_INT / NaN as null (nothing when none does). */
  private fillValidity(out: DuckDBDataChunk, c: number, b: Buffers, from: number, n: number): void {
    const bits = this.validity;
    bits.fill(255);
    let nulls = false;
    if (this.inDoubles[c] === 1) {
      const src = b.doubles[c]!;
      for (let i = 0; i < n; i++) {
        if (Number.isNaN(src[from + i]!)) {
          bits[i >> 3]! &= ~(1 << (i & 7));
          nulls = true;
        }
      }
    } else {
      const src = b.ints[c]!;
      for (let i = 0; i < n; i++) {
        if (src[from + i] === NULL_INT) {
          bits[i >> 3]! &= ~(1 << (i & 7));
          nulls = true;
        }
      }
    }
    if (!nulls) return;
    const vector = duckdb.data_chunk_get_vector(out.chunk, c);
    duckdb.vector_ensure_validity_writable(vector);
    // Whole 64-bit words, little-endian: byte j holds rows 8j..8j+7 (the rows past n stay valid).
    duckdb.copy_data_to_vector_validity(vector, 0, bits.buffer as ArrayBuffer, 0, Math.ceil(n / 64) * 8);
  }

  /** Waits for the previous part, then starts COPYing the filled buffers and swaps in the free ones. */
  private async startPart(): Promise<void> {
    await this.settle();
    if (!this.registered) this.register();
    const ext = this.options.format;
    const file = this.options.single
      ? join(this.options.dir, `${this.table.name}.${ext}`)
      : join(
          this.options.dir,
          this.table.name,
          `part-${this.options.partPrefix ?? ""}${String(this.part).padStart(5, "0")}.${ext}`,
        );
    const fmt = ext === "csv" ? "FORMAT csv, HEADER true" : `FORMAT parquet, ${PARQUET_CODEC}`;
    const free = this.copied && this.copied.ints.length === this.active.ints.length ? this.copied : null;
    this.copied = this.active;
    this.active = free && !this.options.single ? free : this.buffers(this.capacity);
    this.active.n = 0;
    this.files.push(file);
    this.part++;
    this.copying = this.connection
      .run(`COPY (SELECT ${this.selectSql} FROM ${this.fnName}(0)) TO ${sqlString(file)} (${fmt})`)
      .then(
        () => {},
        (e) => {
          this.copyError = e;
        },
      );
  }
}

/** Parquet compression: zstd at level 1 costs ~15% less CPU than the default level 3 for ~2% larger files. */
const PARQUET_CODEC = "COMPRESSION zstd, COMPRESSION_LEVEL 1";

/** Block-copies `src[from, from + n)` into column `c` of `out` (the types must match byte for byte). */
function copyTo(
  out: DuckDBDataChunk,
  c: number,
  src: Int32Array | Float64Array | Uint8Array | Uint16Array | Uint32Array,
  from: number,
  n: number,
): void {
  const size = src.BYTES_PER_ELEMENT;
  duckdb.copy_data_to_vector(
    duckdb.data_chunk_get_vector(out.chunk, c),
    0,
    src.buffer as ArrayBuffer,
    src.byteOffset + from * size,
    n * size,
  );
}

function kindOf(c: WriterColumn): Kind {
  if (c.type === "VARCHAR") {
    if (c.dict || c.idPattern?.count !== undefined) return "enum";
    return c.intText ? "int64" : c.idPattern ? "int" : "text";
  }
  if (c.type === "DOUBLE") return "double";
  if (c.type === "TIMESTAMP") return "timestamp";
  if (c.type === "DATE") return "date";
  return "int";
}

/** The ENUM values of an enum column: its dictionary, or the first `count` ids of its pattern. */
function enumValues(c: WriterColumn): readonly string[] {
  if (c.dict) return c.dict;
  const { prefix, width, offset = 0, count = 0 } = c.idPattern!;
  return Array.from({ length: count }, (_, i) => `${prefix}${String(i + offset).padStart(width, "0")}`);
}

/**
 * SQL turning staged column `x` into the column's real type. Nulls arrive as null already (the chunk's
 * validity, see fillValidity): no CASE per row.
 */
function renderSql(c: WriterColumn, kind: Kind, x: string): string {
  // ENUMs are written as their strings: Parquet stores them as dictionary-encoded UTF8, CSV as text.
  if (c.type === "VARCHAR" && kind === "int") {
    const { prefix, width, offset = 0 } = c.idPattern!;
    return `${sqlString(prefix)} || lpad(CAST(${x} + ${offset} AS VARCHAR), ${width}, '0')`;
  }
  if (kind === "int64") return `CAST(${x} AS VARCHAR)`;
  if (c.type === "BOOLEAN") return `(${x} <> 0)`;
  return x;
}
