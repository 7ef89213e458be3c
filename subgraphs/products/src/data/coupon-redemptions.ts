// Coupon redemptions: which coupon promotions each placed order used, and so each promotion's
// used_count and each customer's count for per-customer limits.
import { textArray } from '../search/product-filter-sql';
import type { CustomerRedemptions } from '../domain/promotion-store';
import type { ProductsDb } from './db';

export class CouponRedemptions implements CustomerRedemptions {
  constructor(private readonly db: ProductsDb) {}

  /**
   * Records the order's coupons (already normalized codes) and counts each promotion once per
   * order, in one statement: a replayed event inserts nothing and so counts nothing. Codes that
   * match no promotion are ignored. Returns how many redemptions were new.
   */
  async record(order: {
    orderId: string;
    customerId: string | null;
    placedAt: Date;
    codes: readonly string[];
  }): Promise<number> {
    if (order.codes.length === 0) return 0;
    return this.db.$executeRawUnsafe(
      `WITH redeemed AS (
         INSERT INTO products.promotion_redemption (promotion_id, order_id, customer_id, redeemed_at)
         SELECT id, $1, $2, ($3::timestamptz AT TIME ZONE 'UTC')
           FROM products.promotion WHERE coupon_code = ANY (${textArray('$4')})
         ON CONFLICT (promotion_id, order_id) DO NOTHING
         RETURNING promotion_id
       )
       UPDATE products.promotion p SET used_count = p.used_count + 1 FROM redeemed WHERE p.id = redeemed.promotion_id`,
      order.orderId,
      order.customerId,
      order.placedAt.toISOString(),
      JSON.stringify(order.codes),
    );
  }

  /** How often this customer has redeemed each of these promotions (absent = never). */
  async byCustomer(customerId: string, promotionIds: readonly string[]): Promise<Map<string, number>> {
    if (promotionIds.length === 0) return new Map();
    const rows = await this.db.$queryRawUnsafe<{ promotion_id: string; n: number }[]>(
      `SELECT promotion_id::text, count(*)::int AS n FROM products.promotion_redemption
        WHERE customer_id = $1 AND promotion_id::text = ANY (${textArray('$2')}) GROUP BY promotion_id`,
      customerId,
      JSON.stringify(promotionIds),
    );
    return new Map(rows.map((r) => [r.promotion_id, r.n]));
  }
}
