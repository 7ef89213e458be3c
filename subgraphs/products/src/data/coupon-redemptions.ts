// Coupon redemptions: which coupon promotions each placed order used, and so each promotion's
// used_count and each customer's count for per-customer limits.
import { textArray } from '../search/product-filter-sql';
import type { CustomerRedemptions } from '../domain/promotion-store';
import type { ProductsDb } from './db';

export type CouponClaim =
  | { ok: true; promotionIds: string[] }
  | { ok: false; code: string; reason: 'UNKNOWN' | 'NOT_VALID_NOW' | 'USAGE_LIMIT_REACHED' | 'CUSTOMER_LIMIT_REACHED' };

interface ClaimedPromotionRow {
  id: string;
  coupon_code: string;
  usage_limit: number | null;
  used_count: number;
  per_customer_limit: number | null;
  live: boolean;
  valid_now: boolean;
}

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

  /**
   * Checkout's claim: one use of each coupon for this order, all or none, in one transaction.
   * The promotion rows are locked (in id order, so concurrent claims cannot deadlock) before
   * their limits are read, so the last use of a coupon goes to exactly one order however many
   * checkouts race for it. Claiming again for the same order changes nothing (idempotent);
   * order.placed later finds the redemption already there and counts nothing twice.
   */
  async claim(order: {
    orderId: string;
    customerId: string | null;
    codes: readonly string[];
    now: Date;
  }): Promise<CouponClaim> {
    if (order.codes.length === 0) return { ok: true, promotionIds: [] };
    return this.db.$transaction(async (tx) => {
      const promotions = await tx.$queryRawUnsafe<ClaimedPromotionRow[]>(
        `SELECT id::text, coupon_code, usage_limit, used_count, per_customer_limit,
                (active AND archived_at IS NULL) AS live,
                (valid_from <= ($2::timestamptz AT TIME ZONE 'UTC') AND valid_until > ($2::timestamptz AT TIME ZONE 'UTC')) AS valid_now
           FROM products.promotion WHERE coupon_code = ANY (${textArray('$1')}) ORDER BY id FOR UPDATE`,
        JSON.stringify(order.codes),
        order.now.toISOString(),
      );
      const byCode = new Map(promotions.map((p) => [p.coupon_code, p]));
      const already = new Set(
        (
          await tx.$queryRawUnsafe<{ promotion_id: string }[]>(
            `SELECT promotion_id::text FROM products.promotion_redemption WHERE order_id = $1`,
            order.orderId,
          )
        ).map((r) => r.promotion_id),
      );
      const fresh: ClaimedPromotionRow[] = [];
      for (const code of order.codes) {
        const p = byCode.get(code);
        if (!p || !p.live) return { ok: false, code, reason: 'UNKNOWN' } as const;
        if (already.has(p.id)) continue;
        if (!p.valid_now) return { ok: false, code, reason: 'NOT_VALID_NOW' } as const;
        if (p.usage_limit !== null && p.used_count >= p.usage_limit)
          return { ok: false, code, reason: 'USAGE_LIMIT_REACHED' } as const;
        if (p.per_customer_limit !== null && order.customerId) {
          const [{ n }] = await tx.$queryRawUnsafe<{ n: number }[]>(
            `SELECT count(*)::int AS n FROM products.promotion_redemption WHERE promotion_id = $1::uuid AND customer_id = $2`,
            p.id,
            order.customerId,
          );
          if (n! >= p.per_customer_limit) return { ok: false, code, reason: 'CUSTOMER_LIMIT_REACHED' } as const;
        }
        fresh.push(p);
      }
      for (const p of fresh) {
        await tx.$executeRawUnsafe(
          `INSERT INTO products.promotion_redemption (promotion_id, order_id, customer_id, redeemed_at)
           VALUES ($1::uuid, $2, $3, ($4::timestamptz AT TIME ZONE 'UTC'))`,
          p.id,
          order.orderId,
          order.customerId,
          order.now.toISOString(),
        );
        await tx.$executeRawUnsafe(
          `UPDATE products.promotion SET used_count = used_count + 1 WHERE id = $1::uuid`,
          p.id,
        );
      }
      return { ok: true, promotionIds: promotions.map((p) => p.id) } as const;
    });
  }

  /**
   * Gives back every coupon use an order holds (checkout failed, order cancelled or expired).
   * Releasing twice, or for an order that claimed nothing, changes nothing. Returns how many uses came back.
   */
  async release(orderId: string): Promise<number> {
    return this.db.$executeRawUnsafe(
      `WITH released AS (
         DELETE FROM products.promotion_redemption WHERE order_id = $1 RETURNING promotion_id
       )
       UPDATE products.promotion p SET used_count = greatest(p.used_count - 1, 0)
         FROM released WHERE p.id = released.promotion_id`,
      orderId,
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
