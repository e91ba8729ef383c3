import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { dayOfYear, parseDay, weekday } from "../core/days.ts";
import { Warehouse } from "../data/warehouse.ts";
import { CATEGORIES } from "./categories.ts";
import { weekdayFactor } from "./demand.ts";
import { simulate } from "./simulate.ts";

// One small chain simulated once; every statistic below is checked against the parameters that made it,
// with tolerances from the sample size (the variance of the negative binomial, or a binomial share).
const PARAMS = { dcs: 2, stores: 10, products: 80, days: 240, seed: 7 };
let dir = "";
let wh: Warehouse;
const f = (sub: string) => `'${join(dir, sub)}'`;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), "megaretail-sim-"));
  await simulate(PARAMS, join(dir, "out"));
  dir = join(dir, "out");
  wh = await Warehouse.open(":memory:");
  await wh.run(`CREATE VIEW truth AS SELECT * FROM read_parquet(${f("truth/demand/*.parquet")})`);
  await wh.run(`CREATE VIEW sim_products AS SELECT * FROM read_parquet(${f("products.parquet")})`);
  await wh.run(`CREATE VIEW sim_stores AS SELECT * FROM read_parquet(${f("stores.parquet")})`);
});

after(() => {
  wh?.close();
  rmSync(join(dir, ".."), { recursive: true, force: true });
});

test("the mean is the product of the recorded effects", async () => {
  const worst = await wh.scalar(
    "SELECT max(abs(mean / (level * f_season * f_event * f_weather * f_promo * f_price) - 1)) FROM truth",
  );
  assert.ok(worst < 1e-9, `relative error ${worst}`);
});

test("weekly seasonality of demand matches each category's weekday profile", async () => {
  // Demand over everything but the weekly factor (the yearly part recomputed from the category parameters).
  const rows = await wh.all<{ cat: string; date: string; demand: number; base: number; variance: number }>(
    `SELECT p.category_l2 AS cat, t.date::VARCHAR AS date, sum(t.demand) AS demand,
       sum(t.level * t.f_event * t.f_weather * t.f_promo * t.f_price) AS base,
       sum(t.mean + t.mean * t.mean / t.size) AS variance
     FROM truth t JOIN sim_products p USING (product_id) GROUP BY ALL`,
  );
  const acc = new Map<string, { demand: number; base: number; variance: number }>();
  for (const r of rows) {
    const c = CATEGORIES.findIndex((x) => x.l2 === r.cat);
    const cat = CATEGORIES[c]!;
    const day = parseDay(r.date);
    const yearly =
      1 + cat.yearlyAmplitude * Math.cos((2 * Math.PI * (dayOfYear(day) - cat.yearlyPeakDay)) / 365.25);
    const key = `${c}:${weekday(day)}`;
    const a = acc.get(key) ?? { demand: 0, base: 0, variance: 0 };
    a.demand += r.demand;
    a.base += r.base * yearly;
    a.variance += r.variance;
    acc.set(key, a);
  }
  let checked = 0;
  for (const [key, a] of acc) {
    const [c, wd] = key.split(":").map(Number) as [number, number];
    const expected = weekdayFactor(c, wd);
    const estimate = a.demand / a.base;
    const tolerance = (4.5 * Math.sqrt(a.variance)) / a.base;
    assert.ok(
      Math.abs(estimate - expected) < tolerance,
      `${CATEGORIES[c]!.l2} weekday ${wd}: ${estimate.toFixed(3)} vs ${expected.toFixed(3)} ± ${tolerance.toFixed(3)}`,
    );
    checked++;
  }
  assert.ok(checked > 7 * 10, `only ${checked} (category, weekday) cells`);
});

test("promo lift of each mechanic matches its parameter (promo days from the promos table)", async () => {
  const rows = await wh.all<{
    promo_type: string;
    demand: number;
    base: number;
    variance: number;
    n: number;
  }>(
    `SELECT pr.promo_type, sum(t.demand) AS demand,
       sum(t.level * t.f_season * t.f_event * t.f_weather * t.f_price) AS base,
       sum(t.mean + t.mean * t.mean / t.size) AS variance, count(*) AS n
     FROM truth t JOIN sim_stores s USING (store_id)
     JOIN read_parquet(${f("promos.parquet")}) pr ON pr.product_id = t.product_id
       AND t.date BETWEEN pr.start_date AND pr.end_date
       AND (pr.store_id = t.store_id OR (pr.store_id IS NULL AND (pr.dc_id IS NULL OR pr.dc_id = s.dc_id)))
     GROUP BY ALL ORDER BY 1`,
  );
  const lifts: Record<string, number> = { discount: 1.1, display: 1.35, leaflet: 1.25 };
  assert.deepEqual(
    rows.map((r) => r.promo_type),
    Object.keys(lifts),
  );
  for (const r of rows) {
    const estimate = r.demand / r.base;
    const tolerance = (4.5 * Math.sqrt(r.variance)) / r.base;
    assert.ok(r.n > 500, `${r.promo_type}: ${r.n} promo series-days`);
    assert.ok(
      Math.abs(estimate - lifts[r.promo_type]!) < tolerance,
      `${r.promo_type}: lift ${estimate.toFixed(3)} vs ${lifts[r.promo_type]} ± ${tolerance.toFixed(3)}`,
    );
  }
});

