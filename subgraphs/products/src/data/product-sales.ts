// Units ordered per SKU per business day (from order.placed), and the ranking popularProducts
// reads from them.
import type { SqlClient } from '@grocery/platform';
import type { OrderedUnits } from '../domain/popular-products';
import { binder, filterPredicates } from '../search/product-filter-sql';
import type { ProductsDb } from './db';
import { POPULARITY_SQL } from './product-browse';

export class ProductSales {
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
   * left out; in a category and its sub-categories when given. Ranked by POPULARITY_SQL itself,
   * so this list and products(sort: POPULARITY) always agree; the inner 8-day scan only narrows
   * the candidates to SKUs sold recently (a superset of the window) so the ranking does not
   * visit every product.
   */
  async topSellers(args: { categoryId: string | null; limit: number }): Promise<string[]> {
    const params: unknown[] = [];
    const bind = binder(params);
    const where = filterPredicates(args.categoryId ? { categoryId: args.categoryId } : null, bind);
    const rows = await this.db.$queryRawUnsafe<{ sku: string }[]>(
      `SELECT sku FROM (
         SELECT p.sku, ${POPULARITY_SQL} AS units
           FROM products.product p
          WHERE p.sku IN (SELECT d.sku FROM products.product_sales_daily d
                           WHERE d.day >= (now() AT TIME ZONE 'Asia/Ho_Chi_Minh')::date - 8)
            AND ${where.join(' AND ')}
       ) ranked
       WHERE units > 0
       ORDER BY units DESC, sku
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
        WHERE p.sku = ANY(ARRAY(SELECT json_array_elements_text($1::json)))`,
      JSON.stringify(skus),
    );
    return rows.flatMap((r) => (r.id ? [r.id] : []));
  }
}
