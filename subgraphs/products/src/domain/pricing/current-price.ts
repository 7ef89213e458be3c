// The shelf price of one unit for Product.price: regular, current, and the promotion behind it.
import { byPriorityThenId, ineligibility } from './eligibility';
import { priceCart } from './price-cart';
import type { CartLine, Promotion, Vnd } from './types';

export type ShelfProduct = Omit<CartLine, 'quantity'>;

export interface ShelfPrice {
  regular: Vnd;
  current: Vnd;
  /** The discount that sets `current`, or null at the regular price. */
  promotion: Promotion | null;
  /** Stackable promotions also included in `current`, in the order applied. */
  stacked: Promotion[];
  /** Live multi-unit offers on this SKU (buy-X-get-Y, bulk): they do not change one unit's price. */
  offers: Promotion[];
}

/** Only these change the price of a single unit, and only automatic ones (no code) are on the shelf. */
const SHELF_RULES = new Set(['sku_discount', 'category_discount', 'near_expiry']);

/**
 * Prices one unit through priceCart itself, so the shelf price and checkout cannot disagree:
 * a cart line of n units (with no multi-unit offer winning) costs exactly n × current.
 */
export function currentUnitPrice(product: ShelfProduct, promotions: Promotion[], now: Date): ShelfPrice {
  const automatic = promotions.filter((p) => p.couponCode === undefined);
  const shelf = automatic.filter((p) => SHELF_RULES.has(p.rule.type));
  const cart = priceCart({ lines: [{ ...product, quantity: 1 }], promotions: shelf, now, currency: 'VND' });
  const byId = new Map(shelf.map((p) => [p.id, p]));
  const applied = cart.lines[0].appliedPromotions.map((a) => byId.get(a.promotionId)!);
  const offers = automatic
    .filter((p) => (p.rule.type === 'buy_x_get_y' || p.rule.type === 'bulk') && p.rule.skus.includes(product.sku))
    .filter((p) => ineligibility(p, now) === null)
    .sort(byPriorityThenId);
  return {
    regular: product.unitPrice,
    current: cart.total,
    promotion: applied[0] ?? null,
    stacked: applied.slice(1),
    offers,
  };
}
