// What checkout counts for /metrics: orders placed, and refusals by the type a client receives
// (placeOrder's union member). First attempts only: a retry with the same idempotencyKey
// answers the first attempt's outcome and is not counted again.
import { counter } from '@grocery/platform';
import type { CheckoutRefusal, PlaceOrderInput, PlaceOrderOutcome } from './checkout-service';

const placed = counter({
  name: 'orders_placed_total',
  help: 'Orders placeOrder wrote (awaiting payment, or confirmed for cash on delivery), by payment provider and fulfilment.',
  labelNames: ['provider', 'fulfilment'],
});
const refused = counter({
  name: 'checkout_refusals_total',
  help: "placeOrder's expected refusals, by the refusal's GraphQL type (__typename).",
  labelNames: ['type'],
});

/** The schema's name for each refusal (schema/views.ts answers with the same). */
const REFUSAL_TYPE: Record<CheckoutRefusal['errorCode'], string> = {
  OUT_OF_STOCK: 'OutOfStock',
  PRICE_CHANGED: 'PriceChanged',
  COUPON_NOT_APPLICABLE: 'CouponNotApplicable',
  PAYMENT_DECLINED: 'PaymentDeclined',
  PAYMENT_UNAVAILABLE: 'PaymentUnavailable',
  CART_EMPTY: 'CartEmpty',
  SLOT_HOLD_INVALID: 'SlotHoldInvalid',
};

export function countCheckout(input: PlaceOrderInput, outcome: PlaceOrderOutcome): void {
  if (outcome.kind === 'order') placed.inc({ provider: input.payment.provider, fulfilment: input.fulfilment.type });
  else refused.inc({ type: REFUSAL_TYPE[outcome.refusal.errorCode] });
}
