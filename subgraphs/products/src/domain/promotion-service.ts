// Promotion rules: staff manage them; the shelf price and checkout price through the pricing
// domain with the live promotions, kept in process for 30 s and dropped on every promotion event.
import { randomUUID } from 'node:crypto';
import {
  AppError,
  badInput,
  ErrorCode,
  hasRole,
  notFound,
  ReferenceData,
  requireRole,
  type Identity,
} from '@grocery/platform';
import { promotionEvent, PromotionEventType } from '../events/promotion-events';
import { PRODUCTS_TOPIC } from '../events/product-events';
import type { CatalogService } from './catalog-service';
import type { CouponAttempts } from './coupon-attempts';
import {
  cartLimitBreach,
  CartTotalTooLargeError,
  currentUnitPrice,
  normalizeCouponCode,
  priceCart,
  type CartLimits,
  type CartLine,
  type CouponRejectionReason,
  type PricedCart,
  type ShelfPrice,
} from './pricing';
import type { CategoryRecord, ProductRecord } from './product';
import { promotionFromForm, type PromotionForm, type PromotionRecord } from './promotion';
import type { CustomerRedemptions, PromotionStore } from './promotion-store';

export interface CartLineRequest {
  sku: string;
  quantity: number;
}

/** Who asks for a price: signed in or not, and the key their refused coupon codes count under. */
export interface PricingCaller {
  identity?: Identity;
  clientKey?: string;
}

/**
 * What a signed-out caller is told of every refused code: the same answer for a code that does
 * not exist and for a real one they cannot use, so codes cannot be probed without an account.
 */
export type CouponRefusal = CouponRejectionReason | 'NOT_ACCEPTED';

export type PricedCartView = Omit<PricedCart, 'rejectedCoupons'> & {
  rejectedCoupons: { code: string; reason: CouponRefusal }[];
};

/** Root first, as CartLine.categoryPath wants: categories are a two-level tree. */
const categoryPath = (c: CategoryRecord | null, categoryId: string): string[] =>
  c?.parentId ? [c.parentId, categoryId] : [categoryId];

export class PromotionService {
  private readonly live: ReferenceData<string, PromotionRecord>;

  constructor(
    private readonly repo: PromotionStore,
    private readonly catalog: CatalogService,
    private readonly afterCommit: () => void,
    private readonly redemptions: CustomerRedemptions,
    private readonly cartLimits: CartLimits,
    private readonly couponAttempts: CouponAttempts,
    private readonly clock: () => Date = () => new Date(),
  ) {
    this.live = new ReferenceData(
      () => repo.live(this.clock()),
      (p) => p.id,
    );
  }

  /** Live now (anyone), or every unarchived one (staff). */
  async promotions(identity: Identity | undefined, activeOnly: boolean): Promise<PromotionRecord[]> {
    if (!activeOnly) {
      requireRole(identity, 'staff');
      return this.repo.unarchived();
    }
    const now = this.clock().getTime();
    return [...(await this.live.get()).values()].filter(
      (p) => p.validFrom.getTime() <= now && now < p.validUntil.getTime(),
    );
  }

  /** Coupon codes are for staff eyes: a public list would give every code away. */
  canSeeCouponCodes(identity: Identity | undefined): boolean {
    return hasRole(identity, 'staff');
  }

  async createPromotion(identity: Identity | undefined, form: PromotionForm): Promise<PromotionRecord> {
    requireRole(identity, 'staff');
    const promotion = promotionFromForm(randomUUID(), form);
    return this.written(
      await this.repo.create(promotion, PRODUCTS_TOPIC, (p) => promotionEvent(PromotionEventType.created, p)),
    );
  }

  /** Replaces every field: the form is the whole promotion, validated as one. */
  async updatePromotion(identity: Identity | undefined, id: string, form: PromotionForm): Promise<PromotionRecord> {
    requireRole(identity, 'staff');
    const promotion = promotionFromForm(id, form);
    return this.written(
      await this.repo.update(promotion, PRODUCTS_TOPIC, (p) => promotionEvent(PromotionEventType.updated, p)),
    );
  }

  async archivePromotion(identity: Identity | undefined, id: string): Promise<PromotionRecord> {
    requireRole(identity, 'staff');
    return this.written(
      await this.repo.archive(id, PRODUCTS_TOPIC, (p) => promotionEvent(PromotionEventType.archived, p)),
    );
  }

