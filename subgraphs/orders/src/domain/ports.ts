// What orders needs from the other domains, as orders thinks of it. The adapters in peers/ call
// products and stock (PeerClient); tests of the rules can stand in for them.
import type { Locale } from '@grocery/platform';

export interface Texts {
  en: string;
  vi: string;
}

export interface CatalogProduct {
  sku: string;
  names: Texts;
  unit: string;
  categoryId: string;
  /** Shelf price now (after running promotions), VND. */
  price: number;
  sellable: boolean;
}

export interface CatalogBundle {
  id: string;
  names: Texts;
  price: number;
  sellable: boolean;
  components: { sku: string; quantity: number }[];
}

export interface PricedLine {
  sku: string;
  quantity: number;
  unitPrice: number;
  discount: number;
  total: number;
}

export interface PricedSkus {
  lines: PricedLine[];
  subtotal: number;
  lineDiscount: number;
  orderDiscount: number;
  total: number;
  /** Codes products refused, with why. */
  rejectedCoupons: { code: string; reason: string }[];
  /** Codes that apply (normalized as products knows them). */
  appliedCoupons: string[];
}

export type CouponClaim = { ok: true } | { ok: false; code: string; reason: string };

export interface CatalogPort {
  products(skus: readonly string[], locale: Locale): Promise<Map<string, CatalogProduct>>;
  bundles(ids: readonly string[], locale: Locale): Promise<Map<string, CatalogBundle>>;
  price(
    lines: readonly { sku: string; quantity: number }[],
    couponCodes: readonly string[],
    caller: { customerId: string | null; clientKey: string },
  ): Promise<PricedSkus>;
  claimCoupons(orderId: string, codes: readonly string[], customerId: string | null): Promise<CouponClaim>;
  releaseCoupons(orderId: string): Promise<void>;
  /** Up to `first` sellable products of the category in stock at the location, other than `sku`. */
  substitutes(sku: string, categoryId: string, locationId: string, first: number): Promise<string[]>;
}

export interface StockLine {
  sku: string;
  quantity: number;
}

export type StockReservation =
  { ok: true; expiresAt: Date | null } | { ok: false; short: { sku: string; requested: number; available: number }[] };

export interface StockPort {
  reserve(
    orderId: string,
    locationId: string,
    lines: readonly StockLine[],
    holdSeconds: number,
  ): Promise<StockReservation>;
  /** Reserved → allocated (kept until picking). Throws when the reservation is gone (expired/released). */
  allocate(orderId: string): Promise<void>;
  release(orderId: string): Promise<void>;
  /** Picked units leave the shelf; the rest of the order's allocation goes back. */
  pick(orderId: string, lines: readonly StockLine[]): Promise<void>;
  restock(returnId: string, locationId: string, lines: readonly StockLine[]): Promise<void>;
  /** Units available per SKU at the location (or everywhere when null). */
  available(skus: readonly string[], locationId: string | null): Promise<Map<string, number>>;
}

/** What checkout tells delivery when it books a held slot for an order. */
export interface SlotBookingRequest {
  holdId: string;
  orderId: string;
  orderNumber: string;
  customerId: string | null;
  clientKey: string;
  kind: 'DELIVERY' | 'PICKUP';
  locationId: string;
  address: { recipient: string; phone: string; line1: string; ward: string; province: string } | null;
  /** Order value (VND) after discounts: declared to couriers, decides free delivery. */
  value: number;
  codAmount: number;
  itemCount: number;
  locale: Locale;
}

export type SlotBookingAnswer =
  | { ok: true; fee: number; slotId: string; startsAt: Date; endsAt: Date; service: string }
  /** HOLD_NOT_FOUND, HOLD_EXPIRED, WRONG_SLOT, NOT_DELIVERED_HERE or SLOT_ITEMS_FULL. */
  | { ok: false; reason: string; message: string };

export interface DeliveryPort {
  /** Books the held slot for the order (idempotent per order). */
  book(request: SlotBookingRequest): Promise<SlotBookingAnswer>;
  /** Gives the order's booked slot back (idempotent). */
  release(orderId: string): Promise<void>;
}
