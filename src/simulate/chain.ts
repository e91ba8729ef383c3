import { type Day, parseDay, yearMonth } from "../core/days.ts";
import { Rng } from "../core/rng.ts";
import { CATEGORIES, PRICE_GROUPS } from "./categories.ts";
import type { SimParams } from "./params.ts";

/** Sub-stream keys for `Rng.derive(seed, STREAM.x, ...)`: each concern draws from its own stream. */
export const STREAM = {
  chain: 1,
  assortment: 2,
  demand: 3,
  weather: 4,
  prices: 5,
  promos: 6,
  competitors: 7,
  checks: 8,
  faults: 9,
  forecast: 10,
  arrivals: 11,
} as const;

/** Id formats: index i is written as prefix + zero-padded (i + 1). */
export const ID = {
  dc: { prefix: "DC", width: 2, offset: 1 },
  store: { prefix: "S", width: 4, offset: 1 },
  product: { prefix: "P", width: 6, offset: 1 },
  region: { prefix: "R", width: 2, offset: 1 },
} as const;

/** The id text of index `i` in a format of `ID`. */
export function idOf(format: { prefix: string; width: number; offset: number }, i: number): string {
  return format.prefix + String(i + format.offset).padStart(format.width, "0");
}

export type StoreFormat = "hyper" | "super" | "express";

/** A store and its hidden traits. */
export interface Store {
  index: number;
  dc: number;
  /** Region index (= its DC's). */
  region: number;
  city: string;
  latitude: number;
  longitude: number;
  sizeM2: number;
  format: StoreFormat;
  open: Day;
  /** Traffic multiplier (size and a random part). */
  level: number;
  /** Price zone multiplier of regular prices. */
  zone: number;
  /** Days between deliveries and the phase of the schedule. */
  cycle: number;
  phase: number;
}

/** A product and its hidden traits. */
export interface Product {
  index: number;
  category: number;
  l3: string;
  brand: string;
  manufacturer: string;
  priceGroup: string;
  shelfLife: number | null;
  introduced: Day;
  weightKg: number;
  basePrice: number;
  /** Base demand (units/day in a reference store). */
  level: number;
  /** Log growth per year. */
  trend: number;
  elasticity: number;
  /** Negative-binomial size. */
  size: number;
}

/** The simulated chain: DCs (one region each), stores, products. */
export interface Chain {
  start: Day;
  /** First simulated day including burn-in. */
  first: Day;
  /** Day after the last written day. */
  end: Day;
  regions: { latitude: number; longitude: number }[];
  stores: Store[];
  products: Product[];
}

const FORMATS: StoreFormat[] = ["hyper", "super", "express"];
const SIZE: Record<StoreFormat, [number, number]> = {
  hyper: [5000, 12000],
  super: [1500, 4000],
  express: [200, 600],
};

/** Builds the chain from the parameters (deterministic in the seed). */
export function buildChain(p: SimParams): Chain {
  const rng = Rng.derive(p.seed, STREAM.chain);
  const start = parseDay(p.start);
  const first = start - p.burnInDays;
  const end = start + p.days;
  const regions = Array.from({ length: p.dcs }, (_, i) => ({
    latitude: 42 + (16 * (i + 0.5)) / p.dcs + rng.uniform(-1, 1),
    longitude: 2 + rng.uniform(0, 20),
  }));
  const openings = Math.round(p.chain.openingStoreShare * p.stores);
  const stores: Store[] = [];
  for (let s = 0; s < p.stores; s++) {
    // Every DC gets stores before any gets a second: round-robin, then shuffled traits.
    const dc = s % p.dcs;
    const format = pick(
      rng,
      FORMATS,
      FORMATS.map((f) => p.chain.formatShares[f]),
    );
    const [lo, hi] = SIZE[format];
    const sizeM2 = Math.round(rng.uniform(lo, hi));
    const opensLate = s >= p.stores - openings && p.days > 120;
    const open = opensLate ? start + 30 + rng.int(Math.max(1, p.days - 120)) : start - 200 - rng.int(3000);
    const region = regions[dc]!;
    const cycle = rng.chance(p.chain.threeDayCycleShare) ? 3 : 2;
    stores.push({
      index: s,
      dc,
      region: dc,
      city: `City-${String(dc + 1).padStart(2, "0")}-${String(1 + rng.int(20)).padStart(2, "0")}`,
      latitude: round(region.latitude + rng.uniform(-1, 1), 4),
      longitude: round(region.longitude + rng.uniform(-1.5, 1.5), 4),
      sizeM2,
      format,
      open,
      level: (sizeM2 / 2000) ** 0.6 * Math.exp(p.demand.storeLevelSigma * rng.normal()),
      zone: 1 + p.prices.zoneSpread * (rng.int(3) - 1),
      cycle,
      phase: rng.int(cycle),
    });
  }
  const weights = CATEGORIES.map((c) => c.weight);
  const late = Math.round(p.chain.newProductShare * p.products);
  const months = monthStarts(start + 1, end - 30);
  const products: Product[] = [];
  for (let i = 0; i < p.products; i++) {
    const category = pickIndex(rng, weights);
    const cat = CATEGORIES[category]!;
    const group =
      PRICE_GROUPS[
        pickIndex(
          rng,
          PRICE_GROUPS.map((g) => g.share),
        )
      ]!;
    const brandNo = 1 + rng.int(6);
    const shelfLife = cat.shelfLife
      ? cat.shelfLife[0] + rng.int(cat.shelfLife[1] - cat.shelfLife[0] + 1)
      : null;
    // New products enter on a month start, when assortments change (see assortment.ts).
    const isNew = i >= p.products - late && months.length > 0;
    const introduced = isNew ? months[rng.int(months.length)]! : start - 30 - rng.int(1500);
    products.push({
      index: i,
      category,
      l3: `${cat.l2}_${1 + rng.int(cat.l3Count)}`,
      brand: `${cat.l2}-BRAND-${brandNo}`,
      manufacturer: `MAKER-${1 + ((brandNo * 7 + category) % 12)}`,
      priceGroup: group.name,
      shelfLife,
      introduced,
      weightKg: round(rng.uniform(0.1, 2), 3),
      basePrice: round(rng.uniform(cat.price[0], cat.price[1]) * group.multiplier, 2),
      level: p.demand.productLevelMedian * Math.exp(p.demand.productLevelSigma * rng.normal()),
      trend: p.demand.trendSigma * rng.normal(),
      elasticity: Math.min(4, Math.max(0.3, cat.elasticity * Math.exp(0.25 * rng.normal()))),
      size: cat.nbSize * Math.exp(p.demand.sizeJitter * rng.normal()),
    });
  }
  return { start, first, end, regions, stores, products };
}

/** First days of the calendar months in [from, to). */
export function monthStarts(from: Day, to: Day): Day[] {
  const out: Day[] = [];
  for (let d = from; d < to; d++) {
    const { year, month } = yearMonth(d);
    const first = Date.UTC(year, month - 1, 1) / 86_400_000;
    if (first === d) out.push(d);
  }
  return out;
}

/** Index drawn with probability proportional to its weight. */
export function pickIndex(rng: Rng, weights: readonly number[]): number {
  const total = weights.reduce((a, b) => a + b, 0);
  let u = rng.next() * total;
  for (let i = 0; i < weights.length; i++) {
    u -= weights[i]!;
    if (u < 0) return i;
  }
  return weights.length - 1;
}

function pick<T>(rng: Rng, xs: readonly T[], weights: readonly number[]): T {
  return xs[pickIndex(rng, weights)]!;
}

/** Rounds to `digits` decimals. */
export function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
