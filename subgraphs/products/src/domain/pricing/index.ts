// Promotions and pricing: pure rules shared by the shelf price (products) and checkout (orders).
export type {
  AppliedPromotion,
  BulkRule,
  BuyXGetYRule,
  CartLine,
  CategoryDiscountRule,
  CouponRejectionReason,
  LocalizedText,
  NearExpiryRule,
  OrderDiscountRule,
  OrderThresholdRule,
  Percent,
  PriceCartInput,
  PricedCart,
  PricedLine,
  Promotion,
  PromotionAmount,
  PromotionRule,
  PromotionType,
  RejectedCoupon,
  SkuDiscountRule,
  UnitDiscount,
  Vnd,
} from './types';
export { priceCart, CartTotalTooLargeError } from './price-cart';
export { currentUnitPrice, type ShelfPrice, type ShelfProduct } from './current-price';
export {
  validatePromotion,
  COUPON_CODE_PATTERN,
  MAX_AMOUNT,
  MAX_NEAR_EXPIRY_DAYS,
  type PromotionError,
  type PromotionErrorCode,
} from './validate-promotion';
export { normalizeCouponCode } from './eligibility';
export {
  cartLimitBreach,
  MAX_COUPON_CODE_LENGTH,
  MAX_SKU_LENGTH,
  type CartLimit,
  type CartLimitBreach,
  type CartLimits,
  type CartRequest,
} from './cart-limits';
