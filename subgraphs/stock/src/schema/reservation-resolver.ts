import { Arg, Ctx, Directive, FieldResolver, ID, Mutation, Resolver, Root } from 'type-graphql';
import type { StockContext } from '../context';
import type { LocationRecord } from '../domain/location';
import type { ReservationRecord } from '../domain/reservation';
import { loadLocation } from './location-resolver';
import { Location } from './location-types';
import { Reservation, ReservationLimitKind, ReserveStockResult } from './reservation-types';
import { ReserveStockInput } from './stock-inputs';
import { Product } from './stock-types';
import { User } from './user-reference';

type ReservationLimitView = {
  errorCode: 'RESERVATION_LIMIT';
  message: string;
  limit: ReservationLimitKind;
  max: number;
  heldReservations: number;
  heldUnits: number;
  requested: number;
};

type OutOfStockView = {
  errorCode: 'OUT_OF_STOCK';
  message: string;
  sku: string;
  locationId: string;
  requested: number;
  available: number;
  lines: { sku: string; requested: number; available: number; substitutes: never[] }[];
};

@Resolver(() => Reservation)
export class ReservationResolver {
  // Cost (20 per ms of work, `pnpm bench cost`): a locked read and a write with its outbox row, ~6 ms (4-8).
  @Directive('@cost(weight: 150)')
  @Mutation(() => ReserveStockResult, {
    description:
      'Signed-in users: hold units at a location during checkout (they return by themselves at expiresAt). ' +
      'Answers OutOfStock, reserving nothing, when fewer units are available, and ReservationLimitReached ' +
      'when the customer already holds as much as one customer may.',
  })
  async reserveStock(
    @Arg('input', () => ReserveStockInput) input: ReserveStockInput,
    @Ctx() ctx: StockContext,
  ): Promise<ReservationRecord | OutOfStockView | ReservationLimitView> {
    const outcome = await ctx.stock.reserveStock(ctx.request.identity, input);
    if (outcome.kind === 'reserved') return outcome.reservation;
    if (outcome.kind === 'limit_reached') {
      const { limit, max, held, requested } = outcome;
      return {
        errorCode: 'RESERVATION_LIMIT',
        message:
          limit === 'count'
            ? `You already hold ${held.reservations} reservations, the most one customer may; release one or check out first.`
            : `You already hold ${held.units} units; with ${requested} more you would pass the ${max} one customer may hold.`,
        limit: limit === 'count' ? ReservationLimitKind.COUNT : ReservationLimitKind.UNITS,
        max,
        heldReservations: held.reservations,
        heldUnits: held.units,
        requested,
      };
    }
    const { sku, locationId, requested, available } = outcome;
    return {
      errorCode: 'OUT_OF_STOCK',
      message: `Only ${available} of ${sku} available at ${locationId}; ${requested} requested.`,
      sku,
      locationId,
      requested,
      available,
      lines: [{ sku, requested, available, substitutes: [] }],
    };
  }

  @Directive('@cost(weight: 150)')
  @Mutation(() => Reservation, {
    description: 'Gives a reservation’s units back. Its owner or staff only; releasing twice is harmless.',
  })
  releaseStock(
    @Arg('reservationId', () => ID) reservationId: string,
    @Ctx() ctx: StockContext,
  ): Promise<ReservationRecord> {
    return ctx.stock.releaseStock(ctx.request.identity, reservationId);
  }

  @FieldResolver(() => User, { nullable: true })
  owner(@Root() r: ReservationRecord): { id: string } | null {
    return r.ownerId ? { id: r.ownerId } : null;
  }

  @FieldResolver(() => Location)
  location(@Root() r: ReservationRecord, @Ctx() ctx: StockContext): Promise<LocationRecord> {
    return loadLocation(ctx, r.locationId);
  }

  @FieldResolver(() => Product, { nullable: true })
  product(@Root() r: ReservationRecord): { sku: string } {
    return { sku: r.sku };
  }
}
