// Promotion rules: staff manage them; the shelf price and checkout price through the pricing
// domain with the live promotions, kept in process for 30 s and dropped on every promotion event.
import { randomUUID } from 'node:crypto';
import { badInput, hasRole, notFound, ReferenceData, requireRole, type Identity } from '@grocery/platform';
import type { CouponRedemptions } from '../data/coupon-redemptions';
import type { PromotionRepository } from '../data/promotion-repository';
import { promotionEvent, PromotionEventType } from '../events/promotion-events';
import { PRODUCTS_TOPIC } from '../events/product-events';
import type { CatalogService } from './catalog-service';
import {
  currentUnitPrice,
  MAX_LINE_QUANTITY,
  normalizeCouponCode,
  priceCart,
  type CartLine,
  type PricedCart,
  type ShelfPrice,
} from './pricing';
import type { CategoryRecord, ProductRecord } from './product';
import { promotionFromForm, type PromotionForm, type PromotionRecord } from './promotion';

export interface CartLineRequest {
  sku: string;
  quantity: number;
}

/** Root first, as CartLine.categoryPath wants: categories are a two-level tree. */
const categoryPath = (c: CategoryRecord | null, categoryId: string): string[] =>
  c?.parentId ? [c.parentId, categoryId] : [categoryId];

export class PromotionService {
  private readonly live: ReferenceData<string, PromotionRecord>;

  constructor(
    private readonly repo: PromotionRepository,
    private readonly catalog: CatalogService,
    private readonly afterCommit: () => void,
    private readonly redemptions: Pick<CouponRedemptions, 'byCustomer'>,
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
   * Prices a cart as checkout will charge it; for a signed-in customer, coupons they have
   * already used up (per-customer limits) are refused.
   */
  async priceCart(
    lines: readonly CartLineRequest[],
    couponCodes: readonly string[] = [],
    customerId?: string,
  ): Promise<PricedCart> {
    lines.forEach((l, i) => {
      if (!Number.isInteger(l.quantity) || l.quantity < 1 || l.quantity > MAX_LINE_QUANTITY)
        throw badInput(`quantity must be from 1 to ${MAX_LINE_QUANTITY}.`, `lines[${i}].quantity`);
    });
    const codes = [...new Set(couponCodes.map(normalizeCouponCode))].filter((c) => c.length > 0);
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
    return priceCart({
      lines: lines.map((l, i) => this.cartLine(products[i]!, categories[i], l.quantity)),
      promotions: [...promotions.values()],
      couponCodes: codes,
      now: this.clock(),
      currency: 'VND',
    });
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
