import type { Day } from "../core/days.ts";
import { Rng } from "../core/rng.ts";
import { type Chain, STREAM } from "./chain.ts";
import type { SimParams } from "./params.ts";

/**
 * Which products each store carries. A store starts (at its first simulated day) with a random share of
 * the listed catalogue set by its format. At every month start it drops round(churn x size) random items
 * and lists as many others, products introduced that month first: a churn of ~15% a month at a steady size.
 */
export class Assortment {
  /** carried[store * products + product] = 1 when carried. */
  readonly carried: Uint8Array;
  /** The carried product indexes of each store, ascending. */
  readonly lists: Int32Array[];
  private readonly started: Uint8Array;

  constructor(
    private readonly chain: Chain,
    private readonly p: SimParams,
  ) {
    const ns = chain.stores.length;
    this.carried = new Uint8Array(ns * chain.products.length);
    this.lists = Array.from({ length: ns }, () => new Int32Array(0));
    this.started = new Uint8Array(ns);
  }

  /**
   * Applies `day`'s changes to store `s` (first stocking or monthly churn); returns the products listed
   * and delisted that day (both empty on most days).
   */
  update(s: number, day: Day, monthStart: boolean): { added: number[]; removed: number[] } {
    const store = this.chain.stores[s]!;
    const np = this.chain.products.length;
    const base = s * np;
    if (day < store.open) return { added: [], removed: [] };
    const listed = (i: number) => this.chain.products[i]!.introduced <= day;
    if (!this.started[s]) {
      this.started[s] = 1;
      const rng = Rng.derive(this.p.seed, STREAM.assortment, s, day);
      const candidates = rng.shuffle(this.chain.products.map((_, i) => i).filter(listed));
      const share = this.p.chain.assortmentShare[store.format];
      const added = candidates.slice(0, Math.max(1, Math.round(share * candidates.length)));
      for (const i of added) this.carried[base + i] = 1;
      this.rebuild(s);
      return { added: added.sort((a, b) => a - b), removed: [] };
    }
    if (!monthStart) return { added: [], removed: [] };
    const rng = Rng.derive(this.p.seed, STREAM.assortment, s, day);
    const current = this.lists[s]!;
    const k = Math.round(this.p.chain.monthlyChurn * current.length);
    const removed = rng.shuffle(Array.from(current)).slice(0, k);
    const fresh: number[] = [];
    const others: number[] = [];
    for (let i = 0; i < np; i++) {
      if (this.carried[base + i] || !listed(i)) continue;
      (this.chain.products[i]!.introduced === day ? fresh : others).push(i);
    }
    const added = [...rng.shuffle(fresh), ...rng.shuffle(others)].slice(0, k);
    for (const i of removed) this.carried[base + i] = 0;
    for (const i of added) this.carried[base + i] = 1;
    this.rebuild(s);
    return { added: added.sort((a, b) => a - b), removed: removed.sort((a, b) => a - b) };
  }

  private rebuild(s: number): void {
    const np = this.chain.products.length;
    const out: number[] = [];
    for (let i = 0; i < np; i++) if (this.carried[s * np + i]) out.push(i);
    this.lists[s] = Int32Array.from(out);
  }
}
