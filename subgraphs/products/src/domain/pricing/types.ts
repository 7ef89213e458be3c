// The vocabulary of promotions and priced carts. Plain data only: no GraphQL, Prisma or I/O,
// so orders (checkout) and products (shelf price) share one definition.

/**
 * Whole Vietnamese đồng. VND has no minor unit, so every amount is an integer ≥ 0; a JS number
 * holds any cart exactly (far below 2^53).
 */
export type Vnd = number;

/**
 * Integer percent, 1..100. Chosen over basis points because staff enter "30%" and no grocery
 * promotion needs fractional percents; 100 makes an item free.
 */
export type Percent = number;

export interface LocalizedText {
  en: string;
  vi: string;
}

/** Off each unit of an eligible line. A fixed amount never takes a unit below 0 đ. */
export type UnitDiscount = { kind: 'percent'; percent: Percent } | { kind: 'fixed'; amountPerUnit: Vnd };

/** Off the order after line discounts; `maxDiscount` caps a percentage ("10%, up to 50.000 đ"). */
export type OrderDiscountRule =
  { kind: 'percent'; percent: Percent; maxDiscount?: Vnd } | { kind: 'fixed'; amount: Vnd };

export interface SkuDiscountRule {
  type: 'sku_discount';
  skus: string[];
  off: UnitDiscount;
}

/** Matches a line when any id of its category ancestry is listed, so a parent covers its sub-categories. */
export interface CategoryDiscountRule {
  type: 'category_discount';
  categoryIds: string[];
  off: UnitDiscount;
}

/** Perishables that expire after `now` and at most `withinDays` × 24 h later (the boundary counts). */
export interface NearExpiryRule {
  type: 'near_expiry';
  withinDays: number;
  percent: Percent;
}

/**
 * Buy `buy`, get `get` free. `same_sku`: counted per SKU (one SKU may span lines, e.g. two batches).
 * `cheapest_in_set`: all listed SKUs pooled; in each group of buy+get units, the cheapest `get` are free.
 */
export interface BuyXGetYRule {
  type: 'buy_x_get_y';
  skus: string[];
  buy: number;
  get: number;
  mode: 'same_sku' | 'cheapest_in_set';
}

/** When the listed SKUs together reach `minQuantity` units, every one of those units is discounted. */
export interface BulkRule {
  type: 'bulk';
  skus: string[];
  minQuantity: number;
  off: { kind: 'percent'; percent: Percent } | { kind: 'unit_price'; unitPrice: Vnd };
}

/** Minimum order value: compared with the subtotal after line discounts. */
export interface OrderThresholdRule {
  type: 'order_threshold';
  minSubtotal: Vnd;
  off: OrderDiscountRule;
}

export type PromotionRule =
  SkuDiscountRule | CategoryDiscountRule | NearExpiryRule | BuyXGetYRule | BulkRule | OrderThresholdRule;

export type PromotionType = PromotionRule['type'];

export interface Promotion {
  id: string;
  /** Customer-facing; shown as the reason a discount applies. */
  names: LocalizedText;
  rule: PromotionRule;
  /** Inclusive. Instants, so the window does not depend on the server's time zone. */
  validFrom: Date;
  /** Exclusive: a promotion "until 1 March 00:00" no longer applies at 00:00. */
  validUntil: Date;
  active: boolean;
  /** When set, the promotion applies only if the customer gives this code. Format [A-Z0-9-]{4,32}. */
  couponCode?: string;
  /** Total redemptions allowed; with `usedCount` (loaded by the caller). */
  usageLimit?: number;
  usedCount?: number;
  /** Redemptions allowed per customer; `customerUsedCount` is this customer's count, 0 if unknown. */
  perCustomerLimit?: number;
  customerUsedCount?: number;
  /** Higher wins a tie in savings. */
  priority: number;
  /** Applies on top of other promotions of the same level instead of competing with them. */
  stackable: boolean;
}

export interface CartLine {
  sku: string;
  /** Whole units, ≥ 1. */
  quantity: number;
  unitPrice: Vnd;
  /** Category ids from the root to the product's own category. */
  categoryPath: string[];
  isPerishable: boolean;
  expiresAt?: Date | null;
}

export interface PriceCartInput {
  lines: CartLine[];
  promotions: Promotion[];
  couponCodes?: string[];
  now: Date;
  currency: 'VND';
}

export interface PromotionAmount {
  promotionId: string;
  amount: Vnd;
  reason: LocalizedText;
}

export interface PricedLine {
  sku: string;
  quantity: number;
  unitPrice: Vnd;
  regularTotal: Vnd;
  discount: Vnd;
  /** regularTotal − discount. */
  total: Vnd;
  /** In the order they were applied. */
  appliedPromotions: PromotionAmount[];
}

export interface AppliedPromotion extends PromotionAmount {
  level: 'line' | 'order';
  couponCode: string | null;
}

export type CouponRejectionReason =
  | 'UNKNOWN'
  | 'EXPIRED'
  | 'NOT_YET_VALID'
  | 'USAGE_LIMIT_REACHED'
  | 'MIN_ORDER_NOT_MET'
  /** Nothing in the cart qualifies (wrong items, too few units, nothing near expiry). */
  | 'NOT_APPLICABLE'
  /** It qualifies, but a non-stackable discount that saves more was applied instead. */
  | 'SUPERSEDED';

export interface RejectedCoupon {
  /** As normalised: trimmed, upper case. */
  code: string;
  reason: CouponRejectionReason;
}

export interface PricedCart {
  currency: 'VND';
  lines: PricedLine[];
  /** Sum of regular line totals. */
  subtotal: Vnd;
  lineDiscount: Vnd;
  /** subtotal − lineDiscount = sum of line totals; order thresholds are compared with this. */
  discountedSubtotal: Vnd;
  orderDiscounts: PromotionAmount[];
  orderDiscount: Vnd;
  /** lineDiscount + orderDiscount. */
  discount: Vnd;
  /** discountedSubtotal − orderDiscount. */
  total: Vnd;
  appliedPromotions: AppliedPromotion[];
  rejectedCoupons: RejectedCoupon[];
}
