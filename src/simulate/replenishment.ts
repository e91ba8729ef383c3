import type { Day } from "../core/days.ts";

/**
 * How a store decides what to order for the next truck. Called the evening before each delivery with
 * what the store knows: its average daily sales over the last week (censored by its own stockouts), the
 * stock that will still be sellable when the truck comes, the days until the truck after that, and the
 * product's shelf life (null: keeps). Returns units to deliver.
 */
export interface OrderingPolicy {
  name: string;
  order(avgDailySales: number, stockAtDelivery: number, coverDays: number, shelfLife: number | null): number;
}

/**
 * The chain's legacy rule: cover the days until the next truck with last week's average sales plus a
 * safety margin, keep a minimum presentation stock, subtract what is on the shelf. It ignores shelf life
 * (perishables get written off) and learns from censored sales (stockouts feed on themselves).
 */
export function legacyPolicy(safetyMargin: number, minStock: number): OrderingPolicy {
  return {
    name: "legacy",
    order: (avg, stock, cover) => Math.max(0, Math.ceil(avg * cover * (1 + safetyMargin) + minStock - stock)),
  };
}

const BATCHES = 8;
const NEVER = 2147483647;

/** One day's stock movements of one series, as written to `stock`. */
export interface StockDay {
  opening: number;
  deliveries: number;
  writeOffs: number;
  /** Units that could be sold today (opening + deliveries - write-offs). */
  available: number;
}

/**
 * Shelf stock of every (store, product) series as FIFO batches with an expiry day, the last 7 days of
 * sales and the order on its way. A delivered batch of a product with shelf life L is sellable for L days
 * and written off at the opening of day delivery + L. Up to 8 batches are tracked per series; a ninth
 * delivery merges into the newest batch (rare: it needs 8 unsold deliveries on the shelf).
 */
export class ShelfStock {
  private readonly qty: Float64Array;
  private readonly expiry: Int32Array;
  private readonly count: Uint8Array;
  private readonly history: Float64Array;
  private readonly listedOn: Int32Array;
  readonly pending: Float64Array;

  constructor(series: number) {
    this.qty = new Float64Array(series * BATCHES);
    this.expiry = new Int32Array(series * BATCHES);
    this.count = new Uint8Array(series);
    this.history = new Float64Array(series * 7);
    this.listedOn = new Int32Array(series);
    this.pending = new Float64Array(series);
  }

  /** Starts a series on `day` with a first delivery (a newly listed product). */
  list(i: number, day: Day, units: number): void {
    this.count[i] = 0;
    this.history.fill(0, i * 7, i * 7 + 7);
    this.listedOn[i] = day;
    this.pending[i] = units;
  }

  /** Forgets a delisted series' stock (it goes back to the DC). */
  delist(i: number): void {
    this.count[i] = 0;
    this.pending[i] = 0;
  }

  /**
   * Morning of `day`: writes off expired batches, receives the pending order when `delivery` (or a
   * listing delivery), and returns the day's movements.
   */
  open(i: number, day: Day, delivery: boolean, shelfLife: number | null, out: StockDay): void {
    const b = i * BATCHES;
    let n = this.count[i]!;
    let opening = 0;
    for (let j = 0; j < n; j++) opening += this.qty[b + j]!;
    let writeOffs = 0;
    let drop = 0;
    while (drop < n && this.expiry[b + drop]! <= day) writeOffs += this.qty[b + drop++]!;
    if (drop > 0) {
      for (let j = drop; j < n; j++) {
        this.qty[b + j - drop] = this.qty[b + j]!;
        this.expiry[b + j - drop] = this.expiry[b + j]!;
      }
      n -= drop;
    }
    let deliveries = 0;
    const listing = this.listedOn[i] === day;
    if ((delivery || listing) && this.pending[i]! > 0) {
      deliveries = this.pending[i]!;
      this.pending[i] = 0;
      const exp = shelfLife === null ? NEVER : day + shelfLife;
      if (n === BATCHES) {
        this.qty[b + n - 1]! += deliveries;
        this.expiry[b + n - 1] = exp;
      } else {
        this.qty[b + n] = deliveries;
        this.expiry[b + n] = exp;
        n++;
      }
    }
    this.count[i] = n;
    out.opening = opening;
    out.deliveries = deliveries;
    out.writeOffs = writeOffs;
    out.available = opening - writeOffs + deliveries;
  }

  /** Sells `units` first-in first-out (units <= available) and records them in the sales history. */
  sell(i: number, day: Day, units: number): void {
    const b = i * BATCHES;
    let n = this.count[i]!;
    let left = units;
    let j = 0;
    while (left > 0 && j < n) {
      const take = Math.min(left, this.qty[b + j]!);
      this.qty[b + j]! -= take;
      left -= take;
      if (this.qty[b + j] === 0) j++;
    }
    if (j > 0) {
      for (let k = j; k < n; k++) {
        this.qty[b + k - j] = this.qty[b + k]!;
        this.expiry[b + k - j] = this.expiry[b + k]!;
      }
      n -= j;
    }
    this.count[i] = n;
    this.history[i * 7 + (((day % 7) + 7) % 7)] = units;
  }

  /** The evening before a delivery on `deliveryDay`: places the order with `policy`. */
  placeOrder(
    i: number,
    day: Day,
    deliveryDay: Day,
    coverDays: number,
    shelfLife: number | null,
    policy: OrderingPolicy,
  ): void {
    const b = i * BATCHES;
    let stock = 0;
    for (let j = 0; j < this.count[i]!; j++) if (this.expiry[b + j]! > deliveryDay) stock += this.qty[b + j]!;
    let sold = 0;
    for (let j = 0; j < 7; j++) sold += this.history[i * 7 + j]!;
    const days = Math.min(7, day - this.listedOn[i]! + 1);
    this.pending[i] = policy.order(sold / Math.max(1, days), stock, coverDays, shelfLife);
  }
}
