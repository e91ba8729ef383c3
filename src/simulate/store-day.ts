import type { Day } from "../core/days.ts";
import { Rng } from "../core/rng.ts";
import type { TableWriter } from "../data/table-writer.ts";
import type { Assortment } from "./assortment.ts";
import { CATEGORIES } from "./categories.ts";
import { type Chain, round, STREAM, type Store } from "./chain.ts";
import type { CheckSplitter } from "./checks.ts";
import { nbQuantilesAndDraw, postPromoFactor } from "./demand.ts";
import type { Faults } from "./faults.ts";
import type { SimParams } from "./params.ts";
import type { PriceBook } from "./prices.ts";
import { inScope, type PromoTracker } from "./promos.ts";
import type { OrderingPolicy, ShelfStock, StockDay } from "./replenishment.ts";
import { UNKNOWN_PRODUCT_GAP } from "./tables.ts";

/** The writers of the per-series tables (null: not written in this run). */
export interface SeriesWriters {
  truth: TableWriter;
  stock: TableWriter;
  prices: TableWriter;
  sales: TableWriter | null;
  transactions: TableWriter | null;
  traffic: TableWriter;
}

/** What the day loop computed for today, shared by every store. */
export interface DayFactors {
  day: Day;
  /** Written out (false during burn-in). */
  out: boolean;
  /** The sales/transactions partition of today is lost (a fault). */
  lost: boolean;
  season: Float64Array;
  event: Float64Array;
  weather: Float64Array;
  /** Product level x trend x ramp, per product. */
  productLevel: Float64Array;
}

const NC = CATEGORIES.length;

/**
 * One store's day: for each carried product draws demand from its true distribution, runs the shelf
 * (expiry, delivery, sales = min(demand, stock), next order) and writes truth, stock, prices and either
 * daily sales or check lines, plus store traffic. The hot loop of the simulator.
 */
export class StoreDayRunner {
  private readonly q = new Float64Array(6);
  private readonly sd: StockDay = { opening: 0, deliveries: 0, writeOffs: 0, available: 0 };
  private slots = new Int32Array(256);
  private slotUnits = new Float64Array(256);
  private slotPaid = new Float64Array(256);
  private slotRegular = new Float64Array(256);
  /** Per listed product of the current store-day (index k of its list): what the passes hand on. */
  private k = perProduct(256);
  private rowProduct = 0;
  private rowUnits = 0;
  /** Series-days simulated and written (after burn-in). */
  seriesDays = 0;

  constructor(
    private readonly chain: Chain,
    private readonly p: SimParams,
    private readonly assortment: Assortment,
    private readonly shelf: ShelfStock,
    private readonly prices: PriceBook,
    private readonly promos: PromoTracker,
    private readonly policy: OrderingPolicy,
    private readonly splitter: CheckSplitter,
    private readonly faults: Faults,
    private readonly w: SeriesWriters,
  ) {
    // The rows below are written by column number straight into typed arrays: check the layout once.
    expectLayout(w.truth, "iiiddddddddiiiiiii");
    expectLayout(w.stock, "iiidddd");
    expectLayout(w.prices, "iiidd");
    if (w.transactions) expectLayout(w.transactions, "idididdd");
  }

