// What checkout (the orders subgraph) asks of products, service to service (PeerClient):
// pricing on behalf of a customer, and claiming and releasing coupon uses. @inaccessible: the
// gateway's clients cannot call these; requireService refuses anyone but the orders service.
import { requireService } from '@grocery/platform';
import { Arg, Ctx, Directive, Field, ID, Int, Mutation, ObjectType, Query, Resolver } from 'type-graphql';
import type { ProductsContext } from '../context';
import type { CouponRedemptions } from '../data/coupon-redemptions';
import { normalizeCouponCode } from '../domain/pricing';
import { PricedCart, CartLineInput } from './promotion-types';
import { pricedCartView, skuLines } from './promotion-resolver';

/** What this resolver needs beyond the products context (wired in index.ts). */
export type CheckoutContext = ProductsContext & { redemptions: CouponRedemptions };

@Directive('@inaccessible')
@ObjectType({ description: 'The outcome of claiming an order’s coupon uses: all claimed, or none and why.' })
export class CouponClaimResult {
  @Field()
  claimed!: boolean;

  @Field(() => [ID])
  promotionIds!: string[];

  @Field(() => String, { nullable: true, description: 'The code refused first (normalized).' })
  refusedCode!: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'UNKNOWN, NOT_VALID_NOW, USAGE_LIMIT_REACHED or CUSTOMER_LIMIT_REACHED.',
  })
  reason!: string | null;
}

@Resolver()
export class CheckoutResolver {
  @Directive('@inaccessible')
  @Query(() => PricedCart, {
    description:
      'Orders only: priceCart for a customer (per-customer coupon limits) under the client key their refused codes count against.',
  })
  async priceCartFor(
    @Ctx() ctx: CheckoutContext,
    @Arg('lines', () => [CartLineInput]) lines: CartLineInput[],
    @Arg('couponCodes', () => [String]) couponCodes: string[],
    @Arg('customerId', () => ID, { nullable: true }) customerId: string | null,
    @Arg('clientKey', () => String) clientKey: string,
  ): Promise<PricedCart> {
    requireService(ctx.request.identity, 'orders');
    const identity = customerId ? { userId: customerId, roles: ['customer' as const] } : undefined;
    return pricedCartView(
      await ctx.promotions.priceCart(skuLines(lines), couponCodes, { identity, clientKey }),
      ctx.request.locale,
    );
  }

  @Directive('@inaccessible')
  @Mutation(() => CouponClaimResult, {
    description: 'Orders only: one use of each coupon for this order, all or none (idempotent per order).',
  })
  async claimCouponUses(
    @Ctx() ctx: CheckoutContext,
    @Arg('orderId', () => ID) orderId: string,
    @Arg('codes', () => [String]) codes: string[],
    @Arg('customerId', () => ID, { nullable: true }) customerId: string | null,
  ): Promise<CouponClaimResult> {
    requireService(ctx.request.identity, 'orders');
    const normalized = [...new Set(codes.map(normalizeCouponCode))].filter((c) => c.length > 0).slice(0, 20);
    const claim = await ctx.redemptions.claim({ orderId, customerId, codes: normalized, now: new Date() });
    return claim.ok
      ? { claimed: true, promotionIds: claim.promotionIds, refusedCode: null, reason: null }
      : { claimed: false, promotionIds: [], refusedCode: claim.code, reason: claim.reason };
  }

  @Directive('@inaccessible')
  @Mutation(() => Int, { description: 'Orders only: gives back the coupon uses an order holds (idempotent).' })
  async releaseCouponUses(@Ctx() ctx: CheckoutContext, @Arg('orderId', () => ID) orderId: string): Promise<number> {
    requireService(ctx.request.identity, 'orders');
    return ctx.redemptions.release(orderId);
  }
}
