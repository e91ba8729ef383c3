import type { Day } from "../core/days.ts";
import { Rng } from "../core/rng.ts";
import { type Chain, round, STREAM } from "./chain.ts";
import type { SimParams } from "./params.ts";

/**
 * Regular prices: each product's chain price moves by log-normal steps at exponential intervals (a little
 * inflation on average); a store's regular price is that times its price zone, rounded to cents.
 * Competitors: a fixed share of products is watched; each competitor prices it at its own level around
 * our chain price, with occasional 20%-off promotions of its own; observations have gaps.
 */
export class PriceBook {
  /** Current chain price multiplier per product (advance with `advance(day)`). */
  readonly multiplier: Float64Array;
  private readonly changes: { day: Day; factor: number }[][];
  private readonly next: Int32Array;
  /** Products with competitor observations (sorted indexes). */
  readonly covered: number[];
  readonly isCovered: Uint8Array;
  /** Per (competitor, covered product): price level relative to our chain price. */
  private readonly compLevel: Float64Array;
  private readonly compPromoLeft: Int32Array;
  private readonly compRng: Rng;
  /** Today's competitor prices per (competitor, covered product) after `advance`. */
  readonly compPrice: Float64Array;
  /** Today's competitor demand factor per product (1 for products not covered). */
  readonly compFactor: Float64Array;
  /** Per store: index of its price zone among the chain's distinct zone multipliers. */
  private readonly zoneOf: Int32Array;
  private readonly zones: number[];
  /**
   * Per (product, zone), filled on first use each day (`zoneDay` says which day a slot holds): the
   * regular shelf price and the demand factor at that price. Every store of a zone shares them, so the
   * power in `priceFactor` runs per product and zone rather than per series.
   */
  private readonly zoneDay: Int32Array;
  readonly zoneRegular: Float64Array;
  readonly zoneFactor: Float64Array;
  private today = Number.NaN;

  constructor(
    private readonly chain: Chain,
    private readonly p: SimParams,
  ) {
    const n = chain.products.length;
    const rng = Rng.derive(p.seed, STREAM.prices);
    this.multiplier = new Float64Array(n).fill(1);
    this.next = new Int32Array(n);
    this.changes = chain.products.map(() => {
      const list: { day: Day; factor: number }[] = [];
      let d = chain.first + rng.next() * p.prices.changeEveryDays;
      while (d < chain.end) {
        const factor = Math.exp(p.prices.inflationPerChange + p.prices.changeSigma * rng.normal());
        list.push({ day: Math.floor(d), factor });
        d += 1 - p.prices.changeEveryDays * Math.log(1 - rng.next());
      }
      return list;
    });
    const crng = Rng.derive(p.seed, STREAM.competitors);
    const order = crng.shuffle(chain.products.map((_, i) => i));
    this.covered = order.slice(0, Math.round(p.competitors.coverage * n)).sort((a, b) => a - b);
    this.isCovered = new Uint8Array(n);
    for (const i of this.covered) this.isCovered[i] = 1;
    const k = p.competitors.count * this.covered.length;
    this.compLevel = new Float64Array(k);
    for (let j = 0; j < k; j++) this.compLevel[j] = Math.exp(p.competitors.priceSigma * crng.normal());
    this.compPromoLeft = new Int32Array(k);
    this.compPrice = new Float64Array(k);
    this.compFactor = new Float64Array(n).fill(1);
    this.compRng = Rng.derive(p.seed, STREAM.competitors, 1);
    this.zones = [...new Set(chain.stores.map((s) => s.zone))];
    this.zoneOf = Int32Array.from(chain.stores, (s) => this.zones.indexOf(s.zone));
    const slots = n * Math.max(1, this.zones.length);
    this.zoneDay = new Int32Array(slots).fill(-2147483648);
    this.zoneRegular = new Float64Array(slots);
    this.zoneFactor = new Float64Array(slots);
  }

  /** Moves prices to `day` (call once per day, in order). */
  advance(day: Day): void {
    this.today = day;
    for (let i = 0; i < this.changes.length; i++) {
      const list = this.changes[i]!;
      while (this.next[i]! < list.length && list[this.next[i]!]!.day <= day) {
        this.multiplier[i]! *= list[this.next[i]!]!.factor;
        this.next[i]!++;
      }
    }
    const nc = this.p.competitors.count;
    for (let j = 0; j < this.covered.length; j++) {
      const prod = this.covered[j]!;
      const ours = this.chainPrice(prod);
      let cheapest = Number.POSITIVE_INFINITY;
      for (let c = 0; c < nc; c++) {
        const k = j * nc + c;
        if (this.compPromoLeft[k]! > 0) this.compPromoLeft[k]!--;
        else if (this.compRng.chance(0.02)) this.compPromoLeft[k] = 7;
        const price = round(ours * this.compLevel[k]! * (this.compPromoLeft[k]! > 0 ? 0.8 : 1), 2);
        this.compPrice[k] = price;
        cheapest = Math.min(cheapest, price);
      }
      const f = (cheapest / ours) ** this.p.competitors.crossElasticity;
      this.compFactor[prod] = Math.min(1.3, Math.max(0.7, f));
    }
  }

  /** Our chain-level regular price of a product today (before store zones). */
  chainPrice(product: number): number {
    return this.chain.products[product]!.basePrice * this.multiplier[product]!;
  }

  /** Regular shelf price of a product in a store today. */
  regularPrice(product: number, zone: number): number {
    return Math.max(0.01, round(this.chainPrice(product) * zone, 2));
  }

  /**
   * Demand factor of selling `product` at `paid` in a store of price zone multiplier `zone`: own-price
   * elasticity against the zone's base price, times today's competitor factor.
   */
  priceFactor(product: number, paid: number, zone: number): number {
    const prod = this.chain.products[product]!;
    return (paid / (prod.basePrice * zone)) ** -prod.elasticity * this.compFactor[product]!;
  }

  /**
   * The slot of `zoneRegular` / `zoneFactor` holding today's regular price of `product` in store `store`
   * and its demand factor (the same numbers as regularPrice and priceFactor, computed once per zone).
   */
  zoneSlot(product: number, store: number): number {
    const z = this.zoneOf[store]!;
    const k = product * this.zones.length + z;
    if (this.zoneDay[k] !== this.today) {
      const zone = this.zones[z]!;
      const regular = this.regularPrice(product, zone);
      this.zoneRegular[k] = regular;
      this.zoneFactor[k] = this.priceFactor(product, regular, zone);
      this.zoneDay[k] = this.today;
    }
    return k;
  }

  /** Whether competitor `c` is observed pricing covered product number `j` today (gaps otherwise). */
  observed(): boolean {
    return this.compRng.chance(this.p.competitors.observedShare);
  }
}