  /** Runs store `s` on the day described by `f`. */
  run(s: number, f: DayFactors, monthStart: boolean): void {
    const { chain, p, shelf, w } = this;
    const store = chain.stores[s]!;
    const day = f.day;
    if (day < store.open) return;
    const np = chain.products.length;
    const change = this.assortment.update(s, day, monthStart);
    for (const i of change.removed) shelf.delist(s * np + i);
    for (const i of change.added) shelf.list(s * np + i, day, p.replenishment.listingUnits);
    const list = this.assortment.lists[s]!;
    this.faults.storeDay(day, s);
    if (this.slots.length < list.length) this.grow(list.length);
    // Three passes over the products rather than one loop: each pass is small enough for V8 to inline
    // its calls (demand draw, shelf) and keep its numbers unboxed. Draws keep their order: the demand
    // stream in the demand pass, the fault stream in the shelf pass, each in product order as before.
    this.pricePass(store, list, f);
    this.demandPass(s, list, f, Rng.derive(p.seed, STREAM.demand, day, s));
    const nSlots = this.shelfPass(store, list, f);
    if (!f.out) return;
    let checks = 0;
    if (w.transactions) checks = this.writeChecks(s, day, nSlots, f.lost);
    else if (w.sales) checks = this.writeSales(s, day, nSlots, f.lost);
    const trng = Rng.derive(p.seed, STREAM.checks, day, s, 1);
    w.traffic.num(0, day);
    w.traffic.num(1, s);
    w.traffic.num(2, Math.round(checks * p.basket.visitorsPerCheck * Math.exp(0.05 * trng.normal())));
    w.traffic.end();
  }

  /** Regular and paid price, promotion and price factors, level and mean of every listed product. */
  private pricePass(store: Store, list: Int32Array, f: DayFactors): void {
    const { chain, prices, promos, k: x } = this;
    const { typeLift, postPromoDip, postPromoDays } = this.p.promos;
    const rbase = store.region * NC;
    for (let k = 0; k < list.length; k++) {
      const pi = list[k]!;
      const cat = chain.products[pi]!.category;
      const slot = prices.zoneSlot(pi, store.index);
      const regular = prices.zoneRegular[slot]!;
      let paid = regular;
      let fPromo = 1;
      let fPrice = prices.zoneFactor[slot]!;
      const a = promos.active[pi]!;
      if (a >= 0 && inScope(promos.promos[a]!, store)) {
        const promo = promos.promos[a]!;
        paid = Math.max(0.01, round(regular * (1 - promo.discount), 2));
        fPromo = typeLift[promo.type];
        fPrice = prices.priceFactor(pi, paid, store.zone);
      } else {
        const b = promos.previous[pi]!;
        if (b >= 0 && inScope(promos.promos[b]!, store)) {
          fPromo = postPromoFactor(f.day - promos.promos[b]!.end, postPromoDip, postPromoDays);
        }
      }
      const level = f.productLevel[pi]! * store.level;
      const rc = rbase + cat;
      x.regular[k] = regular;
      x.paid[k] = paid;
      x.fPromo[k] = fPromo;
      x.fPrice[k] = fPrice;
      x.level[k] = level;
      x.mean[k] = level * f.season[cat]! * f.event[rc]! * f.weather[rc]! * fPromo * fPrice;
    }
  }

  /** Draws every listed product's demand from its distribution; on written days writes its truth row. */
  private demandPass(s: number, list: Int32Array, f: DayFactors, rng: Rng): void {
    const { chain, q, k: x } = this;
    const day = f.day;
    const rbase = chain.stores[s]!.region * NC;
    // Truth rows go straight into the writer's typed arrays (valid until the caller's next flushIfFull).
    const truth = this.w.truth;
    const b = truth.block();
    const ti = b.ints;
    const td = b.doubles;
    for (let k = 0; k < list.length; k++) {
      const pi = list[k]!;
      const prod = chain.products[pi]!;
      const demand = nbQuantilesAndDraw(x.mean[k]!, prod.size, rng.next(), q);
      x.demand[k] = demand;
      if (!f.out) continue;
      const cat = prod.category;
      const rc = rbase + cat;
      const r = b.n;
      ti[0]![r] = day;
      ti[1]![r] = s;
      ti[2]![r] = pi;
      td[3]![r] = x.level[k]!;
      td[4]![r] = f.season[cat]!;
      td[5]![r] = f.event[rc]!;
      td[6]![r] = f.weather[rc]!;
      td[7]![r] = x.fPromo[k]!;
      td[8]![r] = x.fPrice[k]!;
      td[9]![r] = x.mean[k]!;
      td[10]![r] = prod.size;
      for (let j = 0; j < 6; j++) ti[11 + j]![r] = q[j]!;
      ti[17]![r] = demand;
      truth.end();
    }
    if (f.out) this.seriesDays += list.length;
  }

