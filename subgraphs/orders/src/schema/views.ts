// Domain records as the schema shows them.
import type { Locale } from '@grocery/platform';
import type { CartRecord } from '../data/cart-store';
import type { PricedCartTotals } from '../domain/cart-service';
import type { OrderRecord, SubstitutionRecord } from '../domain/order';
import type { CheckoutRefusal } from '../domain/checkout-service';
import { vnd, type Cart, type FulfilmentType, type SubstitutionPreference } from './cart-types';
import {
  FulfilmentStatus,
  OrdersErrorCode,
  type Order,
  type OrderStatus,
  type PaymentProviderKind,
  type PaymentStatus,
  type Substitution,
  type SubstitutionStatus,
} from './order-types';

export function cartView(cart: CartRecord, priced: PricedCartTotals): Cart {
  return {
    id: cart.id,
    lines: cart.lines.map((l) => {
      const p = priced.lines.get(l.id);
      return {
        id: l.id,
        sku: l.sku,
        bundleId: l.bundleId,
        quantity: l.quantity,
        product: l.sku ? { sku: l.sku } : null,
        bundle: l.bundleId ? { id: l.bundleId } : null,
        stockLevel: l.sku && cart.locationId ? { sku: l.sku, locationId: cart.locationId } : null,
        substitution: l.substitution as SubstitutionPreference,
        substituteSku: l.substituteSku,
        note: l.note,
        unitPrice: vnd(p?.unitPrice ?? 0),
        discount: vnd(p?.discount ?? 0),
        total: vnd(p?.total ?? 0),
      };
    }),
    itemCount: cart.lines.reduce((n, l) => n + l.quantity, 0),
    locationId: cart.locationId,
    location: cart.locationId ? { id: cart.locationId } : null,
    fulfilmentType: cart.fulfilmentType as FulfilmentType,
    couponCodes: cart.couponCodes,
    rejectedCoupons: priced.rejectedCoupons,
    subtotal: vnd(priced.subtotal),
    discount: vnd(priced.discount),
    deliveryFee: vnd(priced.deliveryFee),
    total: vnd(priced.total),
    expiresAt: cart.expiresAt,
    updatedAt: cart.updatedAt,
  };
}

function fulfilmentStatus(o: OrderRecord): FulfilmentStatus {
  switch (o.status) {
    case 'PENDING_PAYMENT':
    case 'CONFIRMED':
      return FulfilmentStatus.NOT_STARTED;
    case 'PICKING':
      return FulfilmentStatus.PICKING;
    case 'READY_FOR_PICKUP':
      return FulfilmentStatus.READY_FOR_PICKUP;
    case 'OUT_FOR_DELIVERY':
      return FulfilmentStatus.OUT_FOR_DELIVERY;
    case 'COMPLETED':
      return FulfilmentStatus.HANDED_OVER;
    default:
      return FulfilmentStatus.NONE;
  }
}

export function substitutionView(s: SubstitutionRecord, locale: Locale): Substitution {
  return {
    id: s.id,
    linePosition: s.linePosition,
    sku: s.sku,
    product: { sku: s.sku },
    name: s.names[locale],
    quantity: s.quantity,
    unitPrice: vnd(s.unitPrice),
    status: s.status as SubstitutionStatus,
    proposedAt: s.proposedAt,
    decidedAt: s.decidedAt,
  };
}

export type OrderView = Order & { __typename: 'Order' };

export function orderView(o: OrderRecord, locale: Locale, accessToken: string | null = null): OrderView {
  const p = o.payment;
  return {
    __typename: 'Order',
    id: o.id,
    number: o.number,
    status: o.status as OrderStatus,
    paymentStatus: (p?.status ?? null) as PaymentStatus | null,
    payment: p
      ? {
          id: p.id,
          provider: p.provider as PaymentProviderKind,
          status: p.status as PaymentStatus,
          amount: vnd(p.amount),
          captured: vnd(p.captured),
          refunded: vnd(p.refunded),
          clientSecret: o.status === 'PENDING_PAYMENT' ? p.clientSecret : null,
          redirectUrl: o.status === 'PENDING_PAYMENT' ? p.redirectUrl : null,
          failureReason: p.failureReason,
        }
      : null,
    fulfilment: {
      type: o.fulfilmentType as FulfilmentType,
      status: fulfilmentStatus(o),
      locationId: o.locationId,
      location: { id: o.locationId },
      address: o.address,
    },
    lines: o.lines.map((l) => ({
      position: l.position,
      sku: l.sku,
      bundleId: l.bundleId,
      product: l.sku ? { sku: l.sku } : null,
      bundle: l.bundleId ? { id: l.bundleId } : null,
      name: l.names[locale],
      quantity: l.quantity,
      unitPrice: vnd(l.unitPrice),
      discount: vnd(l.discount),
      total: vnd(l.total),
      substitution: l.substitution as SubstitutionPreference,
      substituteSku: l.substituteSku,
      note: l.note,
      pickedQuantity: l.pickedQuantity,
      pickedTotal: l.pickedTotal === null ? null : vnd(l.pickedTotal),
      returnedQuantity: l.returnedQuantity,
    })),
    substitutions: o.substitutions.map((s) => substitutionView(s, locale)),
    customer: o.customerId ? { id: o.customerId } : null,
    email: o.email,
    couponCodes: o.couponCodes,
    subtotal: vnd(o.subtotal),
    discount: vnd(o.discount),
    deliveryFee: vnd(o.deliveryFee),
    total: vnd(o.total),
    finalTotal: o.finalTotal === null ? null : vnd(o.finalTotal),
    placedAt: o.placedAt,
    paymentDueAt: o.paymentDueAt,
    confirmedAt: o.confirmedAt,
    closedAt: o.closedAt,
    cancelReason: o.cancelReason,
    version: o.version,
    accessToken,
  };
}

