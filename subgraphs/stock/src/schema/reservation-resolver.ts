import { Arg, Ctx, FieldResolver, ID, Mutation, Resolver, Root } from 'type-graphql';
import type { StockContext } from '../context';
import type { LocationRecord } from '../domain/location';
import type { ReservationRecord } from '../domain/reservation';
import { loadLocation } from './location-resolver';
import { Location } from './location-types';
import { Reservation, ReserveStockResult } from './reservation-types';
import { ReserveStockInput } from './stock-inputs';
import { Product } from './stock-types';
import { User } from './user-reference';

type OutOfStockView = {
  errorCode: 'OUT_OF_STOCK';
  message: string;
  sku: string;
  locationId: string;
  requested: number;
  available: number;
};

@Resolver(() => Reservation)
export class ReservationResolver {
  @Mutation(() => ReserveStockResult, {
    description:
      'Signed-in users: hold units at a location during checkout (they return by themselves at expiresAt). ' +
      'Answers OutOfStock, reserving nothing, when fewer units are available.',
  })
  async reserveStock(
    @Arg('input', () => ReserveStockInput) input: ReserveStockInput,
    @Ctx() ctx: StockContext,
  ): Promise<ReservationRecord | OutOfStockView> {
    const outcome = await ctx.stock.reserveStock(ctx.request.identity, input);
    if (outcome.kind === 'reserved') return outcome.reservation;
    const { sku, locationId, requested, available } = outcome;
    return {
      errorCode: 'OUT_OF_STOCK',
      message: `Only ${available} of ${sku} available at ${locationId}; ${requested} requested.`,
      sku,
      locationId,
      requested,
      available,
    };
  }

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

  @FieldResolver(() => Product)
  product(@Root() r: ReservationRecord): { sku: string } {
    return { sku: r.sku };
  }
}