  /**
   * Runs every listed product's shelf (expiry, delivery, sales = min(demand, stock), tonight's order); on
   * written days writes stock and price rows and collects the products sold. Returns how many were sold.
   */
  private shelfPass(store: Store, list: Int32Array, f: DayFactors): number {
    const { chain, shelf, sd, k: x } = this;
    const s = store.index;
    const day = f.day;
    const np = chain.products.length;
    const delivery = (day + store.phase) % store.cycle === 0;
    const orderTonight = (day + 1 + store.phase) % store.cycle === 0;
    let nSlots = 0;
    for (let k = 0; k < list.length; k++) {
      const pi = list[k]!;
      const prod = chain.products[pi]!;
      const i = s * np + pi;
      shelf.open(i, day, delivery, prod.shelfLife, sd);
      const units = Math.min(x.demand[k]!, sd.available);
      shelf.sell(i, day, units);
      if (orderTonight) shelf.placeOrder(i, day, day + 1, store.cycle, prod.shelfLife, this.policy);
      if (!f.out) continue;
      this.writeStock(s, pi, day, units);
      this.writePrice(s, pi, day, k);
      if (units > 0) {
        this.slots[nSlots] = pi;
        this.slotUnits[nSlots] = units;
        this.slotPaid[nSlots] = x.paid[k]!;
        this.slotRegular[nSlots] = x.regular[k]!;
        nSlots++;
      }
    }
    return nSlots;
  }

  private writeStock(s: number, pi: number, day: Day, units: number): void {
    const { sd, faults } = this;
    const st = this.w.stock;
    const times = faults.duplicate() ? 2 : 1;
    if (times === 2) faults.record("duplicate_row", "stock", day, s, pi, null, "stock row written twice");
    for (let t = 0; t < times; t++) {
      const b = st.block();
      const r = b.n;
      b.ints[0]![r] = day;
      b.ints[1]![r] = s;
      b.ints[2]![r] = pi;
      b.doubles[3]![r] = sd.opening;
      b.doubles[4]![r] = sd.deliveries;
      b.doubles[5]![r] = sd.writeOffs;
      b.doubles[6]![r] = sd.available - units;
      st.end();
    }
  }

  /** The price row of list position `k` (prices passed by position: a double argument would be boxed). */
  private writePrice(s: number, pi: number, day: Day, k: number): void {
    const pw = this.w.prices;
    const regular = this.k.regular[k]!;
    const paid = this.k.paid[k]!;
    let price = regular;
    if (this.faults.bad()) {
      price = -regular;
      this.faults.record("negative_price", "prices", day, s, pi, "regular_price", `written as ${price}`);
    }
    const b = pw.block();
    const r = b.n;
    b.ints[0]![r] = day;
    b.ints[1]![r] = s;
    b.ints[2]![r] = pi;
    b.doubles[3]![r] = price;
    b.doubles[4]![r] = paid !== regular ? paid : Number.NaN;
    pw.end();
  }

  /**
   * Daily aggregates, one row per product sold (no row for 0 units, as a till system reports them).
   * Returns the checks those units would have made.
   */
  private writeSales(s: number, day: Day, n: number, lost: boolean): number {
    const sw = this.w.sales!;
    let total = 0;
    for (let k = 0; k < n; k++) {
      const units = this.slotUnits[k]!;
      total += units;
      if (lost) continue;
      const bad = this.badRow("sales", s, day, this.slots[k]!, units);
      // A spoiled row is not also duplicated: each fault stays visible as exactly one quarantine reason.
      const times = !bad && this.faults.duplicate() ? 2 : 1;
      if (times === 2)
        this.faults.record(
          "duplicate_row",
          "sales",
          day,
          s,
          this.rowProduct,
          null,
          "sales row written twice",
        );
      for (let r = 0; r < times; r++) {
        sw.num(0, day);
        sw.num(1, s);
        sw.num(2, this.rowProduct);
        sw.num(3, this.rowUnits);
        sw.num(4, round(units * this.slotPaid[k]!, 2));
        sw.num(5, round(units * (this.slotRegular[k]! - this.slotPaid[k]!), 2));
        sw.end();
      }
    }
    return Math.round(total / this.p.basket.unitsPerCheck);
  }