const MESSAGES: Record<CheckoutRefusal['errorCode'], { en: string; vi: string }> = {
  OUT_OF_STOCK: {
    en: 'Some items are not available in the quantity you asked for. Change the quantities or take a substitute.',
    vi: 'Một số sản phẩm không đủ số lượng. Hãy đổi số lượng hoặc chọn sản phẩm thay thế.',
  },
  PRICE_CHANGED: {
    en: 'Prices changed since you looked. Check the new total and place the order again.',
    vi: 'Giá đã thay đổi. Vui lòng kiểm tra tổng tiền mới và đặt hàng lại.',
  },
  COUPON_NOT_APPLICABLE: {
    en: 'A coupon cannot be used for this order. Remove it and try again.',
    vi: 'Mã giảm giá không áp dụng được cho đơn này. Hãy bỏ mã và thử lại.',
  },
  PAYMENT_DECLINED: {
    en: 'The payment was declined. Try another card or payment method.',
    vi: 'Thanh toán bị từ chối. Hãy thử thẻ hoặc phương thức khác.',
  },
  PAYMENT_UNAVAILABLE: {
    en: 'The payment service cannot be reached right now. Try again shortly or choose another method.',
    vi: 'Không kết nối được dịch vụ thanh toán. Hãy thử lại sau hoặc chọn phương thức khác.',
  },
  CART_EMPTY: { en: 'Your cart is empty.', vi: 'Giỏ hàng của bạn đang trống.' },
  SLOT_HOLD_INVALID: {
    en: 'Your delivery slot could not be booked (the hold expired or does not fit this order). Choose a slot again.',
    vi: 'Không đặt được khung giờ giao hàng (giữ chỗ đã hết hạn hoặc không phù hợp với đơn). Hãy chọn lại khung giờ.',
  },
};

export function refusalView(r: CheckoutRefusal, locale: Locale) {
  const message = MESSAGES[r.errorCode][locale];
  switch (r.errorCode) {
    case 'OUT_OF_STOCK': {
      const first = r.lines[0]!;
      return {
        __typename: 'OutOfStock',
        errorCode: OrdersErrorCode.OUT_OF_STOCK,
        message,
        sku: first.sku,
        locationId: r.locationId,
        requested: first.requested,
        available: first.available,
        lines: r.lines.map((l) => ({ ...l, substitutes: l.substitutes.map((sku) => ({ sku })) })),
      };
    }
    case 'PRICE_CHANGED':
      return {
        __typename: 'PriceChanged',
        errorCode: r.errorCode,
        message,
        expectedTotal: vnd(r.expectedTotal),
        total: vnd(r.total),
      };
    case 'COUPON_NOT_APPLICABLE':
      return { __typename: 'CouponNotApplicable', errorCode: r.errorCode, message, code: r.code, reason: r.reason };
    case 'PAYMENT_DECLINED':
      return { __typename: 'PaymentDeclined', errorCode: r.errorCode, message, reason: r.reason, orderId: r.orderId };
    case 'PAYMENT_UNAVAILABLE':
      return { __typename: 'PaymentUnavailable', errorCode: r.errorCode, message, provider: r.provider };
    case 'CART_EMPTY':
      return { __typename: 'CartEmpty', errorCode: r.errorCode, message };
    case 'SLOT_HOLD_INVALID':
      return { __typename: 'SlotHoldInvalid', errorCode: r.errorCode, message, reason: r.reason };
  }
}
