// reserveStock's typed results: the reservation, or OutOfStock (an expected outcome a
// checkout must handle, so it is data, not an error).
import { defineErrorResult } from '@grocery/platform';
import { createUnionType, Directive, Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Location } from './location-types';
import { Product } from './stock-types';
import { User } from './user-reference';

export enum ReservationStatus {
  ACTIVE = 'ACTIVE',
  RELEASED = 'RELEASED',
  EXPIRED = 'EXPIRED',
  CONSUMED = 'CONSUMED',
}
registerEnumType(ReservationStatus, {
  name: 'ReservationStatus',
  description: 'ACTIVE holds units; RELEASED and EXPIRED gave them back; CONSUMED became an order.',
});

@ObjectType({ description: 'Units held for a checkout until released, consumed or expired.' })
export class Reservation {
  @Field(() => ID)
  id!: string;

  @Field()
  sku!: string;

  @Field(() => ID)
  locationId!: string;

  @Field(() => Location)
  location!: Location;

  @Field(() => Int)
  quantity!: number;

  @Field(() => User, { nullable: true, description: 'Who holds it (null for reservations made by the system).' })
  owner?: User | null;

  @Field(() => ReservationStatus)
  status!: ReservationStatus;

  @Field({ description: 'When an ACTIVE reservation gives its units back by itself.' })
  expiresAt!: Date;

  @Field()
  createdAt!: Date;

  @Field(() => Product, { nullable: true })
  product!: Product;
}

/** The codes of stock's expected refusals (the ErrorResult convention, platform/src/graphql/vocabulary.ts). */
export const StockErrorCode = {
  OUT_OF_STOCK: 'OUT_OF_STOCK',
  RESERVATION_LIMIT: 'RESERVATION_LIMIT',
} as const;
export type StockErrorCode = (typeof StockErrorCode)[keyof typeof StockErrorCode];
export const StockErrorResult = defineErrorResult(StockErrorCode);

/**
 * A short line. Shared with the orders subgraph's checkout refusal (same type, @shareable in
 * both); stock offers no substitutes, checkout does.
 */
@Directive('@shareable')
@ObjectType({
  description: 'A line that is short at the location: what was asked, what there is, and what could replace it.',
})
export class ShortLine {
  @Field()
  sku!: string;

  @Field(() => Int)
  requested!: number;

  @Field(() => Int)
  available!: number;

  @Field(() => [Product], { description: 'In stock at the location, same category (checkout only; empty elsewhere).' })
  substitutes!: Product[];
}

/** Also placeOrder's refusal (orders subgraph): the same type, @shareable in both. */
@Directive('@shareable')
@ObjectType({
  implements: StockErrorResult,
  description: 'Fewer units are available than were asked for; nothing was reserved, charged or ordered.',
})
export class OutOfStock {
  @Field(() => StockErrorCode, { description: 'Always OUT_OF_STOCK.' })
  errorCode!: StockErrorCode;

  @Field()
  message!: string;

  @Field()
  sku!: string;

  @Field(() => ID)
  locationId!: string;

  @Field(() => Int)
  requested!: number;

  @Field(() => Int)
  available!: number;

  @Field(() => [ShortLine], { description: 'Every short line.' })
  lines!: ShortLine[];
}

export enum ReservationLimitKind {
  COUNT = 'COUNT',
  UNITS = 'UNITS',
}
registerEnumType(ReservationLimitKind, {
  name: 'ReservationLimitKind',
  description: 'COUNT: active reservations per customer; UNITS: units across them.',
});

@ObjectType({
  implements: StockErrorResult,
  description:
    'The customer already holds as many reservations (or units) as one customer may; nothing was reserved. ' +
    'Release a reservation or check out first.',
})
export class ReservationLimitReached {
  @Field(() => StockErrorCode, { description: 'Always RESERVATION_LIMIT.' })
  errorCode!: StockErrorCode;

  @Field()
  message!: string;

  @Field(() => ReservationLimitKind)
  limit!: ReservationLimitKind;

  @Field(() => Int, { description: 'The cap that would be broken.' })
  max!: number;

  @Field(() => Int, { description: 'Active reservations the customer holds now.' })
  heldReservations!: number;

  @Field(() => Int, { description: 'Units across them.' })
  heldUnits!: number;

  @Field(() => Int)
  requested!: number;
}

export const ReserveStockResult = createUnionType({
  name: 'ReserveStockResult',
  types: () => [Reservation, OutOfStock, ReservationLimitReached] as const,
  // Resolvers return plain objects; the refusals carry errorCode.
  resolveType: (value) =>
    !('errorCode' in value)
      ? Reservation
      : value.errorCode === StockErrorCode.OUT_OF_STOCK
        ? OutOfStock
        : ReservationLimitReached,
});
