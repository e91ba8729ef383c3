import type { Day } from "../core/days.ts";
import type { TableWriter } from "../data/table-writer.ts";
import { calendarEvents, EventFactors, type SimEvent } from "./calendar.ts";
import { CATEGORIES } from "./categories.ts";
import { buildChain, type Chain, monthStarts } from "./chain.ts";
import { productLevel, seasonFactors } from "./demand.ts";
import type { Faults } from "./faults.ts";
import type { SimParams } from "./params.ts";
import { PriceBook } from "./prices.ts";
import { type Promo, PromoTracker, promoCalendar } from "./promos.ts";
import type { DayFactors } from "./store-day.ts";
import { Weather } from "./weather.ts";

/**
 * The chain-wide state of the day loop that every store reads: chain, promotions, prices (with competitor
 * prices), weather, calendar events and today's factors. It depends only on the parameters, so each
 * thread that simulates a block of stores builds its own copy and advances it day by day in step with
 * every other copy (same seed, same draws in the same order).
 */
export class World {
  readonly chain: Chain;
  readonly promos: Promo[];
  readonly events: SimEvent[];
  readonly prices: PriceBook;
  readonly tracker: PromoTracker;
  readonly weather: Weather;
  /** Today's factors, filled by `advance`. */
  readonly f: DayFactors;
  private readonly eventFactors: EventFactors;
  private readonly months: Set<number>;

  constructor(private readonly p: SimParams) {
    const chain = buildChain(p);
    this.chain = chain;
    this.promos = promoCalendar(chain, p);
    this.events = calendarEvents(chain.first, chain.end + 366, chain.regions.length);
    const np = chain.products.length;
    this.prices = new PriceBook(chain, p);
    this.tracker = new PromoTracker(this.promos, np);
    this.weather = new Weather(chain, p);
    this.eventFactors = new EventFactors(this.events, chain.regions.length);
    this.months = new Set(monthStarts(chain.first + 1, chain.end));
    const cells = chain.regions.length * CATEGORIES.length;
    this.f = {
      day: 0,
      out: false,
      lost: false,
      season: new Float64Array(CATEGORIES.length),
      event: new Float64Array(cells),
      weather: new Float64Array(cells),
      productLevel: new Float64Array(np),
    };
  }

  /**
   * Moves to `day` (every day from chain.first, in order): prices, promotions and today's factors; then,
   * on written days, draws which competitor prices are observed, writing them to `competitors` if given.
   * Every copy must make these draws, writer or not: they share the competitor stream with the prices.
   */
  advance(day: Day, faults: Faults, competitors: TableWriter | null): void {
    const { chain, p, f, prices } = this;
    prices.advance(day);
    this.tracker.advance(day);
    seasonFactors(day, f.season);
    this.eventFactors.fill(day, f.event);
    this.weather.fill(day, f.weather);
    for (let i = 0; i < chain.products.length; i++) {
      f.productLevel[i] = productLevel(chain.products[i]!, day, chain.start, p.demand.introRampDays);
    }
    f.day = day;
    f.out = day >= chain.start;
    f.lost = f.out && faults.missingDay(day);
    if (f.out) drawCompetitors(competitors, prices, day, p.competitors.count);
  }

  /** Whether `day` starts a month (assortment churn). */
  monthStart(day: Day): boolean {
    return this.months.has(day);
  }
}

function drawCompetitors(w: TableWriter | null, prices: PriceBook, day: number, competitors: number): void {
  for (let j = 0; j < prices.covered.length; j++) {
    for (let c = 0; c < competitors; c++) {
      if (!prices.observed() || !w) continue;
      w.num(0, day);
      w.text(1, `COMP-${c + 1}`);
      w.num(2, prices.covered[j]!);
      w.text(3, null);
      w.num(4, prices.compPrice[j * competitors + c]!);
      w.end();
    }
  }
}
