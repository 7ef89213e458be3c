// Units ordered per SKU per business day (from order.placed), and the ranking popularProducts
// reads from them.
import type { SqlClient } from '@grocery/platform';
import type { OrderedUnits, SalesRanking } from '../domain/popular-products';
import { binder, filterPredicates, textArray } from '../search/product-filter-sql';
import type { ProductsDb } from './db';
import { POPULARITY_WINDOW_SQL } from './product-browse';

/** Days of order lines kept: the popularity window (7 days) with room to rebuild it. */
export const ORDER_LINES_KEPT_DAYS = 35;

export class ProductSales implements SalesRanking {
  constructor(private readonly db: ProductsDb) {}

  /**
   * Adds one order's units to its business day (YYYY-MM-DD); run in the consumer's transaction.
   * The order's lines are kept (product_order_line, ORDER_LINES_KEPT_DAYS) and only lines not
   * seen before are added, so the daily sums can be rebuilt from them (`rebuildFromOrderLines`).
   */
  async recordOrder(tx: SqlClient, orderId: string, day: string, units: readonly OrderedUnits[]): Promise<void> {
    await tx.$executeRawUnsafe(
      `WITH added AS (
         INSERT INTO products.product_order_line (order_id, sku, day, quantity)
         SELECT $1, l.sku, $2::date, l.quantity FROM json_to_recordset($3::json) AS l(sku text, quantity int)
         ON CONFLICT (order_id, sku) DO NOTHING
         RETURNING sku, day, quantity)
       INSERT INTO products.product_sales_daily AS d (sku, day, quantity, order_count)
       SELECT sku, day, quantity, 1 FROM added
       ON CONFLICT (sku, day) DO UPDATE
          SET quantity = d.quantity + excluded.quantity, order_count = d.order_count + 1`,
      orderId,
      day,
      JSON.stringify(units),
    );
    // Lines older than what a rebuild needs go (an index range on day: nothing, most calls).
    await tx.$executeRawUnsafe(
      `DELETE FROM products.product_order_line WHERE day < $1::date - ${ORDER_LINES_KEPT_DAYS}`,
      day,
    );
  }

  /**
   * Recomputes the daily sums of every day the kept order lines cover from those lines (days
   * before them are left as they are). Concurrent orders wait (the lines are locked in SHARE
   * mode), so none is counted twice or lost. Returns the days and lines it went through.
   */
  static async rebuildFromOrderLines(db: ProductsDb): Promise<{ days: number; lines: number }> {
    return db.$transaction(async (tx) => {
      await tx.$executeRawUnsafe(`LOCK TABLE products.product_order_line IN SHARE MODE`);
      const [span] = await tx.$queryRawUnsafe<{ first: Date | null; days: number; lines: number }[]>(
        `SELECT min(day) AS first, count(DISTINCT day)::int AS days, count(*)::int AS lines FROM products.product_order_line`,
      );
      if (!span?.first) return { days: 0, lines: 0 };
      await tx.$executeRawUnsafe(`DELETE FROM products.product_sales_daily WHERE day >= $1::date`, span.first);
      await tx.$executeRawUnsafe(
        `INSERT INTO products.product_sales_daily (sku, day, quantity, order_count)
         SELECT sku, day, sum(quantity)::int, count(*)::int FROM products.product_order_line GROUP BY sku, day`,
      );
      return { days: span.days, lines: span.lines };
    });
  }

  /**
   * The best sellers of the popularity window, most units first, ties by SKU, archived products
   * left out; in a category and its sub-categories when given. The same window, sum and tie-break
   * as products(sort: POPULARITY), so the two always agree; but one aggregate over the window's
   * rows rather than POPULARITY_SQL's lookup per product, which is several times slower on 50k
   * SKUs (the figures are in the branch report).
   */
  async topSellers(args: { categoryId: string | null; limit: number }): Promise<string[]> {
    const params: unknown[] = [];
    const bind = binder(params);
    const where = filterPredicates(args.categoryId ? { categoryId: args.categoryId } : null, bind);
    const rows = await this.db.$queryRawUnsafe<{ sku: string }[]>(
      `SELECT p.sku
         FROM (SELECT d.sku, sum(d.quantity) AS units FROM products.product_sales_daily d
                WHERE ${POPULARITY_WINDOW_SQL} GROUP BY d.sku) sold
         JOIN products.product p ON p.sku = sold.sku
        WHERE sold.units > 0 AND ${where.join(' AND ')}
        ORDER BY sold.units DESC, p.sku
        LIMIT ${bind(args.limit)}::int`,
      ...params,
    );
    return rows.map((r) => r.sku);
  }

  /** The categories these SKUs are listed under, their parents included. */
  async categoriesOf(skus: readonly string[]): Promise<string[]> {
    const rows = await this.db.$queryRawUnsafe<{ id: string }[]>(
      `SELECT DISTINCT unnest(ARRAY[p.category_id, c.parent_id]) AS id
         FROM products.product p JOIN products.category c ON c.id = p.category_id
        WHERE p.sku = ANY(${textArray('$1')})`,
      JSON.stringify(skus),
    );
    return rows.flatMap((r) => (r.id ? [r.id] : []));
  }
}
