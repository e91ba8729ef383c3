import type { Day } from "../core/days.ts";
import { Rng } from "../core/rng.ts";
import { type Chain, pickIndex, round, STREAM, type Store } from "./chain.ts";
import type { SimParams } from "./params.ts";

/** The promotion mechanics, in the order of `typeLift`. */
export const PROMO_TYPES = ["discount", "display", "leaflet"] as const;
export type PromoType = (typeof PROMO_TYPES)[number];

/** A promotion: one product, a scope (chain, one DC, one store), dates, mechanic and discount. */
export interface Promo {
  index: number;
  product: number;
  scope: "chain" | "dc" | "store";
  dc: number;
  store: number;
  start: Day;
  /** Last day, inclusive. */
  end: Day;
  type: PromoType;
  discount: number;
}

/**
 * The promotion calendar: for each product a sequence of non-overlapping promotions (exponential gaps,
 * uniform durations and discounts), so a product has at most one promotion on a day anywhere.
 */
export function promoCalendar(chain: Chain, p: SimParams): Promo[] {
  const rng = Rng.derive(p.seed, STREAM.promos);
  const out: Promo[] = [];
  const q = p.promos;
  const meanGap =
    q.perProductYear > 0 ? Math.max(1, 365 / q.perProductYear - (q.minDays + q.maxDays) / 2) : 0;
  const scopes = ["chain", "dc", "store"] as const;
  for (const prod of chain.products) {
    if (q.perProductYear <= 0) break;
    let d = chain.first + Math.floor(rng.next() * meanGap * 2);
    while (d < chain.end) {
      const days = q.minDays + rng.int(q.maxDays - q.minDays + 1);
      const scope = scopes[pickIndex(rng, [q.scopeShares.chain, q.scopeShares.dc, q.scopeShares.store])]!;
      const type = PROMO_TYPES[rng.int(PROMO_TYPES.length)]!;
      const discount = round(q.minDiscount + rng.next() * (q.maxDiscount - q.minDiscount), 2);
      out.push({
        index: 0,
        product: prod.index,
        scope,
        dc: rng.int(chain.regions.length),
        store: rng.int(chain.stores.length),
        start: d,
        end: d + days - 1,
        type,
        discount,
      });
      d += days + 1 + Math.floor(-meanGap * Math.log(1 - rng.next()));
    }
  }
  out.sort((a, b) => a.start - b.start || a.product - b.product);
  out.forEach((x, i) => {
    x.index = i;
  });
  return out;
}

/** Whether a promotion covers a store. */
export function inScope(promo: Promo, store: Store): boolean {
  return (
    promo.scope === "chain" || (promo.scope === "dc" ? promo.dc === store.dc : promo.store === store.index)
  );
}

/**
 * Day-by-day view of the calendar: for each product, the promotion running today (or -1) and the last one
 * that ended (for the post-promotion dip).
 */
export class PromoTracker {
  /** Index into the calendar of today's promotion per product, or -1. */
  readonly active: Int32Array;
  /** Index of the most recent promotion that ended before today, or -1. */
  readonly previous: Int32Array;
  private readonly byProduct: Promo[][];
  private readonly next: Int32Array;

  constructor(
    readonly promos: readonly Promo[],
    products: number,
  ) {
    this.byProduct = Array.from({ length: products }, () => []);
    for (const x of promos) this.byProduct[x.product]!.push(x);
    this.active = new Int32Array(products).fill(-1);
    this.previous = new Int32Array(products).fill(-1);
    this.next = new Int32Array(products);
  }

  /** Moves to `day` (call once per day, in order). */
  advance(day: Day): void {
    for (let i = 0; i < this.byProduct.length; i++) {
      const list = this.byProduct[i]!;
      const a = this.active[i]!;
      if (a >= 0 && this.promos[a]!.end < day) {
        this.previous[i] = a;
        this.active[i] = -1;
      }
      const k = this.next[i]!;
      if (k < list.length && list[k]!.start <= day) {
        this.active[i] = list[k]!.index;
        this.next[i] = k + 1;
      }
    }
  }
}
