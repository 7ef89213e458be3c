import { Money } from '@grocery/platform';
import { Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Bundle, Location, Product, StockLevel } from './references';

export enum SubstitutionPreference {
  NONE = 'NONE',
  BEST_MATCH = 'BEST_MATCH',
  SPECIFIC = 'SPECIFIC',
}
registerEnumType(SubstitutionPreference, {
  name: 'SubstitutionPreference',
  description: 'What staff may do when a line is short: nothing, pick the best match, or only substituteSku.',
});

export enum FulfilmentType {
  PICKUP = 'PICKUP',
  DELIVERY = 'DELIVERY',
}
registerEnumType(FulfilmentType, { name: 'FulfilmentType', description: 'Picked up at a store, or delivered.' });

/**
 * One line for a cart: a SKU or a bundle. Shared with products' priceCart, which prices SKU
 * lines only (the same input type in both subgraphs, so the supergraph has one).
 */
@InputType()
export class CartLineInput {
  @Field(() => ID, { nullable: true, description: 'A product SKU (or bundleId, not both).' })
  sku?: string | null;

  @Field(() => ID, { nullable: true, description: 'A bundle (meal kit) id (or sku, not both).' })
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

@InputType()
export class CartLineUpdateInput {
  @Field(() => Int, { nullable: true, description: '0 removes the line.' })
  quantity?: number | null;

  @Field(() => SubstitutionPreference, { nullable: true })
  substitution?: SubstitutionPreference | null;

  @Field(() => ID, { nullable: true })
  substituteSku?: string | null;

  @Field(() => String, { nullable: true })
  note?: string | null;
}

@InputType()
export class CartFulfilmentInput {
  @Field(() => ID, {
    nullable: true,
    description: 'The store the cart is picked at (availability per line is shown for it).',
  })
  locationId?: string | null;

  @Field(() => FulfilmentType, { nullable: true })
  type?: FulfilmentType | null;

  @Field(() => [String], { nullable: true, description: 'Replaces the cart’s coupon codes (at most 5).' })
  couponCodes?: string[] | null;
}

@ObjectType({ description: 'A line of a cart, priced as checkout will price it.' })
export class CartLine {
  @Field(() => ID)
  id!: string;

  @Field(() => ID, { nullable: true })
  sku!: string | null;

  @Field(() => ID, { nullable: true })
  bundleId!: string | null;

  @Field(() => Int)
  quantity!: number;

  @Field(() => Product, { nullable: true, description: 'The product (name, price, … from the catalog).' })
  product!: Product | null;

  @Field(() => Bundle, { nullable: true })
  bundle!: Bundle | null;

  @Field(() => StockLevel, {
    nullable: true,
    description: 'Stock of this SKU at the cart’s store (null without a store, and for bundles: see bundle.available).',
  })
  stockLevel!: StockLevel | null;

  @Field(() => SubstitutionPreference)
  substitution!: SubstitutionPreference;

  @Field(() => ID, { nullable: true })
  substituteSku!: string | null;

  @Field(() => String, { nullable: true })
  note!: string | null;

  @Field(() => Money)
  unitPrice!: Money;

  @Field(() => Money)
  discount!: Money;

  @Field(() => Money)
  total!: Money;
}

@ObjectType({ description: 'A coupon code the cart’s pricing refused, and why.' })
export class CartCouponRejection {
  @Field()
  code!: string;

  @Field()
  reason!: string;
}

@ObjectType({ description: 'A shopping cart. A guest’s cart id is its key: keep it private.' })
export class Cart {
  @Field(() => ID)
  id!: string;

  @Field(() => [CartLine])
  lines!: CartLine[];

  @Field(() => Int, { description: 'Units across the lines.' })
  itemCount!: number;

  @Field(() => ID, { nullable: true })
  locationId!: string | null;

  @Field(() => Location, { nullable: true })
  location!: Location | null;

  @Field(() => FulfilmentType)
  fulfilmentType!: FulfilmentType;

  @Field(() => [String])
  couponCodes!: string[];

  @Field(() => [CartCouponRejection])
  rejectedCoupons!: CartCouponRejection[];

  @Field(() => Money, { description: 'Regular prices of the lines.' })
  subtotal!: Money;

  @Field(() => Money, { description: 'Line and order discounts (promotions, coupons).' })
  discount!: Money;

  @Field(() => Money)
  deliveryFee!: Money;

  @Field(() => Money, { description: 'subtotal − discount + deliveryFee: what checkout charges now.' })
  total!: Money;

  @Field(() => Date, { nullable: true, description: 'A guest cart is deleted then unless it changes first.' })
  expiresAt!: Date | null;

  @Field()
  updatedAt!: Date;
}

export const vnd = (amount: number): Money => ({ amount, currency: 'VND' });