  /** Check lines of the day. Returns the number of checks. */
  private writeChecks(s: number, day: Day, n: number, lost: boolean): number {
    const tw = this.w.transactions!;
    const rng = Rng.derive(this.p.seed, STREAM.checks, day, s);
    const lines = this.splitter.split(this.slotUnits, n, rng);
    if (lost) return lines.checks;
    const ymd = Number(new Date(day * 86_400_000).toISOString().slice(0, 10).replaceAll("-", ""));
    let line = 0;
    for (let k = 0; k < lines.n; k++) {
      const c = lines.check[k]!;
      line = k === 0 || lines.check[k - 1] !== c ? 1 : line + 1;
      const slot = lines.slot[k]!;
      const units = lines.units[k]!;
      const paid = this.slotPaid[slot]!;
      let product = this.slots[slot]!;
      let written = units;
      let times = 1;
      // Faults off (the usual case): no call per line for the fault draws.
      if (this.faults.on) {
        const bad = this.badRow("transactions", s, day, product, units);
        product = this.rowProduct;
        written = this.rowUnits;
        if (!bad && this.faults.duplicate()) {
          times = 2;
          this.faults.record(
            "duplicate_row",
            "transactions",
            day,
            s,
            product,
            null,
            "check line written twice",
          );
        }
      }
      for (let t = 0; t < times; t++) {
        const b = tw.block();
        const r = b.n;
        b.ints[0]![r] = s;
        b.doubles[1]![r] = ymd * 100000 + c + 1;
        b.ints[2]![r] = line;
        b.doubles[3]![r] = day * 86400 + lines.seconds[c]!;
        b.ints[4]![r] = product;
        b.doubles[5]![r] = written;
        b.doubles[6]![r] = round(units * paid, 2);
        b.doubles[7]![r] = round(units * (this.slotRegular[slot]! - paid), 2);
        tw.end();
      }
    }
    return lines.checks;
  }

  /**
   * Sets the fact row's product and units (`rowProduct`, `rowUnits`), spoiled by a bad-value fault now
   * and then; returns whether it was spoiled. Fields rather than a returned object: this runs per row.
   */
  private badRow(table: string, s: number, day: Day, product: number, units: number): boolean {
    const f = this.faults;
    this.rowProduct = product;
    this.rowUnits = units;
    if (!f.bad()) return false;
    if (f.coin()) {
      f.record("negative_units", table, day, s, product, "units", `written as ${-units - 1}`);
      this.rowUnits = -units - 1;
      return true;
    }
    const unknown = this.chain.products.length + UNKNOWN_PRODUCT_GAP;
    f.record(
      "unknown_product",
      table,
      day,
      s,
      unknown,
      "product_id",
      `product ${product} written as unknown id`,
    );
    this.rowProduct = unknown;
    return true;
  }

  private grow(n: number): void {
    this.k = perProduct(n * 2);
    this.slots = new Int32Array(n * 2);
    this.slotUnits = new Float64Array(n * 2);
    this.slotPaid = new Float64Array(n * 2);
    this.slotRegular = new Float64Array(n * 2);
  }
}

function expectLayout(w: TableWriter, layout: string): void {
  if (w.layout() !== layout)
    throw new Error(`${w.table.name}: columns staged as ${w.layout()}, the simulator writes ${layout}`);
}

/** Scratch arrays of one store-day, one slot per listed product. */
function perProduct(n: number) {
  return {
    regular: new Float64Array(n),
    paid: new Float64Array(n),
    fPromo: new Float64Array(n),
    fPrice: new Float64Array(n),
    level: new Float64Array(n),
    mean: new Float64Array(n),
    demand: new Int32Array(n),
  };
}
