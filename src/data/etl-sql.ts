/**
 * The SQL of the daily fact table, one function per building block. Each takes the rewrite window as SQL
 * date literals (`from` inclusive, `to` inclusive) and yields rows for that window only.
 */

/** A DATE literal. */
export function dateLit(day: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) throw new RangeError(`not a date: ${day}`);
  return `DATE '${day}'`;
}

/**
 * Daily sales in the window: `sales` rows, plus `transactions` aggregated to (date, store, product) for the
 * keys `sales` does not have. When both sources hold a key, `sales` wins: it is the store's own daily
 * total, while transaction lines may still be arriving. Money is summed as DECIMAL so the result does not
 * depend on the order DuckDB's threads add the lines in (re-runs give identical tables).
 */
export function dailySalesSql(from: string, to: string, withTransactions: boolean): string {
  const sales = `SELECT date, store_id, product_id, units, revenue, discount FROM sales
    WHERE date BETWEEN ${from} AND ${to}`;
  if (!withTransactions) return sales;
  return `${sales}
    UNION ALL
    SELECT tx.* FROM (
      SELECT ts::DATE AS date, store_id, product_id, sum(units::DECIMAL(18, 4))::DOUBLE AS units,
        sum(revenue::DECIMAL(18, 4))::DOUBLE AS revenue, sum(discount::DECIMAL(18, 4))::DOUBLE AS discount
      FROM transactions WHERE ts >= ${from} AND ts < ${to} + 1
      GROUP BY ALL
    ) tx ANTI JOIN (SELECT date, store_id, product_id FROM sales WHERE date BETWEEN ${from} AND ${to}) s
      USING (date, store_id, product_id)`;
}

/**
 * Each (store, product) pair with the day it first appears: its first sale (sales or transactions) or
 * its first price, whichever is earlier. The fact table holds every day from there to the data end.
 */
export function pairsSql(withTransactions: boolean): string {
  const tx = withTransactions
    ? "UNION ALL SELECT store_id, product_id, min(ts)::DATE FROM transactions GROUP BY ALL"
    : "";
  return `SELECT store_id, product_id, min(first) AS first FROM (
      SELECT store_id, product_id, min(date) AS first FROM sales GROUP BY ALL
      ${tx}
      UNION ALL SELECT store_id, product_id, min(date) FROM prices GROUP BY ALL
    ) GROUP BY ALL`;
}

/**
 * The assortment bounds of each pair of `_etl_pairs` whose bounds cut into the window: `lo` the first day in
 * assortment (the later of the product's introduction and the store's opening), `hi` the first day out of
 * it again (the earlier of delisting and the day after closing). Pairs whose bounds hold for every day of
 * the window are left out, so when no product or store has a date inside the window (the usual case) the
 * table is empty and the 10M-row join against it costs nothing.
 */
export function boundsSql(from: string, to: string): string {
  return `SELECT * FROM (
      SELECT store_id, product_id, greatest(pd.introduced_date, so.open_date) AS lo,
        least(pd.delisted_date, so.close_date + 1) AS hi
      FROM _etl_pairs
      LEFT JOIN products pd USING (product_id)
      LEFT JOIN stores so USING (store_id)
    ) WHERE lo > ${from} OR hi <= ${to}`;
}

/**
 * The promotion covering each (date, store, product) in the window. Scope: a store promo covers its store,
 * a DC promo every store of the DC, a chain-wide promo every store. When several cover the same day the
 * most specific wins (store, then DC, then chain), then the deepest discount, then the smallest promo_id.
 */
export function promoDaysSql(from: string, to: string): string {
  const days = `p.start_date + unnest(range(0, (p.end_date - p.start_date)::INT + 1))::INT`;
  const cols = "p.promo_id, p.product_id, p.promo_type, p.discount";
  return `SELECT date, store_id, product_id, promo_type, discount FROM (
      SELECT ${cols}, p.store_id, 0 AS scope, ${days} AS date FROM promos p
        WHERE p.store_id IS NOT NULL AND p.end_date >= ${from} AND p.start_date <= ${to}
      UNION ALL
      SELECT ${cols}, s.store_id, 1 AS scope, ${days} AS date FROM promos p JOIN stores s ON s.dc_id = p.dc_id
        WHERE p.store_id IS NULL AND p.dc_id IS NOT NULL AND p.end_date >= ${from} AND p.start_date <= ${to}
      UNION ALL
      SELECT ${cols}, s.store_id, 2 AS scope, ${days} AS date FROM promos p CROSS JOIN stores s
        WHERE p.store_id IS NULL AND p.dc_id IS NULL AND p.end_date >= ${from} AND p.start_date <= ${to}
    )
    WHERE date BETWEEN ${from} AND ${to}
    QUALIFY row_number() OVER (PARTITION BY date, store_id, product_id
      ORDER BY scope, discount DESC NULLS LAST, promo_id) = 1`;
}

