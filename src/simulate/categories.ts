/**
 * The category catalogue: level 1 and 2 categories with the effects the simulator gives them. Level 3 is
 * generated as `<l2>_<n>`. Weights decide how many products fall in each category; perishables (a shelf
 * life) carry about half of the weight, as in a grocery chain.
 */
export interface Category {
  l1: string;
  l2: string;
  /** Relative share of products. */
  weight: number;
  /** Level 3 subcategories generated under this one. */
  l3Count: number;
  /** Shelf life range in days, or null for non-perishables. */
  shelfLife: [number, number] | null;
  /** Regular price range (mid price group). */
  price: [number, number];
  /** Weekday profile Monday..Sunday (normalised to mean 1 when used). */
  weekly: readonly number[];
  /** Yearly seasonality: amplitude of the cosine and its peak day of year. */
  yearlyAmplitude: number;
  yearlyPeakDay: number;
  /** Demand multiplier per 10 °C of temperature anomaly, as a log effect. */
  tempBeta: number;
  /** Demand multiplier per 10 mm of precipitation, as a log effect. */
  rainBeta: number;
  /** Mean own-price elasticity (positive: demand falls as price rises). */
  elasticity: number;
  /** Negative-binomial size (smaller: more overdispersed). */
  nbSize: number;
  /** Pre-holiday pull multiplier scale (food shopping before holidays). */
  holidayPull: number;
  /** Lift on cultural and sporting event days. */
  eventLift: number;
}

const FOOD = [0.88, 0.85, 0.9, 0.95, 1.12, 1.32, 0.98];
const BAKERY = [0.96, 0.93, 0.95, 0.98, 1.05, 1.2, 0.93];
const DRINKS = [0.8, 0.8, 0.85, 0.95, 1.22, 1.45, 0.93];
const HOUSEHOLD = [0.9, 0.9, 0.95, 0.95, 1.05, 1.35, 0.9];

const c = (
  l1: string,
  l2: string,
  weight: number,
  shelfLife: [number, number] | null,
  price: [number, number],
  weekly: readonly number[],
  seasonal: [number, number],
  weather: [number, number],
  elasticity: number,
  nbSize: number,
  holidayPull: number,
  eventLift = 1,
): Category => ({
  l1,
  l2,
  weight,
  l3Count: 3,
  shelfLife,
  price,
  weekly,
  yearlyAmplitude: seasonal[0],
  yearlyPeakDay: seasonal[1],
  tempBeta: weather[0],
  rainBeta: weather[1],
  elasticity,
  nbSize,
  holidayPull,
  eventLift,
});

/** The catalogue (order matters: it is part of the seeded generation). */
export const CATEGORIES: readonly Category[] = [
  c("FRESH", "FRESH_FRUIT", 8, [4, 10], [0.8, 4], FOOD, [0.2, 200], [0.15, -0.05], 1.6, 3, 0.5),
  c("FRESH", "FRESH_VEG", 8, [5, 12], [0.6, 3], FOOD, [0.1, 220], [0.05, -0.05], 1.4, 3, 0.7),
  c("FRESH", "FRESH_MEAT", 6, [3, 6], [3, 15], FOOD, [0.1, 190], [0.1, -0.08], 1.8, 2.5, 1.0, 1.2),
  c("FRESH", "FRESH_FISH", 3, [2, 4], [4, 18], FOOD, [0.05, 100], [0, -0.05], 1.8, 2, 0.9),
  c("DAIRY", "DAIRY_MILK", 6, [7, 12], [0.8, 2.5], FOOD, [0.03, 30], [0, -0.03], 1.0, 6, 0.6),
  c("DAIRY", "DAIRY_YOGURT", 6, [10, 25], [0.5, 3], FOOD, [0.08, 180], [0.05, -0.03], 1.7, 3, 0.3),
  c("DAIRY", "DAIRY_CHEESE", 4, [20, 45], [2, 9], FOOD, [0.1, 355], [-0.05, 0], 1.5, 3, 0.9),
  c("BAKERY", "BAKERY_BREAD", 6, [2, 4], [0.9, 3.5], BAKERY, [0.02, 10], [0, -0.04], 0.9, 6, 0.8),
  c("BAKERY", "BAKERY_PASTRY", 4, [1, 3], [1, 5], BAKERY, [0.1, 355], [0, -0.05], 1.5, 2.5, 1.0),
  c("FROZEN", "FROZEN_ICECREAM", 3, null, [2, 7], FOOD, [0.6, 200], [0.5, -0.1], 2.0, 1.5, 0.2, 1.2),
  c("FROZEN", "FROZEN_MEALS", 4, null, [2, 8], FOOD, [0.15, 15], [-0.1, 0.05], 1.6, 2.5, 0.3),
  c("GROCERY", "GROCERY_PASTA", 5, null, [0.8, 3.5], FOOD, [0.05, 20], [-0.03, 0.03], 1.3, 3, 0.4),
  c("GROCERY", "GROCERY_CANNED", 5, null, [0.9, 4], FOOD, [0.08, 15], [-0.03, 0.03], 1.2, 2.5, 0.4),
  c("GROCERY", "GROCERY_SNACKS", 6, null, [1, 4], DRINKS, [0.1, 355], [0.05, 0], 1.9, 2, 0.7, 1.35),
  c("BEVERAGES", "BEV_WATER", 4, null, [0.4, 2], DRINKS, [0.35, 200], [0.35, -0.05], 1.2, 4, 0.5),
  c("BEVERAGES", "BEV_SOFT", 5, null, [1, 3.5], DRINKS, [0.25, 200], [0.3, -0.05], 1.8, 2.5, 0.8, 1.3),
  c("BEVERAGES", "BEV_BEER", 4, null, [1.2, 6], DRINKS, [0.3, 195], [0.25, -0.08], 1.7, 2, 1.0, 1.5),
  c("HOUSEHOLD", "HH_CLEANING", 4, null, [1.5, 8], HOUSEHOLD, [0.05, 90], [0, 0], 1.1, 2, 0.2),
  c("HOUSEHOLD", "HH_PAPER", 4, null, [1.5, 9], HOUSEHOLD, [0.03, 0], [0, 0], 1.2, 2, 0.3),
];

/** Price groups with their price multipliers and shares of products. */
export const PRICE_GROUPS = [
  { name: "budget", multiplier: 0.7, share: 0.3 },
  { name: "mid", multiplier: 1, share: 0.5 },
  { name: "premium", multiplier: 1.5, share: 0.2 },
] as const;

/** Weekday factors of a category normalised to mean 1 (Monday first). */
export function weeklyFactors(cat: Category): number[] {
  const mean = cat.weekly.reduce((a, b) => a + b, 0) / 7;
  return cat.weekly.map((x) => x / mean);
}
