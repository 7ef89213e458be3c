// Checks a staff-entered promotion and lists every problem by field, so the admin form can mark
// them all at once. Returns errors instead of throwing: the API layer maps them to BAD_USER_INPUT.
import type { OrderDiscountRule, Promotion, UnitDiscount } from './types';

export type PromotionErrorCode =
  | 'REQUIRED'
  | 'NOT_AN_INTEGER'
  | 'OUT_OF_RANGE'
  | 'INVALID_DATE'
  | 'WINDOW_NOT_ORDERED'
  | 'INVALID_FORMAT'
  | 'INVALID_CHOICE';

export interface PromotionError {
  /** Path in the promotion, e.g. `rule.off.percent` or `rule.skus[2]`. */
  field: string;
  code: PromotionErrorCode;
  message: string;
}

export const COUPON_CODE_PATTERN = /^[A-Z0-9-]{4,32}$/;
/** 1 billion đồng, as for product prices: far above any grocery amount, a plain typo guard. */
export const MAX_AMOUNT = 1_000_000_000;
/** "Near expiry" beyond a month is a clearance sale; use a SKU or category discount for that. */
export const MAX_NEAR_EXPIRY_DAYS = 30;
const MAX_NAME = 200;

/** Empty when the promotion may be saved. */
export function validatePromotion(p: Promotion): PromotionError[] {
  const errors: PromotionError[] = [];
  const fail = (field: string, code: PromotionErrorCode, message: string) => errors.push({ field, code, message });

  const integer = (field: string, value: unknown, min: number, max: number): void => {
    if (typeof value !== 'number' || !Number.isInteger(value)) fail(field, 'NOT_AN_INTEGER', 'must be a whole number');
    else if (value < min || value > max) fail(field, 'OUT_OF_RANGE', `must be from ${min} to ${max}`);
  };
  const text = (field: string, value: unknown): void => {
    if (typeof value !== 'string' || value.trim().length === 0) fail(field, 'REQUIRED', 'must not be empty');
    else if (value.length > MAX_NAME) fail(field, 'OUT_OF_RANGE', `must be at most ${MAX_NAME} characters`);
  };
  const list = (field: string, value: unknown): void => {
    if (!Array.isArray(value) || value.length === 0) return void fail(field, 'REQUIRED', 'must list at least one');
    value.forEach((v, i) => {
      if (typeof v !== 'string' || v.trim().length === 0) fail(`${field}[${i}]`, 'REQUIRED', 'must not be empty');
    });
  };
  const percent = (field: string, value: unknown) => integer(field, value, 1, 100);
  const unitDiscount = (field: string, off: UnitDiscount) => {
    if (off?.kind === 'percent') percent(`${field}.percent`, off.percent);
    else if (off?.kind === 'fixed') integer(`${field}.amountPerUnit`, off.amountPerUnit, 1, MAX_AMOUNT);
    else fail(`${field}.kind`, 'INVALID_CHOICE', 'must be percent or fixed');
  };
  const orderDiscount = (field: string, off: OrderDiscountRule) => {
    if (off?.kind === 'percent') {
      percent(`${field}.percent`, off.percent);
      if (off.maxDiscount !== undefined) integer(`${field}.maxDiscount`, off.maxDiscount, 1, MAX_AMOUNT);
    } else if (off?.kind === 'fixed') integer(`${field}.amount`, off.amount, 1, MAX_AMOUNT);
    else fail(`${field}.kind`, 'INVALID_CHOICE', 'must be percent or fixed');
  };

  text('id', p.id);
  text('names.en', p.names?.en);
  text('names.vi', p.names?.vi);
  const validDate = (d: unknown) => d instanceof Date && !Number.isNaN(d.getTime());
  if (!validDate(p.validFrom)) fail('validFrom', 'INVALID_DATE', 'must be a valid date');
  if (!validDate(p.validUntil)) fail('validUntil', 'INVALID_DATE', 'must be a valid date');
  if (validDate(p.validFrom) && validDate(p.validUntil) && p.validUntil.getTime() <= p.validFrom.getTime())
    fail('validUntil', 'WINDOW_NOT_ORDERED', 'must be after validFrom');
  if (typeof p.active !== 'boolean') fail('active', 'REQUIRED', 'must be true or false');
  if (typeof p.stackable !== 'boolean') fail('stackable', 'REQUIRED', 'must be true or false');
  integer('priority', p.priority, -1000, 1000);
  if (p.couponCode !== undefined && (typeof p.couponCode !== 'string' || !COUPON_CODE_PATTERN.test(p.couponCode)))
    fail('couponCode', 'INVALID_FORMAT', 'must be 4 to 32 of A-Z, 0-9 and -');
  if (p.usageLimit !== undefined) integer('usageLimit', p.usageLimit, 1, Number.MAX_SAFE_INTEGER);
  if (p.perCustomerLimit !== undefined) integer('perCustomerLimit', p.perCustomerLimit, 1, Number.MAX_SAFE_INTEGER);
  if (p.usedCount !== undefined) integer('usedCount', p.usedCount, 0, Number.MAX_SAFE_INTEGER);
  if (p.customerUsedCount !== undefined) integer('customerUsedCount', p.customerUsedCount, 0, Number.MAX_SAFE_INTEGER);

  const rule = p.rule;
  switch (rule?.type) {
    case 'sku_discount':
      list('rule.skus', rule.skus);
      unitDiscount('rule.off', rule.off);
      break;
    case 'category_discount':
      list('rule.categoryIds', rule.categoryIds);
      unitDiscount('rule.off', rule.off);
      break;
    case 'near_expiry':
      integer('rule.withinDays', rule.withinDays, 1, MAX_NEAR_EXPIRY_DAYS);
      percent('rule.percent', rule.percent);
      break;
    case 'buy_x_get_y':
      list('rule.skus', rule.skus);
      integer('rule.buy', rule.buy, 1, 100);
      integer('rule.get', rule.get, 1, 100);
      if (rule.mode !== 'same_sku' && rule.mode !== 'cheapest_in_set')
        fail('rule.mode', 'INVALID_CHOICE', 'must be same_sku or cheapest_in_set');
      break;
    case 'bulk':
      list('rule.skus', rule.skus);
      // A "bulk" of one unit is an ordinary discount.
      integer('rule.minQuantity', rule.minQuantity, 2, 10_000);
      if (rule.off?.kind === 'percent') percent('rule.off.percent', rule.off.percent);
      else if (rule.off?.kind === 'unit_price') integer('rule.off.unitPrice', rule.off.unitPrice, 0, MAX_AMOUNT);
      else fail('rule.off.kind', 'INVALID_CHOICE', 'must be percent or unit_price');
      break;
    case 'order_threshold':
      integer('rule.minSubtotal', rule.minSubtotal, 0, MAX_AMOUNT);
      orderDiscount('rule.off', rule.off);
      break;
    default:
      fail(
        'rule.type',
        'INVALID_CHOICE',
        'must be sku_discount, category_discount, near_expiry, buy_x_get_y, bulk or order_threshold',
      );
  }
  return errors;
}