/**
 * The rows of `daily` for the window, from the temp tables `_etl_pairs`, `_etl_promos` and `_etl_bounds`
 * and the daily sales query `salesSql`. Rows are the sales themselves plus a zero row for each day of a
 * pair's range without a sale. One pass over the sales sets a bit per (pair, day with a sale); only pairs
 * with fewer bits than days in range get a day grid, filtered by their bits: a dense history costs one
 * aggregate, no join of the sales against a day grid on string keys. `materialize` computes `salesSql` once for its three uses; without it each use re-reads the tables,
 * which is cheaper when `salesSql` is a plain scan (DuckDB then hashes each distinct id of a compressed
 * column once, instead of every row of a materialized copy).
 *
 * - units/revenue/discount: the day's sales, 0 when there was none.
 * - price: the promo price when `prices` has one, else the regular price less the covering promo's
 *   discount, else the regular price.
 * - stockout: the day's stock row says the shelf ran empty — closing stock 0, or opening + deliveries -
 *   write-offs <= units sold (everything available was sold). No stock row: false (unknown, not empty).
 * - in_assortment: on or after the product's introduction, before its delisting date, within the store's
 *   open..close dates, and priced that day (a day with units sold counts as priced). The price condition
 *   applies only when `prices` holds any rows: a warehouse without prices cannot judge it.
 */
export function dailyRowsSql(
  from: string,
  to: string,
  requirePrice: boolean,
  salesSql: string,
  materialize: boolean,
): string {
  const priced = requirePrice ? "(p.regular_price IS NOT NULL OR r.units > 0)" : "true";
  const lo = `greatest(first, ${from})`;
  const days = `(${to} - ${from})::INT`;
  return `WITH s AS ${materialize ? "MATERIALIZED" : "NOT MATERIALIZED"} (${salesSql}),
    seen AS (
      SELECT store_id, product_id, bitstring_agg((date - ${from})::INT, 0, ${days}) AS days FROM s GROUP BY ALL
    ),
    gappy AS (
      SELECT store_id, product_id, (${lo} - ${from})::INT AS i0, days FROM _etl_pairs
      LEFT JOIN seen USING (store_id, product_id)
      WHERE first <= ${to} AND coalesce(bit_count(days), 0) < ${days} - (${lo} - ${from})::INT + 1
    ),
    gap_days AS (
      SELECT store_id, product_id, ${from} + i::INT AS date FROM (
        SELECT store_id, product_id, days, unnest(range(i0, ${days} + 1)) AS i FROM gappy
      ) WHERE days IS NULL OR get_bit(days, i::INT) = 0
    ),
    r AS (
      SELECT date, store_id, product_id, units, revenue, discount FROM s
      UNION ALL
      SELECT date, store_id, product_id, 0, 0, 0 FROM gap_days
    )
    SELECT r.date, r.store_id, r.product_id, r.units, r.revenue, r.discount,
      p.regular_price,
      coalesce(p.promo_price, p.regular_price * (1 - pr.discount), p.regular_price) AS price,
      (pr.promo_type IS NOT NULL OR p.promo_price IS NOT NULL) AS on_promo,
      pr.promo_type,
      coalesce(pr.discount, CASE WHEN p.promo_price IS NOT NULL AND p.regular_price > 0
        THEN greatest(0, least(1, 1 - p.promo_price / p.regular_price)) END) AS promo_discount,
      st.opening_stock, st.deliveries, st.write_offs,
      coalesce(st.closing_stock = 0 OR st.opening_stock + st.deliveries - st.write_offs <= r.units, false) AS stockout,
      (coalesce(r.date >= b.lo, true) AND coalesce(r.date < b.hi, true) AND ${priced}) AS in_assortment
    FROM r
    LEFT JOIN (SELECT * FROM prices WHERE date BETWEEN ${from} AND ${to}) p USING (date, store_id, product_id)
    LEFT JOIN (SELECT * FROM stock WHERE date BETWEEN ${from} AND ${to}) st USING (date, store_id, product_id)
    LEFT JOIN _etl_promos pr USING (date, store_id, product_id)
    LEFT JOIN _etl_bounds b USING (store_id, product_id)`;
}
