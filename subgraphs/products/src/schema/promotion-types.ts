// GraphQL shapes of promotions and priced carts (see domain/pricing for what each means).
import { CacheControl } from '@grocery/platform';
import { Directive, Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { LocalizedText, Money } from './types';

export enum PromotionKind {
  SKU_DISCOUNT = 'sku_discount',
  CATEGORY_DISCOUNT = 'category_discount',
  NEAR_EXPIRY = 'near_expiry',
  BUY_X_GET_Y = 'buy_x_get_y',
  BULK = 'bulk',
  ORDER_THRESHOLD = 'order_threshold',
}
registerEnumType(PromotionKind, {
  name: 'PromotionKind',
  description: 'What a promotion does; each kind uses some of the rule fields (skus, percent, ...).',
  valuesConfig: {
    SKU_DISCOUNT: { description: 'skus; percent or amount off each unit.' },
    CATEGORY_DISCOUNT: {
      description: 'categoryIds (a parent covers its sub-categories); percent or amount off each unit.',
    },
    NEAR_EXPIRY: { description: 'Perishables expiring within withinDays days; percent off.' },
    BUY_X_GET_Y: { description: 'skus; buy, get free, mode.' },
    BULK: { description: 'skus; at minQuantity units together, percent off or unitPrice each.' },
    ORDER_THRESHOLD: {
      description: 'Orders of minSubtotal or more (after line discounts); percent (up to maxDiscount) or amount off.',
    },
  },
});

export enum BuyXGetYMode {
  SAME_SKU = 'same_sku',
  CHEAPEST_IN_SET = 'cheapest_in_set',
}
registerEnumType(BuyXGetYMode, {
  name: 'BuyXGetYMode',
  valuesConfig: {
    SAME_SKU: { description: 'Counted per SKU.' },
    CHEAPEST_IN_SET: { description: 'All listed SKUs pooled; the cheapest units are free.' },
  },
});

export enum PromotionLevel {
  LINE = 'line',
  ORDER = 'order',
}
registerEnumType(PromotionLevel, { name: 'PromotionLevel' });

export enum CouponRejectionReason {
  UNKNOWN = 'UNKNOWN',
  EXPIRED = 'EXPIRED',
  NOT_YET_VALID = 'NOT_YET_VALID',
  USAGE_LIMIT_REACHED = 'USAGE_LIMIT_REACHED',
  MIN_ORDER_NOT_MET = 'MIN_ORDER_NOT_MET',
  NOT_APPLICABLE = 'NOT_APPLICABLE',
  SUPERSEDED = 'SUPERSEDED',
  NOT_ACCEPTED = 'NOT_ACCEPTED',
}
registerEnumType(CouponRejectionReason, {
  name: 'CouponRejectionReason',
  valuesConfig: {
    NOT_APPLICABLE: { description: 'Nothing in the cart qualifies.' },
    SUPERSEDED: { description: 'It qualifies, but a non-stackable discount that saves more was applied instead.' },
    NOT_ACCEPTED: {
      description:
        'Signed-out callers get this for every refused code, whatever the reason, so codes cannot be probed; sign in to learn why.',
    },
  },
});

@ObjectType({ description: 'A promotion; the rule fields its kind does not use are null.' })
@CacheControl({ maxAge: 60 })
export class Promotion {
  @Field(() => ID)
  id!: string;

  @Field({ description: 'In the request language (Accept-Language or the locale argument).' })
  name!: string;

  @Field(() => LocalizedText)
  names!: LocalizedText;

  @Field(() => PromotionKind)
  kind!: PromotionKind;

  @Directive('@listSize(assumedSize: 20)')
  @Field(() => [String], { nullable: true })
  skus?: string[] | null;

  @Directive('@listSize(assumedSize: 5)')
  @Field(() => [ID], { nullable: true })
  categoryIds?: string[] | null;

  @Field(() => Int, { nullable: true, description: '1..100.' })
  percent?: number | null;

  @Field(() => Int, { nullable: true, description: 'VND off each unit, or off the order (ORDER_THRESHOLD).' })
  amount?: number | null;

  @Field(() => Int, { nullable: true, description: 'VND cap of a percentage off the order.' })
  maxDiscount?: number | null;

  @Field(() => Int, { nullable: true, description: 'VND each unit costs once BULK applies.' })
  unitPrice?: number | null;

  @Field(() => Int, { nullable: true })
  withinDays?: number | null;

  @Field(() => Int, { nullable: true })
  buy?: number | null;

  @Field(() => Int, { nullable: true })
  get?: number | null;

  @Field(() => BuyXGetYMode, { nullable: true })
  mode?: BuyXGetYMode | null;

  @Field(() => Int, { nullable: true })
  minQuantity?: number | null;

  @Field(() => Int, { nullable: true, description: 'VND, compared with the subtotal after line discounts.' })
  minSubtotal?: number | null;

  @Field({ description: 'Inclusive.' })
  validFrom!: Date;

  @Field({ description: 'Exclusive.' })
  validUntil!: Date;

  @Field()
  active!: boolean;

  @Field(() => String, { nullable: true, description: 'Staff only (null for everyone else).' })
  couponCode?: string | null;

  @Field(() => Int, { description: 'Higher wins a tie in savings.' })
  priority!: number;

  @Field({ description: 'Applies on top of other promotions of the same level instead of competing.' })
  stackable!: boolean;

  @Field(() => Int, { nullable: true, description: 'Staff only: total redemptions allowed (null: no limit).' })
  usageLimit?: number | null;

  @Field(() => Int, { nullable: true, description: 'Staff only: redemptions allowed per customer (null: no limit).' })
  perCustomerLimit?: number | null;

  @Field(() => Int, {
    nullable: true,
    description:
      'Staff only: orders placed with this coupon so far (counted from order.placed events; exact with activeOnly: false, up to 30 s old in the live list).',
  })
  usedCount?: number | null;
}

@InputType({ description: 'A whole promotion. Give the rule fields its kind uses (see PromotionKind), no others.' })
export class PromotionInput {
  @Field()
  nameEn!: string;

  @Field()
  nameVi!: string;

  @Field(() => PromotionKind)
  kind!: PromotionKind;

  @Field(() => [String], { nullable: true })
  skus?: string[] | null;

  @Field(() => [ID], { nullable: true })
  categoryIds?: string[] | null;

  @Field(() => Int, { nullable: true })
  percent?: number | null;

  @Field(() => Int, { nullable: true })
  amount?: number | null;

  @Field(() => Int, { nullable: true })
  maxDiscount?: number | null;

  @Field(() => Int, { nullable: true })
  unitPrice?: number | null;

  @Field(() => Int, { nullable: true })
  withinDays?: number | null;

  @Field(() => Int, { nullable: true })
  buy?: number | null;

  @Field(() => Int, { nullable: true })
  get?: number | null;

  @Field(() => BuyXGetYMode, { nullable: true, description: 'BUY_X_GET_Y; SAME_SKU when omitted.' })
  mode?: BuyXGetYMode | null;

  @Field(() => Int, { nullable: true })
  minQuantity?: number | null;

  @Field(() => Int, { nullable: true })
  minSubtotal?: number | null;

  @Field()
  validFrom!: Date;

  @Field()
  validUntil!: Date;

  @Field({ defaultValue: true })
  active!: boolean;

  @Field(() => String, {
    nullable: true,
    description: '4 to 32 of A-Z, 0-9 and - (upper-cased); applies only when given.',
  })
  couponCode?: string | null;

  @Field(() => Int, { nullable: true })
  usageLimit?: number | null;

  @Field(() => Int, { nullable: true })
  perCustomerLimit?: number | null;

  @Field(() => Int, { defaultValue: 0 })
  priority!: number;

  @Field({ defaultValue: false })
  stackable!: boolean;
}

/** The orders subgraph's substitution preference: part of the shared CartLineInput (priceCart ignores it). */
export enum SubstitutionPreference {
  NONE = 'NONE',
  BEST_MATCH = 'BEST_MATCH',
  SPECIFIC = 'SPECIFIC',
}
registerEnumType(SubstitutionPreference, {
  name: 'SubstitutionPreference',
  description: 'What staff may do when a line is short: nothing, pick the best match, or only substituteSku.',
});

/**
 * One cart line. The same input type as the orders subgraph's addToCart takes (composition
 * merges an input type to the fields every subgraph declares, so both declare all of them).
 * priceCart prices SKU lines: it needs sku, and ignores the rest but quantity.
 */
@InputType()
export class CartLineInput {
  @Field(() => ID, { nullable: true, description: 'A product SKU (priceCart: required).' })
  sku?: string | null;

  @Field(() => ID, { nullable: true, description: 'A bundle (meal kit) id (addToCart; not priced by priceCart).' })
  bundleId?: string | null;

  @Field(() => Int, {
    description: 'Whole units, from 1 to the per-line limit (999 unless configured); more is BAD_USER_INPUT.',
  })
  quantity!: number;

  @Field(() => SubstitutionPreference, { nullable: true, description: 'Default BEST_MATCH.' })
  substitution?: SubstitutionPreference | null;

  @Field(() => ID, { nullable: true, description: 'With substitution SPECIFIC: the only SKU staff may substitute.' })
  substituteSku?: string | null;

  @Field(() => String, { nullable: true, description: 'For the picker, at most 200 characters.' })
  note?: string | null;
}

@ObjectType({ description: 'A discount and why it applies.' })
@CacheControl({ inheritMaxAge: true })
export class PromotionAmount {
  @Field(() => ID)
  promotionId!: string;

  @Field(() => Money)
  amount!: Money;

  @Field({ description: 'The promotion’s name in the request language.' })
  reason!: string;

  @Field(() => LocalizedText)
  reasons!: LocalizedText;
}

@ObjectType()
export class AppliedPromotion extends PromotionAmount {
  @Field(() => PromotionLevel)
  level!: PromotionLevel;

  @Field(() => String, { nullable: true })
  couponCode?: string | null;
}

@ObjectType()
export class RejectedCoupon {
  @Field({ description: 'As normalised: trimmed, upper case.' })
  code!: string;

  @Field(() => CouponRejectionReason)
  reason!: CouponRejectionReason;
}

@ObjectType()
export class PricedLine {
  @Field(() => ID)
  sku!: string;

  @Field(() => Int)
  quantity!: number;

  @Field(() => Money)
  unitPrice!: Money;

  @Field(() => Money)
  regularTotal!: Money;

  @Field(() => Money)
  discount!: Money;

  @Field(() => Money, { description: 'regularTotal − discount.' })
  total!: Money;

  @Directive('@listSize(assumedSize: 3)')
  @Field(() => [PromotionAmount], { description: 'In the order applied.' })
  appliedPromotions!: PromotionAmount[];
}

@ObjectType({ description: 'A cart priced as checkout charges it.' })
export class PricedCart {
  @Field(() => [PricedLine])
  lines!: PricedLine[];

  @Field(() => Money, { description: 'Sum of regular line totals.' })
  subtotal!: Money;

  @Field(() => Money)
  lineDiscount!: Money;

  @Field(() => Money, { description: 'subtotal − lineDiscount; minimum order values are compared with this.' })
  discountedSubtotal!: Money;

  @Directive('@listSize(assumedSize: 3)')
  @Field(() => [PromotionAmount])
  orderDiscounts!: PromotionAmount[];

  @Field(() => Money)
  orderDiscount!: Money;

  @Field(() => Money, { description: 'lineDiscount + orderDiscount.' })
  discount!: Money;

  @Field(() => Money, { description: 'discountedSubtotal − orderDiscount.' })
  total!: Money;

  @Directive('@listSize(assumedSize: 10)')
  @Field(() => [AppliedPromotion])
  appliedPromotions!: AppliedPromotion[];

  @Directive('@listSize(assumedSize: 5)')
  @Field(() => [RejectedCoupon])
  rejectedCoupons!: RejectedCoupon[];
}
