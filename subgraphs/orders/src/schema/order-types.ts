import { Money, PageInfo, defineErrorResult } from '@grocery/platform';
import { createUnionType, Directive, Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { FulfilmentType, SubstitutionPreference } from './cart-types';
import { Bundle, Location, Product, User } from './references';

export enum OrderStatus {
  PENDING_PAYMENT = 'PENDING_PAYMENT',
  CONFIRMED = 'CONFIRMED',
  PICKING = 'PICKING',
  READY_FOR_PICKUP = 'READY_FOR_PICKUP',
  OUT_FOR_DELIVERY = 'OUT_FOR_DELIVERY',
  COMPLETED = 'COMPLETED',
  CANCELLED = 'CANCELLED',
  EXPIRED = 'EXPIRED',
}
registerEnumType(OrderStatus, {
  name: 'OrderStatus',
  description:
    'PENDING_PAYMENT → CONFIRMED → PICKING → READY_FOR_PICKUP | OUT_FOR_DELIVERY → COMPLETED; or CANCELLED; EXPIRED when payment never came.',
});

export enum PaymentStatus {
  PENDING = 'PENDING',
  AUTHORIZED = 'AUTHORIZED',
  CAPTURED = 'CAPTURED',
  PARTIALLY_REFUNDED = 'PARTIALLY_REFUNDED',
  REFUNDED = 'REFUNDED',
  FAILED = 'FAILED',
  CANCELLED = 'CANCELLED',
}
registerEnumType(PaymentStatus, {
  name: 'PaymentStatus',
  description: 'PENDING → AUTHORIZED (held) → CAPTURED (taken) → PARTIALLY_REFUNDED | REFUNDED; or FAILED, CANCELLED.',
});

export enum FulfilmentStatus {
  NOT_STARTED = 'NOT_STARTED',
  PICKING = 'PICKING',
  READY_FOR_PICKUP = 'READY_FOR_PICKUP',
  OUT_FOR_DELIVERY = 'OUT_FOR_DELIVERY',
  HANDED_OVER = 'HANDED_OVER',
  NONE = 'NONE',
}
registerEnumType(FulfilmentStatus, {
  name: 'FulfilmentStatus',
  description:
    'Where the goods are: not started, being picked, ready or on the way, handed over; NONE for orders that never went ahead.',
});

export enum PaymentProviderKind {
  SIMULATOR = 'SIMULATOR',
  STRIPE = 'STRIPE',
  MOMO = 'MOMO',
  CASH_ON_DELIVERY = 'CASH_ON_DELIVERY',
}
registerEnumType(PaymentProviderKind, {
  name: 'PaymentProviderKind',
  description:
    'SIMULATOR is the local stand-in for a card provider (test tokens sim_approve, sim_decline, sim_requires_action, sim_timeout).',
});

export enum SubstitutionStatus {
  PROPOSED = 'PROPOSED',
  APPROVED = 'APPROVED',
  REJECTED = 'REJECTED',
}
registerEnumType(SubstitutionStatus, { name: 'SubstitutionStatus' });

@ObjectType({ description: 'A delivery address (Vietnam: province → ward since the 2025 reform).' })
export class Address {
  @Field() recipient!: string;
  @Field() phone!: string;
  @Field() line1!: string;
  @Field() ward!: string;
  @Field() province!: string;
}

@InputType()
export class AddressInput {
  @Field() recipient!: string;
  @Field() phone!: string;
  @Field() line1!: string;
  @Field() ward!: string;
  @Field() province!: string;
}

@ObjectType({ description: 'How the order reaches the customer, and where the goods are.' })
export class Fulfilment {
  @Field(() => FulfilmentType) type!: FulfilmentType;
  @Field(() => FulfilmentStatus) status!: FulfilmentStatus;
  @Field(() => ID) locationId!: string;
  @Field(() => Location) location!: Location;
  @Field(() => Address, { nullable: true }) address!: Address | null;
}

@ObjectType({ description: 'A payment for an order. Card data never reaches this API (Stripe Elements, MoMo’s page).' })
export class Payment {
  @Field(() => ID) id!: string;
  @Field(() => PaymentProviderKind) provider!: PaymentProviderKind;
  @Field(() => PaymentStatus) status!: PaymentStatus;
  @Field(() => Money, { description: 'Authorized (held); weighed goods are held with a margin.' }) amount!: Money;
  @Field(() => Money) captured!: Money;
  @Field(() => Money) refunded!: Money;
  @Field(() => String, {
    nullable: true,
    description: 'Stripe: for Stripe Elements to confirm the payment on the client.',
  })
  clientSecret!: string | null;
  @Field(() => String, { nullable: true, description: 'MoMo (and 3-D Secure): where to send the customer to pay.' })
  redirectUrl!: string | null;
  @Field(() => String, { nullable: true }) failureReason!: string | null;
}

@ObjectType()
export class OrderLine {
  @Field(() => Int) position!: number;
  @Field(() => ID, { nullable: true }) sku!: string | null;
  @Field(() => ID, { nullable: true }) bundleId!: string | null;
  @Field(() => Product, { nullable: true }) product!: Product | null;
  @Field(() => Bundle, { nullable: true }) bundle!: Bundle | null;
  @Field({ description: 'As ordered, in the request language.' }) name!: string;
  @Field(() => Int) quantity!: number;
  @Field(() => Money) unitPrice!: Money;
  @Field(() => Money) discount!: Money;
  @Field(() => Money) total!: Money;
  @Field(() => SubstitutionPreference) substitution!: SubstitutionPreference;
  @Field(() => ID, { nullable: true }) substituteSku!: string | null;
  @Field(() => String, { nullable: true }) note!: string | null;
  @Field(() => Int, { nullable: true, description: 'Set by picking (weighed goods may differ).' }) pickedQuantity!:
    number | null;
  @Field(() => Money, { nullable: true }) pickedTotal!: Money | null;
  @Field(() => Int) returnedQuantity!: number;
}

@ObjectType({ description: 'A substitute staff proposed for a short line; the customer approves or rejects it.' })
export class Substitution {
  @Field(() => ID) id!: string;
  @Field(() => Int) linePosition!: number;
  @Field(() => ID) sku!: string;
  @Field(() => Product) product!: Product;
  @Field() name!: string;
  @Field(() => Int) quantity!: number;
  @Field(() => Money) unitPrice!: Money;
  @Field(() => SubstitutionStatus) status!: SubstitutionStatus;
  @Field() proposedAt!: Date;
  @Field(() => Date, { nullable: true }) decidedAt!: Date | null;
}

// An entity so delivery can add Order.shipment; orders never resolves it by reference (an Order
// reaches a client only through orders' own checked fields).
@Directive('@key(fields: "id", resolvable: false)')
@ObjectType()
export class Order {
  @Field(() => ID) id!: string;
  @Field({ description: 'Shown to the customer, e.g. on the receipt.' }) number!: string;
  @Field(() => OrderStatus) status!: OrderStatus;
  @Field(() => PaymentStatus, { nullable: true }) paymentStatus!: PaymentStatus | null;
  @Field(() => Payment, { nullable: true }) payment!: Payment | null;
  @Field(() => Fulfilment) fulfilment!: Fulfilment;
  @Field(() => [OrderLine]) lines!: OrderLine[];
  @Field(() => [Substitution]) substitutions!: Substitution[];
  @Field(() => User, { nullable: true, description: 'Null for a guest order.' }) customer!: User | null;
  @Field(() => String, { nullable: true }) email!: string | null;
  @Field(() => [String]) couponCodes!: string[];
  @Field(() => Money) subtotal!: Money;
  @Field(() => Money) discount!: Money;
  @Field(() => Money) deliveryFee!: Money;
  @Field(() => Money, { description: 'As placed.' }) total!: Money;
  @Field(() => Money, { nullable: true, description: 'What picking came to (captured); null before.' })
  finalTotal!: Money | null;
  @Field() placedAt!: Date;
  @Field(() => Date, { nullable: true, description: 'While PENDING_PAYMENT: when it expires unpaid.' })
  paymentDueAt!: Date | null;
  @Field(() => Date, { nullable: true }) confirmedAt!: Date | null;
  @Field(() => Date, { nullable: true }) closedAt!: Date | null;
  @Field(() => String, { nullable: true }) cancelReason!: string | null;
  @Field(() => Int, { description: 'Raised by every change; orderStatusChanged carries it.' }) version!: number;
  @Field(() => String, {
    nullable: true,
    description: 'Guest orders, in placeOrder’s answer only: the key to read, track and cancel the order. Keep it.',
  })
  accessToken!: string | null;
}

@ObjectType()
export class OrderEdge {
  @Field() cursor!: string;
  @Field(() => Order) node!: Order;
}

@ObjectType()
export class OrderConnection {
  @Field(() => Int) totalCount!: number;
  @Field(() => [OrderEdge]) edges!: OrderEdge[];
  @Field(() => PageInfo) pageInfo!: PageInfo;
}

@InputType()
export class OrderFilter {
  @Field(() => [OrderStatus], { nullable: true }) statuses?: OrderStatus[] | null;
  @Field(() => Date, { nullable: true }) placedFrom?: Date | null;
  @Field(() => Date, { nullable: true }) placedTo?: Date | null;
}

@InputType()
export class FulfilmentInput {
  @Field(() => FulfilmentType) type!: FulfilmentType;
  @Field(() => ID) locationId!: string;
  @Field(() => AddressInput, { nullable: true }) address?: AddressInput | null;
  @Field(() => ID, {
    nullable: true,
    description: 'A hold from holdSlot: required for DELIVERY (its fee is the delivery fee), optional for PICKUP.',
  })
  slotHoldId?: string | null;
}

@InputType()
export class PaymentInput {
  @Field(() => PaymentProviderKind) provider!: PaymentProviderKind;
  @Field(() => String, {
    nullable: true,
    description: 'Stripe: a PaymentMethod id from Stripe Elements; SIMULATOR: a test token; else none.',
  })
  token?: string | null;
  @Field(() => String, { nullable: true, description: 'Where MoMo (or 3-D Secure) sends the customer back.' })
  returnUrl?: string | null;
}

@InputType()
export class PlaceOrderInput {
  @Field(() => ID) cartId!: string;
  @Field({ description: 'The same key always answers with the same order (or refusal): retry with it freely.' })
  idempotencyKey!: string;
  @Field(() => String, { nullable: true, description: 'Required for a guest.' }) email?: string | null;
  @Field(() => Int, {
    nullable: true,
    description: 'The total the customer saw (VND); a different total now answers PriceChanged.',
  })
  expectedTotal?: number | null;
  @Field(() => FulfilmentInput) fulfilment!: FulfilmentInput;
  @Field(() => PaymentInput) payment!: PaymentInput;
}

@InputType()
export class PickedLineInput {
  @Field(() => Int) position!: number;
  @Field(() => Int, { description: 'Units picked (weighed goods: what the scale says, in the line’s unit).' })
  quantity!: number;
}

// ---- placeOrder's and cancelOrder's expected refusals ----

export const OrdersErrorCode = {
  OUT_OF_STOCK: 'OUT_OF_STOCK',
  PRICE_CHANGED: 'PRICE_CHANGED',
  COUPON_NOT_APPLICABLE: 'COUPON_NOT_APPLICABLE',
  PAYMENT_DECLINED: 'PAYMENT_DECLINED',
  PAYMENT_UNAVAILABLE: 'PAYMENT_UNAVAILABLE',
  CART_EMPTY: 'CART_EMPTY',
  ORDER_NOT_CANCELLABLE: 'ORDER_NOT_CANCELLABLE',
  SLOT_HOLD_INVALID: 'SLOT_HOLD_INVALID',
} as const;
export type OrdersErrorCode = (typeof OrdersErrorCode)[keyof typeof OrdersErrorCode];
export const OrdersErrorResult = defineErrorResult(OrdersErrorCode);

@Directive('@shareable')
@ObjectType({
  description: 'A line that is short at the location: what was asked, what there is, and what could replace it.',
})
export class ShortLine {
  @Field() sku!: string;
  @Field(() => Int) requested!: number;
  @Field(() => Int) available!: number;
  @Field(() => [Product], { description: 'In stock at the location, same category (checkout only; empty elsewhere).' })
  substitutes!: Product[];
}

@Directive('@shareable')
@ObjectType({
  implements: OrdersErrorResult,
  description: 'Fewer units are available than were asked for; nothing was reserved, charged or ordered.',
})
export class OutOfStock {
  @Field(() => OrdersErrorCode, { description: 'Always OUT_OF_STOCK.' }) errorCode!: OrdersErrorCode;
  @Field() message!: string;
  @Field({ description: 'The first short line’s SKU (see lines for all).' }) sku!: string;
  @Field(() => ID) locationId!: string;
  @Field(() => Int) requested!: number;
  @Field(() => Int) available!: number;
  @Field(() => [ShortLine], { description: 'Every short line.' }) lines!: ShortLine[];
}

@ObjectType({
  implements: OrdersErrorResult,
  description: 'The cart’s total is not the one the customer saw; nothing was taken.',
})
export class PriceChanged {
  @Field(() => OrdersErrorCode) errorCode!: OrdersErrorCode;
  @Field() message!: string;
  @Field(() => Money) expectedTotal!: Money;
  @Field(() => Money) total!: Money;
}

@ObjectType({
  implements: OrdersErrorResult,
  description: 'A coupon cannot be used for this order; nothing was taken.',
})
export class CouponNotApplicable {
  @Field(() => OrdersErrorCode) errorCode!: OrdersErrorCode;
  @Field() message!: string;
  @Field() code!: string;
  @Field({ description: 'e.g. USAGE_LIMIT_REACHED, CUSTOMER_LIMIT_REACHED, MIN_ORDER_NOT_MET, UNKNOWN.' })
  reason!: string;
}

@ObjectType({
  implements: OrdersErrorResult,
  description: 'The payment was declined; the order was cancelled and released everything.',
})
export class PaymentDeclined {
  @Field(() => OrdersErrorCode) errorCode!: OrdersErrorCode;
  @Field() message!: string;
  @Field() reason!: string;
  @Field(() => ID) orderId!: string;
}

@ObjectType({
  implements: OrdersErrorResult,
  description: 'The payment provider cannot be reached now; nothing was taken. Try again or choose another.',
})
export class PaymentUnavailable {
  @Field(() => OrdersErrorCode) errorCode!: OrdersErrorCode;
  @Field() message!: string;
  @Field(() => PaymentProviderKind) provider!: PaymentProviderKind;
}

@ObjectType({
  implements: OrdersErrorResult,
  description: 'The slot hold cannot be booked for this order; nothing was taken. Hold a slot again.',
})
export class SlotHoldInvalid {
  @Field(() => OrdersErrorCode) errorCode!: OrdersErrorCode;
  @Field() message!: string;
  @Field({ description: 'HOLD_EXPIRED, HOLD_NOT_FOUND, WRONG_SLOT, NOT_DELIVERED_HERE or SLOT_ITEMS_FULL.' })
  reason!: string;
}

@ObjectType({ implements: OrdersErrorResult, description: 'The cart has no lines.' })
export class CartEmpty {
  @Field(() => OrdersErrorCode) errorCode!: OrdersErrorCode;
  @Field() message!: string;
}

@ObjectType({ implements: OrdersErrorResult, description: 'The order is past the point where it can be cancelled.' })
export class OrderNotCancellable {
  @Field(() => OrdersErrorCode) errorCode!: OrdersErrorCode;
  @Field() message!: string;
  @Field(() => OrderStatus) status!: OrderStatus;
}

export const PlaceOrderResult = createUnionType({
  name: 'PlaceOrderResult',
  types: () =>
    [
      Order,
      OutOfStock,
      PriceChanged,
      CouponNotApplicable,
      PaymentDeclined,
      PaymentUnavailable,
      CartEmpty,
      SlotHoldInvalid,
    ] as const,
  resolveType: (v) => (v as { __typename?: string }).__typename,
});

export const CancelOrderResult = createUnionType({
  name: 'CancelOrderResult',
  types: () => [Order, OrderNotCancellable] as const,
  resolveType: (v) => (v as { __typename?: string }).__typename,
});

@ObjectType({ description: 'A change of an order’s statuses, as it happened.' })
export class OrderStatusChange {
  @Field(() => ID, { description: 'The order’s id.' }) id!: string;
  @Field(() => OrderStatus) status!: OrderStatus;
  @Field(() => PaymentStatus, { nullable: true }) paymentStatus!: PaymentStatus | null;
  @Field(() => Int) version!: number;
  @Field({ description: 'What happened, e.g. payment.authorized, picking.started, substitution.proposed.' })
  reason!: string;
  @Field() changedAt!: Date;
  @Field(() => Substitution, {
    nullable: true,
    description: 'The substitution proposed or decided, when that is the change.',
  })
  substitution!: Substitution | null;
  @Field(() => Order, { description: 'The order now.' }) order!: Order;
}
