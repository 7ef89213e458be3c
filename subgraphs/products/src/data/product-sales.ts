// Units ordered per SKU per business day (from order.placed), and the ranking popularProducts
// reads from them.
import type { SqlClient } from '@grocery/platform';
import type { OrderedUnits, SalesRanking } from '../domain/popular-products';
import { binder, filterPredicates, textArray } from '../search/product-filter-sql';
import type { ProductsDb } from './db';
import { POPULARITY_WINDOW_SQL } from './product-browse';

export class ProductSales implements SalesRanking {
  constructor(private readonly db: ProductsDb) {}

  /** Adds one order's units to its business day (YYYY-MM-DD); run in the consumer's transaction. */
  async recordOrder(tx: SqlClient, day: string, units: readonly OrderedUnits[]): Promise<void> {
    await tx.$executeRawUnsafe(
      `INSERT INTO products.product_sales_daily AS d (sku, day, quantity, order_count)
       SELECT l.sku, $1::date, l.quantity, 1 FROM json_to_recordset($2::json) AS l(sku text, quantity int)
       ON CONFLICT (sku, day) DO UPDATE
          SET quantity = d.quantity + excluded.quantity, order_count = d.order_count + 1`,
      day,
      JSON.stringify(units),
    );
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
