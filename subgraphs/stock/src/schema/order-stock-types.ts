// Stock held for orders, as the orders subgraph sees it (service-to-service: every operation is
// @inaccessible at the gateway). A shortage is an expected outcome, so it is a typed result.
// The types themselves are not @inaccessible: type-graphql cannot put a directive on a union or an
// enum, and composition refuses a visible union of hidden members. They are in the public schema
// but unreachable from it.
import { createUnionType, Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';

export enum OrderStockStatus {
  RESERVED = 'RESERVED',
  ALLOCATED = 'ALLOCATED',
  RELEASED = 'RELEASED',
  EXPIRED = 'EXPIRED',
  CONSUMED = 'CONSUMED',
}
registerEnumType(OrderStockStatus, {
  name: 'OrderStockStatus',
  description:
    'RESERVED holds units until expiresAt; ALLOCATED holds them with no expiry; RELEASED and EXPIRED gave them back; ' +
    'CONSUMED: the order was picked.',
});

@InputType()
export class OrderStockLineInput {
  @Field()
  sku!: string;

  @Field(() => Int, { description: '1 to 10000.' })
  quantity!: number;
}

@InputType()
export class ReserveOrderStockInput {
  @Field(() => ID)
  orderId!: string;

  @Field(() => ID)
  locationId!: string;

  @Field(() => [OrderStockLineInput], { description: '1 to 100 lines; the same SKU twice is summed.' })
  lines!: OrderStockLineInput[];

  @Field(() => Int, { description: 'How long the units stay RESERVED unless allocated: 30 to 86400.' })
  holdSeconds!: number;
}

@InputType()
export class PickOrderStockInput {
  @Field(() => ID)
  orderId!: string;

  @Field(() => [OrderStockLineInput], {
    description: 'What was actually picked (0 to 100 lines): fewer, more, or substitute SKUs.',
  })
  lines!: OrderStockLineInput[];
}

@InputType()
export class RestockReturnInput {
  @Field(() => ID)
  returnId!: string;

  @Field(() => ID)
  locationId!: string;

  @Field(() => [OrderStockLineInput])
  lines!: OrderStockLineInput[];
}

@ObjectType()
export class OrderStockLine {
  @Field()
  sku!: string;

  @Field(() => Int)
  quantity!: number;
}

@ObjectType({ description: 'The stock an order holds at one location.' })
export class OrderStockReservation {
  @Field(() => ID)
  orderId!: string;

  @Field(() => ID)
  locationId!: string;

  @Field(() => OrderStockStatus)
  status!: OrderStockStatus;

  @Field(() => Date, { nullable: true, description: 'RESERVED only: when the units go back by themselves.' })
  expiresAt?: Date | null;

  @Field(() => [OrderStockLine], { description: 'By SKU; for CONSUMED, what was picked.' })
  lines!: OrderStockLine[];
}

@ObjectType()
export class ShortStockLine {
  @Field()
  sku!: string;

  @Field(() => Int)
  requested!: number;

  @Field(() => Int, { description: 'Available at the location now.' })
  available!: number;
}

@ObjectType({ description: 'Some lines are short at the location; nothing was reserved.' })
export class OrderStockShortage {
  @Field(() => [ShortStockLine], { description: 'Only the short lines.' })
  lines!: ShortStockLine[];
}

export const ReserveOrderStockResult = createUnionType({
  name: 'ReserveOrderStockResult',
  types: () => [OrderStockReservation, OrderStockShortage] as const,
  resolveType: (value) => ('orderId' in value ? OrderStockReservation : OrderStockShortage),
});