  /** After a promotion event from any replica. */
  forgetLivePromotions(): void {
    this.live.invalidate();
  }

  /** One unit on the shelf: regular price, price after the best automatic promotion, and that promotion. */
  async shelfPrice(product: ProductRecord): Promise<ShelfPrice> {
    const [[category], live] = await Promise.all([this.catalog.categoriesByIds([product.categoryId]), this.live.get()]);
    return currentUnitPrice(this.cartLine(product, category, 1), [...live.values()], this.clock());
  }

  /**
   * Prices a cart as checkout will charge it. Oversized requests are refused before any work;
   * for a signed-in customer, coupons they have already used up (per-customer limits) are refused
   * with the reason, for anyone else every refused code looks alike; refused codes count against
   * the caller's budget (CouponAttempts).
   */
  async priceCart(
    lines: readonly CartLineRequest[],
    couponCodes: readonly string[] = [],
    caller: PricingCaller = {},
  ): Promise<PricedCartView> {
    const breach = cartLimitBreach({ lines, couponCodes }, this.cartLimits);
    if (breach)
      throw new AppError(ErrorCode.BAD_USER_INPUT, breach.message, {
        field: breach.field,
        limit: breach.limit,
        max: breach.max,
      });
    const codes = [...new Set(couponCodes.map(normalizeCouponCode))].filter((c) => c.length > 0);
    const attempt = await this.couponAttempts.begin(caller.clientKey, codes.length);
    let cart: PricedCart;
    try {
      cart = await this.price(lines, codes, caller.identity?.userId);
    } catch (err) {
      await attempt.cancel();
      throw err;
    }
    await attempt.settle(codes.length - cart.rejectedCoupons.length);
    if (caller.identity) return cart;
    return { ...cart, rejectedCoupons: cart.rejectedCoupons.map((r) => ({ code: r.code, reason: 'NOT_ACCEPTED' })) };
  }

  private async price(lines: readonly CartLineRequest[], codes: string[], customerId?: string): Promise<PricedCart> {
    const [products, live, coupons] = await Promise.all([
      this.catalog.productsBySkus(lines.map((l) => l.sku)),
      this.live.get(),
      this.repo.byCouponCodes(codes),
    ]);
    const missing = lines.find((_, i) => !products[i]);
    if (missing) throw notFound(`No product with SKU ${missing.sku}.`);
    const retired = products.findIndex((p) => p!.archivedAt !== null);
    if (retired >= 0)
      throw badInput(`Product ${products[retired]!.sku} is no longer sold (archived).`, `lines[${retired}].sku`);
    const categories = await this.catalog.categoriesByIds(products.map((p) => p!.categoryId));
    // Coupons come from the database, fresh, so an expired or used-up code gets its own reason.
    const promotions = new Map([...live.values()].filter((p) => p.couponCode === undefined).map((p) => [p.id, p]));
    const used = customerId
      ? await this.redemptions.byCustomer(
          customerId,
          coupons.map((c) => c.id),
        )
      : new Map();
    for (const c of coupons) promotions.set(c.id, { ...c, customerUsedCount: used.get(c.id) ?? 0 });
    try {
      return priceCart({
        lines: lines.map((l, i) => this.cartLine(products[i]!, categories[i], l.quantity)),
        promotions: [...promotions.values()],
        couponCodes: codes,
        now: this.clock(),
        currency: 'VND',
      });
    } catch (err) {
      // Unreachable within the cart limits (lines × quantity × the highest price stays far below
      // 2^53); kept so a raised limit still answers a coded refusal, never a wrong total or a 500.
      if (err instanceof CartTotalTooLargeError)
        throw new AppError(ErrorCode.BAD_USER_INPUT, `The cart's total must be at most ${err.max} đ.`, {
          field: 'lines',
          limit: 'total',
          max: err.max,
        });
      throw err;
    }
  }

  private cartLine(p: ProductRecord, category: CategoryRecord | null, quantity: number): CartLine {
    // The catalog's expiry is the current batch's best-before (staff keep it; per-lot expiry in
    // stock can refine it per reservation later): near-expiry offers apply from it.
    return {
      sku: p.sku,
      quantity,
      unitPrice: p.priceAmount,
      categoryPath: categoryPath(category, p.categoryId),
      isPerishable: p.isPerishable,
      expiresAt: p.expiresAt,
    };
  }

  private written(p: PromotionRecord): PromotionRecord {
    this.live.invalidate();
    this.afterCommit();
    return p;
  }
}
