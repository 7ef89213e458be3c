// Coupon usage from order.placed (durable group products.coupon-redemptions): each coupon an
// order was charged with counts once toward its promotion's usage limit and, with the order's
// customer, toward the per-customer limit that priceCart checks. Idempotent by its table's key
// (promotion, order), so no processed_event row is needed. Malformed events are logged and skipped.
//
// Checkout claims each use atomically before the order exists (claimCouponUses, one locked
// promotion row: the last use goes to one order); order.placed then finds the redemption there
// and counts nothing twice. order.cancelled and order.expired give the uses back — checkout
// releases them itself too; this is the safety net when that call did not get through.
import type { Bus, Logger, DeadLetterSink } from '@grocery/platform';
import type { CouponRedemptions } from '../data/coupon-redemptions';
import { normalizeCouponCode } from '../domain/pricing';
import { subscribeToPlacedOrders } from './order-events';

export const COUPON_REDEMPTIONS_GROUP = 'products.coupon-redemptions';

export async function startCouponRedemptionConsumer(opts: {
  bus: Bus;
  redemptions: CouponRedemptions;
  logger: Logger;
  deadLetters?: DeadLetterSink;
}): Promise<() => Promise<void>> {
  const sub = await subscribeToPlacedOrders(
    opts,
    COUPON_REDEMPTIONS_GROUP,
    async (order) => {
      const codes = [...new Set(order.couponCodes.map(normalizeCouponCode))].filter((c) => c.length > 0);
      await opts.redemptions.record({
        orderId: order.orderId,
        customerId: order.customerId,
        placedAt: order.placedAt,
        codes,
      });
    },
    async (orderId) => {
      await opts.redemptions.release(orderId);
    },
  );
  return () => sub.close();
}
