import { AppError, ErrorCode, type Locale as LocaleCode } from '@grocery/platform';
import { Arg, Ctx, Directive, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { ProductsContext } from '../context';
import type { PromotionAmount as DomainPromotionAmount } from '../domain/pricing';
import type { PricedCartView } from '../domain/promotion-service';
import type { ProductRecord } from '../domain/product';
import { formOfRule, type PromotionRecord } from '../domain/promotion';
import { LocaleArg as Locale, localeOf } from '@grocery/platform';
import {
  CartLineInput,
  CouponRejectionReason,
  PricedCart,
  Promotion,
  PromotionInput,
  PromotionKind,
  PromotionLevel,
  type BuyXGetYMode,
  type PromotionAmount,
} from './promotion-types';
import { Money, Product } from './types';

type PromotionView = Omit<Promotion, 'name' | 'kind' | 'mode'> & {
  kind: PromotionKind;
  mode?: BuyXGetYMode | null;
};

/** The promotion as `ctx`'s caller may see it: coupon code and usage figures are for staff only. */
function promotionView(p: PromotionRecord, ctx: ProductsContext): PromotionView {
  const staff = ctx.promotions.canSeeCouponCodes(ctx.request.identity);
  const { kind, mode, ...rule } = formOfRule(p.rule);
  return {
    ...rule,
    id: p.id,
    names: p.names,
    kind: kind as PromotionKind,
    mode: mode as BuyXGetYMode | null | undefined,
    validFrom: p.validFrom,
    validUntil: p.validUntil,
    active: p.active && p.archivedAt === null,
    priority: p.priority,
    stackable: p.stackable,
    couponCode: staff ? (p.couponCode ?? null) : null,
    usageLimit: staff ? (p.usageLimit ?? null) : null,
    perCustomerLimit: staff ? (p.perCustomerLimit ?? null) : null,
    usedCount: staff ? (p.usedCount ?? 0) : null,
  };
}

const vnd = (amount: number): Money => ({ amount, currency: 'VND' });

const amountView = (a: DomainPromotionAmount, locale: LocaleCode): PromotionAmount => ({
  promotionId: a.promotionId,
  amount: vnd(a.amount),
  reason: a.reason[locale],
  reasons: a.reason,
});

/** priceCart prices SKU lines: bundles have their own price (Bundle.price), substitutions and notes are checkout's. */
export function skuLines(lines: readonly CartLineInput[]): { sku: string; quantity: number }[] {
  return lines.map((l, i) => {
    if (!l.sku?.trim() || l.bundleId)
      throw new AppError(
        ErrorCode.BAD_USER_INPUT,
        `lines[${i}]: priceCart prices SKU lines; give sku (a bundle costs Bundle.price).`,
        {
          field: `lines.${i}.sku`,
        },
      );
    return { sku: l.sku, quantity: l.quantity };
  });
}

export function pricedCartView(c: PricedCartView, locale: LocaleCode): PricedCart {
  return {
    lines: c.lines.map((l) => ({
      sku: l.sku,
      quantity: l.quantity,
      unitPrice: vnd(l.unitPrice),
      regularTotal: vnd(l.regularTotal),
      discount: vnd(l.discount),
      total: vnd(l.total),
      appliedPromotions: l.appliedPromotions.map((a) => amountView(a, locale)),
    })),
    subtotal: vnd(c.subtotal),
    lineDiscount: vnd(c.lineDiscount),
    discountedSubtotal: vnd(c.discountedSubtotal),
    orderDiscounts: c.orderDiscounts.map((a) => amountView(a, locale)),
    orderDiscount: vnd(c.orderDiscount),
    discount: vnd(c.discount),
    total: vnd(c.total),
    appliedPromotions: c.appliedPromotions.map((a) => ({
      ...amountView(a, locale),
      level: a.level as PromotionLevel,
      couponCode: a.couponCode,
    })),
    rejectedCoupons: c.rejectedCoupons.map((r) => ({ code: r.code, reason: r.reason as CouponRejectionReason })),
  };
}

@Resolver(() => Promotion)
export class PromotionResolver {
  // For the gateway's cost estimate: the live list is cached; staff's full list is one query.
  @Directive('@listSize(assumedSize: 50)')
  @Query(() => [Promotion], {
    description: 'Promotions running now; activeOnly: false lists every unarchived one (staff).',
  })
  async promotions(
    @Ctx() ctx: ProductsContext,
    @Arg('activeOnly', () => Boolean, { nullable: true, defaultValue: true }) activeOnly?: boolean | null,
  ): Promise<PromotionView[]> {
    return (await ctx.promotions.promotions(ctx.request.identity, activeOnly ?? true)).map((p) =>
      promotionView(p, ctx),
    );
  }

  // ~1.5 ms (1-6) for 10 lines, ~4 ms (4-10) for 100 (`pnpm bench cost`): a base for loading the
  // live promotions, and each line and coupon code on its argument. A line weighs 3, more than it
  // costs to price: a body-limit cart (~7,700 lines, ~55 ms of gateway parsing and validation
  // before products refuses it over MAX_CART_LINES) then passes MAX_QUERY_COST and is refused at
  // the gateway, before any subgraph fetch.
  @Directive('@cost(weight: 60)')
  @Query(() => PricedCart, {
    description: 'Prices a cart as checkout will: line and order discounts, their reasons, refused coupons.',
  })
  async priceCart(
    @Ctx() ctx: ProductsContext,
    @Arg('lines', () => [CartLineInput])
    @Directive('@cost(weight: 3)')
    lines: CartLineInput[],
    @Arg('couponCodes', () => [String], { nullable: true })
    @Directive('@cost(weight: 10)')
    couponCodes?: string[] | null,
  ): Promise<PricedCart> {
    return pricedCartView(
      await ctx.promotions.priceCart(skuLines(lines), couponCodes ?? [], {
        identity: ctx.request.identity,
        clientKey: ctx.request.clientKey,
      }),
      localeOf(ctx),
    );
  }

  // Writes: a transaction with its outbox row, like updateProduct (~10 ms).
  @Directive('@cost(weight: 200)')
  @Mutation(() => Promotion, { description: 'Staff: a new promotion.' })
  async createPromotion(
    @Arg('input', () => PromotionInput) input: PromotionInput,
    @Ctx() ctx: ProductsContext,
  ): Promise<PromotionView> {
    return promotionView(await ctx.promotions.createPromotion(ctx.request.identity, input), ctx);
  }

  @Directive('@cost(weight: 200)')
  @Mutation(() => Promotion, { description: 'Staff: replace a promotion with the whole of input.' })
  async updatePromotion(
    @Arg('id', () => ID) id: string,
    @Arg('input', () => PromotionInput) input: PromotionInput,
    @Ctx() ctx: ProductsContext,
  ): Promise<PromotionView> {
    return promotionView(await ctx.promotions.updatePromotion(ctx.request.identity, id, input), ctx);
  }

  @Directive('@cost(weight: 200)')
  @Mutation(() => Promotion, { description: 'Staff: end a promotion for good (it stops applying at once).' })
  async archivePromotion(@Arg('id', () => ID) id: string, @Ctx() ctx: ProductsContext): Promise<PromotionView> {
    return promotionView(await ctx.promotions.archivePromotion(ctx.request.identity, id), ctx);
  }

  @FieldResolver(() => String)
  name(
    @Root() p: PromotionView,
    @Ctx() ctx: ProductsContext,
    @Arg('locale', () => Locale, { nullable: true }) locale?: Locale,
  ): string {
    return p.names[localeOf(ctx, locale)];
  }
}

/** The shelf price beside Product.price (which stays the regular price for existing clients). */
@Resolver(() => Product)
export class ProductPriceResolver {
  @FieldResolver(() => Money, { description: 'One unit after the best automatic promotion.' })
  async currentPrice(@Root() p: ProductRecord, @Ctx() ctx: ProductsContext): Promise<Money> {
    return { amount: (await ctx.loaders.shelfPrice.load(p)).current, currency: p.priceCurrency };
  }

  @FieldResolver(() => Money, { description: 'One unit before promotions (the same as price).' })
  regularPrice(@Root() p: ProductRecord): Money {
    return { amount: p.priceAmount, currency: p.priceCurrency };
  }

  @FieldResolver(() => Promotion, { nullable: true, description: 'The promotion that sets currentPrice, if any.' })
  async promotion(@Root() p: ProductRecord, @Ctx() ctx: ProductsContext): Promise<PromotionView | null> {
    const applied = (await ctx.loaders.shelfPrice.load(p)).promotion;
    return applied ? promotionView(applied as PromotionRecord, ctx) : null;
  }
}
