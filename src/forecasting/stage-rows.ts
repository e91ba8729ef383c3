/**
 * Staging a partition's forecast rows as one Parquet file, which the INSERT into `forecasts` then reads (see
 * write.ts). DuckDB encodes the file in C++ but pulls every 2048-row chunk through a JavaScript callback, so the
 * thread that stages waits on it for ~0.1-0.2 s per 300k rows: the batch job stages on a worker thread of its
 * own (RowStager.start) while the main thread builds the next partition's features.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { QUANTILE_COLUMNS, QUANTILES } from "../core/quantiles.ts";
import { RequestWorker, startReadyWorker, type WorkerReply, workerEntry } from "../core/worker-entry.ts";
import { FileSink, type WriterTable } from "../data/table-writer.ts";

/** A partition's forecasts as staging needs them (plain typed arrays: copied to the worker, or moved; see stage). */
export interface RowsToStage {
  /** Panel indices of the series written (the active ones), in write order. */
  series: Int32Array;
  /** The key of panel index i in the staged series keys is sidOffset + i (see write.ts stageJobKeys). */
  sidOffset: number;
  horizon: number;
  /** Quantiles at [(i * horizon + h - 1) * levels + l] for panel index i (QuantileForecast.q). */
  q: Float32Array;
  /** Means at [i * horizon + h - 1], or null (NaN: none). */
  mean: Float32Array | null;
}

/** A staged Parquet file of `rows` rows, in a temporary directory of its own. */
export interface StagedRows {
  dir: string;
  file: string;
  rows: number;
}

/** The staged rows' columns: series key, horizon, the six quantiles and the mean. */
const ROW_TABLE: WriterTable = {
  name: "fc_rows",
  columns: [
    { name: "sid", type: "INTEGER", nullable: false },
    { name: "horizon", type: "INTEGER", nullable: false },
    ...QUANTILE_COLUMNS.map((name) => ({ name, type: "DOUBLE" as const })),
    { name: "mean", type: "DOUBLE" },
  ],
};

/**
 * Writes the rows through `sink` (DuckDB block-copies the typed arrays: much cheaper than appending value by
 * value). Doubles round-trip exactly; NaN (a missing mean) becomes null. Nothing is left behind on failure.
 */
export async function writeStagedRows(sink: FileSink, p: RowsToStage): Promise<StagedRows> {
  const H = p.horizon;
  const L = QUANTILES.length;
  const n = p.series.length * H;
  const dir = mkdtempSync(join(tmpdir(), "mr-forecast-rows-"));
  try {
    // One part: room for every row (a writer refuses to fill its buffer to the last row).
    const w = await sink.writer(ROW_TABLE, { dir, format: "parquet", partRows: n + 1 });
    if (w.layout() !== `ii${"d".repeat(L + 1)}`)
      throw new Error("stageRows: unexpected staging layout (a bug)");
    const b = w.block();
    const [sid, horizon] = b.ints as [Int32Array, Int32Array];
    const q = b.doubles.slice(2, 2 + L);
    const mean = b.doubles[2 + L]!;
    for (let k = 0; k < p.series.length; k++) {
      const i = p.series[k]!;
      for (let h = 1; h <= H; h++) {
        const r = k * H + h - 1;
        const cell = i * H + h - 1;
        sid[r] = p.sidOffset + i;
        horizon[r] = h;
        for (let l = 0; l < L; l++) q[l]![r] = p.q[cell * L + l]!;
        mean[r] = p.mean ? p.mean[cell]! : Number.NaN;
      }
    }
    for (let r = 0; r < n; r++) w.end();
    const written = await w.finish();
    return { dir, file: written.files[0]!, rows: n };
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
}

/** Removes a staged file's directory. */
export function removeStaged(s: StagedRows): void {
  rmSync(s.dir, { recursive: true, force: true });
}

/** A message to the stage worker (stage-worker.ts). */
export interface StageRequest {
  id: number;
  rows: RowsToStage;
}

type StageReply = WorkerReply & { staged?: StagedRows };

/** Stages rows on a worker thread (`start`) or on the calling thread (`inProcess`), one sink for all calls. */
export class RowStager {
  private constructor(
    private readonly worker: RequestWorker<StageReply> | null,
    private readonly sink: FileSink | null,
  ) {}

  /** A stager with its own worker thread (and DuckDB sink there). */
  static async start(): Promise<RowStager> {
    const w = await startReadyWorker(workerEntry(import.meta.url, "stage-worker"));
    return new RowStager(new RequestWorker<StageReply>(w, "stage worker"), null);
  }

  /** A stager on the calling thread. */
  static async inProcess(): Promise<RowStager> {
    return new RowStager(null, await FileSink.open());
  }

  /**
   * Stages the rows (see writeStagedRows). With `handOver`, the buffers of `q` and `mean` move to the worker
   * instead of being copied: the caller must not use them afterwards.
   */
  async stage(rows: RowsToStage, handOver = false): Promise<StagedRows> {
    if (this.sink) return writeStagedRows(this.sink, rows);
    const transfer = handOver
      ? [rows.q.buffer, rows.mean?.buffer].filter((b): b is ArrayBuffer => b instanceof ArrayBuffer)
      : [];
    const reply = await this.worker!.request(
      (id) => ({ id, rows }) satisfies StageRequest,
      undefined,
      transfer,
    );
    return reply.staged!;
  }

  /** Stops the worker or closes the sink. */
  async close(): Promise<void> {
    this.sink?.close();
    await this.worker?.close();
  }
}
