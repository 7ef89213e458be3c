// How much one request may ask pricing to do. Checked before any lookup or pricing by whoever
// takes a cart from a client (products' priceCart today, orders' checkout next), with the same
// settings, so a cart one accepts the other accepts too.

export interface CartLimits {
  /** Lines per cart. */
  maxLines: number;
  /** Units per line. */
  maxQuantity: number;
  /** Coupon codes per request. */
  maxCouponCodes: number;
}

/** The catalog's SKU format allows at most 40 characters ("VN-RICE-ST25-5KG"). */
export const MAX_SKU_LENGTH = 40;
/** COUPON_CODE_PATTERN allows at most 32 characters, counted after trimming. */
export const MAX_COUPON_CODE_LENGTH = 32;

export type CartLimit = 'lines' | 'quantity' | 'couponCodes' | 'skuLength' | 'couponCodeLength';

export interface CartLimitBreach {
  /** Where in the request, e.g. `lines[3].quantity`. */
  field: string;
  limit: CartLimit;
  max: number;
  message: string;
}

export interface CartRequest {
  lines: readonly { sku: string; quantity: number }[];
  couponCodes: readonly string[];
}

/** The first limit the request breaks, or null. Counts come first: they bound the rest of the check. */
export function cartLimitBreach(request: CartRequest, limits: CartLimits): CartLimitBreach | null {
  const { lines, couponCodes } = request;
  if (lines.length > limits.maxLines)
    return {
      field: 'lines',
      limit: 'lines',
      max: limits.maxLines,
      message: `A cart may have at most ${limits.maxLines} lines; this one has ${lines.length}.`,
    };
  if (couponCodes.length > limits.maxCouponCodes)
    return {
      field: 'couponCodes',
      limit: 'couponCodes',
      max: limits.maxCouponCodes,
      message: `At most ${limits.maxCouponCodes} coupon codes at once; ${couponCodes.length} were given.`,
    };
  for (const [i, line] of lines.entries()) {
    if (line.sku.length > MAX_SKU_LENGTH)
      return {
        field: `lines[${i}].sku`,
        limit: 'skuLength',
        max: MAX_SKU_LENGTH,
        message: `A SKU has at most ${MAX_SKU_LENGTH} characters.`,
      };
    if (!Number.isInteger(line.quantity) || line.quantity < 1 || line.quantity > limits.maxQuantity)
      return {
        field: `lines[${i}].quantity`,
        limit: 'quantity',
        max: limits.maxQuantity,
        message: `quantity must be from 1 to ${limits.maxQuantity}.`,
      };
  }
  for (const [i, code] of couponCodes.entries()) {
    if (code.trim().length > MAX_COUPON_CODE_LENGTH)
      return {
        field: `couponCodes[${i}]`,
        limit: 'couponCodeLength',
        max: MAX_COUPON_CODE_LENGTH,
        message: `A coupon code has at most ${MAX_COUPON_CODE_LENGTH} characters.`,
      };
  }
  return null;
}