test("stockouts censor sales: sales = min(demand, available stock), below demand on censored days", async () => {
  const r = await wh.one<Record<string, number>>(
    `WITH sales AS (
       SELECT store_id, CAST(ts AS DATE) AS date, product_id, sum(units) AS units
       FROM read_parquet(${f("transactions/*.parquet")}) GROUP BY ALL),
     j AS (
       SELECT t.demand, st.closing_stock, st.opening_stock + st.deliveries - st.write_offs AS available,
         coalesce(s.units, 0) AS units
       FROM truth t JOIN read_parquet(${f("stock/*.parquet")}) st USING (date, store_id, product_id)
       LEFT JOIN sales s USING (date, store_id, product_id))
     SELECT count(*) AS n,
       count(*) FILTER (WHERE units <> least(demand, available)) AS wrong,
       count(*) FILTER (WHERE closing_stock = 0) AS stockouts,
       count(*) FILTER (WHERE closing_stock = 0 AND (units <> available OR units > demand)) AS bad_stockouts,
       count(*) FILTER (WHERE closing_stock = 0 AND units < demand) AS censored,
       count(*) FILTER (WHERE closing_stock <> available - units) AS unbalanced
     FROM j`,
  );
  assert.ok(r, "no rows");
  assert.equal(r.n, await wh.scalar("SELECT count(*) FROM truth"), "a stock row for every series-day");
  assert.equal(r.wrong, 0);
  assert.equal(r.bad_stockouts, 0);
  assert.equal(r.unbalanced, 0);
  assert.ok(r.censored! > 0.01 * r.n!, `censored days ${r.censored} of ${r.n}`);
  assert.ok(r.stockouts! < 0.5 * r.n!, `stockout days ${r.stockouts} of ${r.n}`);
});

test("competitor prices cover 25% ± 5% of products, with gaps", async () => {
  const r = await wh.one<{ covered: number; products: number; observed: number; possible: number }>(
    `WITH c AS (SELECT * FROM read_parquet(${f("competitor_prices/*.parquet")}))
     SELECT (SELECT count(DISTINCT product_id) FROM c) AS covered, (SELECT count(*) FROM sim_products) AS products,
       (SELECT count(*) FROM c) AS observed,
       (SELECT count(DISTINCT product_id) * count(DISTINCT competitor_id) * count(DISTINCT date) FROM c) AS possible`,
  );
  const share = r!.covered / r!.products;
  assert.ok(Math.abs(share - 0.25) <= 0.05, `coverage ${share}`);
  assert.ok(r!.observed < 0.6 * r!.possible, `gaps: ${r!.observed} of ${r!.possible} observed`);
});

test("monthly assortment churn is 15% ± 5%", async () => {
  // A store's assortment in a month: the products it priced that month. Churn: the share of last month's
  // assortment gone this month.
  const r = await wh.one<{ churn: number; months: number }>(
    `WITH a AS (SELECT DISTINCT store_id, date_trunc('month', date) AS m, product_id
                FROM read_parquet(${f("prices/*.parquet")})),
     sizes AS (SELECT store_id, m, count(*) AS n FROM a GROUP BY ALL),
     gone AS (
       SELECT prev.store_id, prev.m, count(*) FILTER (WHERE cur.product_id IS NULL) AS gone
       FROM a prev LEFT JOIN a cur ON cur.store_id = prev.store_id AND cur.product_id = prev.product_id
         AND cur.m = prev.m + INTERVAL 1 MONTH
       WHERE prev.m + INTERVAL 1 MONTH IN (SELECT m FROM sizes s WHERE s.store_id = prev.store_id)
       GROUP BY ALL)
     SELECT avg(gone / n) AS churn, count(*) AS months FROM gone JOIN sizes USING (store_id, m)`,
  );
  assert.ok(r!.months >= 50, `store-months ${r!.months}`);
  assert.ok(Math.abs(r!.churn - 0.15) <= 0.05, `churn ${r!.churn}`);
});
