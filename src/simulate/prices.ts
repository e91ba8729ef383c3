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
  }

  /** Moves prices to `day` (call once per day, in order). */
  advance(day: Day): void {
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

  /** Whether competitor `c` is observed pricing covered product number `j` today (gaps otherwise). */
  observed(): boolean {
    return this.compRng.chance(this.p.competitors.observedShare);
  }
}
