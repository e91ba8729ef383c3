import { type Day, formatDay } from "../core/days.ts";
import { Rng } from "../core/rng.ts";
import type { TableWriter } from "../data/table-writer.ts";
import { ID, idOf, STREAM } from "./chain.ts";
import type { SimParams } from "./params.ts";
import type { FAULT_KINDS } from "./tables.ts";

/** Fault kinds (see FAULT_KINDS). */
export type FaultKind = keyof typeof FAULT_KINDS;

/** One row of truth/faults: kind, table, day, store, product, column, detail (a tuple: it crosses threads). */
export type FaultRow = [FaultKind, string, Day | null, number | null, number | null, string | null, string];

/**
 * Decides and logs data-quality faults. Faults draw from their own seeded streams (per day, or per store
 * and day), so switching faults on changes nothing but the faults themselves. Every fault is one row of
 * truth/faults, kept in `rows` until the run writes them (faults are rare; threads hand theirs over).
 */
export class Faults {
  /** Faults logged so far by kind. */
  readonly counts: Record<string, number> = {};
  /** The faults logged so far, in order. */
  readonly rows: FaultRow[] = [];
  private rng: Rng = new Rng(0);

  constructor(
    readonly on: boolean,
    private readonly p: SimParams,
  ) {}

  /** Starts the fault stream of a store-day. */
  storeDay(day: Day, store: number): void {
    if (this.on) this.rng = Rng.derive(this.p.seed, STREAM.faults, day, store);
  }

  /** Whether a whole day of the fact feed is lost (decided per day). */
  missingDay(day: Day): boolean {
    return (
      this.on && Rng.derive(this.p.seed, STREAM.faults, day, -1).chance(this.p.faultRates.missingStoreDay)
    );
  }

  /** Whether the current row gets duplicated. */
  duplicate(): boolean {
    return this.on && this.rng.chance(this.p.faultRates.duplicateRow);
  }

  /** Whether the current row gets a bad value. */
  bad(): boolean {
    return this.on && this.rng.chance(this.p.faultRates.badValue);
  }

  /** A coin from the fault stream (to choose between kinds of bad value). */
  coin(): boolean {
    return this.rng.chance(0.5);
  }

  /** Records a fault. */
  record(
    kind: FaultKind,
    table: string,
    day: Day | null,
    store: number | null,
    product: number | null,
    column: string | null,
    detail: string,
  ): void {
    this.counts[kind] = (this.counts[kind] ?? 0) + 1;
    this.rows.push([kind, table, day, store, product, column, detail]);
  }

  /**
   * The arrival of a daily partition of `table` for `day`: due at 02:00 the next day, on time within 30
   * minutes, or (a late_partition fault) 6 to maxLateHours hours late. Returns epoch seconds.
   */
  arrival(table: string, tableNo: number, day: Day): { expected: number; arrived: number } {
    const rng = Rng.derive(this.p.seed, STREAM.arrivals, day, tableNo);
    const expected = (day + 1) * 86400 + 2 * 3600;
    let arrived = expected + Math.floor(rng.next() * 1800);
    if (this.on && rng.chance(this.p.faultRates.latePartition)) {
      const hours = 6 + rng.next() * (this.p.faultRates.maxLateHours - 6);
      arrived = expected + Math.floor(hours * 3600);
      this.record(
        "late_partition",
        table,
        day,
        null,
        null,
        null,
        `partition ${formatDay(day)} arrived ${hours.toFixed(1)} h late`,
      );
    }
    return { expected, arrived };
  }
}

/** Writes fault rows to a truth/faults writer. */
export function writeFaultRows(w: TableWriter, rows: readonly FaultRow[]): void {
  for (const [kind, table, day, store, product, column, detail] of rows) {
    w.text(0, kind);
    w.text(1, table);
    w.num(2, day ?? Number.NaN);
    w.text(3, store === null ? null : idOf(ID.store, store));
    w.text(4, product === null ? null : idOf(ID.product, product));
    w.text(5, column);
    w.text(6, detail);
    w.end();
  }
}
