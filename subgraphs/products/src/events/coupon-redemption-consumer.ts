// Coupon usage from order.placed (durable group products.coupon-redemptions): each coupon an
// order was charged with counts once toward its promotion's usage limit and, with the order's
// customer, toward the per-customer limit that priceCart checks. Idempotent by its table's key
// (promotion, order), so no processed_event row is needed. Malformed events are logged and skipped.
//
// Checkout will price (and so check the limits) before the order is placed and counted here:
// two checkouts racing for a coupon's last use can both pass. Orders must claim a use
// atomically when they arrive; this count keeps the limits honest for everything after.
import type { Bus, Logger } from '@grocery/platform';
import type { CouponRedemptions } from '../data/coupon-redemptions';
import { normalizeCouponCode } from '../domain/pricing';
import { ORDERS_TOPIC, parseOrderEvent } from './order-events';

export const COUPON_REDEMPTIONS_GROUP = 'products.coupon-redemptions';

export async function startCouponRedemptionConsumer(opts: {
  bus: Bus;
  redemptions: CouponRedemptions;
  logger: Logger;
}): Promise<() => Promise<void>> {
  const sub = await opts.bus.subscribe(
    ORDERS_TOPIC,
    { group: COUPON_REDEMPTIONS_GROUP, from: 'earliest' },
    async (event) => {
      const parsed = parseOrderEvent(event);
      if (parsed.kind === 'malformed') {
        opts.logger.warn({ id: event.id, type: event.type, reason: parsed.reason }, 'skipping a malformed order event');
        return;
      }
      if (parsed.kind === 'ignored') return;
      const codes = [...new Set(parsed.couponCodes.map(normalizeCouponCode))].filter((c) => c.length > 0);
      await opts.redemptions.record({
        orderId: parsed.orderId,
        customerId: parsed.customerId,
        placedAt: parsed.placedAt,
        codes,
      });
    },
  );
  return () => sub.close();
}
