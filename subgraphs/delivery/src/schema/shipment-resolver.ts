// Order.shipment and Order.returnPickups (the order's customer and staff), staff's shipments list,
// retry and reassign, and deliveryTracking: one order's delivery changes from now on, to its
// customer and staff only — checked when the subscription starts.
import { AppError, ErrorCode, hasRole, notFound, type Identity } from '@grocery/platform';
import {
  Arg,
  Ctx,
  Directive,
  FieldResolver,
  ID,
  Int,
  Mutation,
  Query,
  Resolver,
  Root,
  Subscription,
} from 'type-graphql';
import type { DeliveryContext } from '../context';
import type { ShipmentRecord } from '../data/shipment-store';
import type { TrackingChange } from '../events/tracking-feed';
import type { ShipmentStatus } from '../providers/delivery-provider';
import { Order } from './references';
import {
  CourierPosition,
  DeliveryProviderEnum,
  DeliveryTrackingUpdate,
  Shipment,
  ShipmentPurposeEnum,
  ShipmentStatusEnum,
} from './shipment-types';

const MAX_LIST = 100;
const MAX_POSITIONS = 50;

export function shipmentView(s: ShipmentRecord, identity: Identity | undefined): Shipment {
  const staff = hasRole(identity, 'staff');
  const courier = s.courierName || s.courierPhone || s.courierVehicle;
  return {
    id: s.id,
    orderId: s.orderId,
    purpose: s.purpose === 'return' ? ShipmentPurposeEnum.RETURN : ShipmentPurposeEnum.DELIVERY,
    status: s.status as ShipmentStatusEnum,
    statusAt: s.statusAt,
    provider: s.provider as DeliveryProviderEnum | null,
    trackingUrl: s.trackingUrl,
    eta: s.eta,
    courier: courier ? { name: s.courierName, phone: s.courierPhone, vehicle: s.courierVehicle } : null,
    windowStartsAt: s.windowStartsAt,
    windowEndsAt: s.windowEndsAt,
    courierFee: staff && s.fee !== null ? { amount: s.fee, currency: 'VND' } : null,
    reason: s.reason,
    version: s.version,
    attempts: staff ? s.attempts : null,
    lastError: staff ? s.lastError : null,
    nextAttemptAt: staff ? s.nextAttemptAt : null,
  };
}

@Resolver(() => Order)
export class OrderShipmentResolver {
  @Directive('@cost(weight: 5)')
  @FieldResolver(() => Shipment, {
    nullable: true,
    description: 'Its delivery by a courier: null for pickup orders, and until the order is confirmed.',
  })
  async shipment(@Root() order: { id: string }, @Ctx() ctx: DeliveryContext): Promise<Shipment | null> {
    const s = await ctx.shipments.forOrder(ctx.request.identity, order.id);
    return s ? shipmentView(s, ctx.request.identity) : null;
  }

  @Directive('@cost(weight: 5)')
  @FieldResolver(() => [Shipment], { description: 'Courier pickups of its returns.' })
  async returnPickups(@Root() order: { id: string }, @Ctx() ctx: DeliveryContext): Promise<Shipment[]> {
    return (await ctx.shipments.returnPickupsOf(ctx.request.identity, order.id)).map((s) =>
      shipmentView(s, ctx.request.identity),
    );
  }
}

@Resolver(() => Shipment)
export class ShipmentResolver {
  @Directive('@cost(weight: 2)')
  @FieldResolver(() => [CourierPosition], {
    description: `The courier's latest positions, oldest first (at most ${MAX_POSITIONS}).`,
  })
  async positions(
    @Root() s: Shipment,
    @Arg('last', () => Int, { defaultValue: 20 }) last: number,
    @Ctx() ctx: DeliveryContext,
  ): Promise<CourierPosition[]> {
    if (!Number.isInteger(last) || last < 1 || last > MAX_POSITIONS)
      throw new AppError(ErrorCode.BAD_USER_INPUT, `last must be 1 to ${MAX_POSITIONS}`, {
        field: 'last',
        limit: 'last',
        max: MAX_POSITIONS,
      });
    return ctx.shipments.positions(s.id, last);
  }

  @Query(() => Shipment, { nullable: true, description: 'A shipment of yours (staff: any).' })
  async shipment(@Arg('id', () => ID) id: string, @Ctx() ctx: DeliveryContext): Promise<Shipment | null> {
    const s = await ctx.shipments.byId(ctx.request.identity, id);
    return s ? shipmentView(s, ctx.request.identity) : null;
  }

  @Directive('@listSize(slicingArguments: ["first"])')
  @Query(() => [Shipment], {
    description: `Staff: shipments, newest first, optionally only some statuses (first: 1-${MAX_LIST}).`,
  })
  async shipments(
    @Arg('statuses', () => [ShipmentStatusEnum], { nullable: true }) statuses: ShipmentStatusEnum[] | null,
    @Arg('first', () => Int, { defaultValue: 20 }) first: number,
    @Ctx() ctx: DeliveryContext,
  ): Promise<Shipment[]> {
    if (!Number.isInteger(first) || first < 1 || first > MAX_LIST)
      throw new AppError(ErrorCode.BAD_USER_INPUT, `first must be 1 to ${MAX_LIST}`, {
        field: 'first',
        limit: 'first',
        max: MAX_LIST,
      });
    if (statuses && statuses.length > 9)
      throw new AppError(ErrorCode.BAD_USER_INPUT, 'at most 9 statuses', { field: 'statuses' });
    const list = await ctx.shipments.list(
      ctx.request.identity,
      statuses?.length ? [...new Set(statuses)].map((s) => s as ShipmentStatus) : undefined,
      first,
    );
    return list.map((s) => shipmentView(s, ctx.request.identity));
  }

  @Directive('@cost(weight: 300)')
  @Mutation(() => Shipment, {
    description: 'Staff: book a pending shipment with a courier now (after no courier took it).',
  })
  async retryShipment(@Arg('id', () => ID) id: string, @Ctx() ctx: DeliveryContext): Promise<Shipment> {
    return shipmentView(await ctx.shipments.retry(ctx.request.identity, id), ctx.request.identity);
  }

  @Directive('@cost(weight: 400)')
  @Mutation(() => Shipment, {
    description:
      'Staff: move a booked shipment to another courier: cancelled at the old one first, then booked at the new one. A courier that refuses the cancel (the goods are picked up): CONFLICT (COURIER_REFUSED_CANCEL).',
  })
  async reassignShipment(
    @Arg('id', () => ID) id: string,
    @Arg('provider', () => DeliveryProviderEnum) provider: DeliveryProviderEnum,
    @Ctx() ctx: DeliveryContext,
  ): Promise<Shipment> {
    return shipmentView(await ctx.shipments.reassign(ctx.request.identity, id, provider), ctx.request.identity);
  }
}

@Resolver(() => DeliveryTrackingUpdate)
export class TrackingResolver {
  @Subscription(() => DeliveryTrackingUpdate, {
    description:
      'Every change of an order’s delivery from now on: status, tracking URL, ETA, courier, positions. Its customer and staff only.',
    subscribe: async ({ args, context }) => {
      const ctx = context as DeliveryContext;
      const orderId = String(args.orderId);
      if (!(await ctx.shipments.mayTrack(ctx.request.identity, orderId))) throw notFound('No such delivery.');
      return ctx.tracking.watch(orderId);
    },
  })
  deliveryTracking(@Root() change: TrackingChange, @Arg('orderId', () => ID) _orderId: string): DeliveryTrackingUpdate {
    const courier = change.courierName || change.courierPhone || change.courierVehicle;
    return {
      orderId: change.orderId,
      shipmentId: change.shipmentId,
      status: change.status as ShipmentStatusEnum,
      provider: change.provider as DeliveryProviderEnum | null,
      trackingUrl: change.trackingUrl,
      eta: change.eta ? new Date(change.eta) : null,
      courier: courier
        ? { name: change.courierName, phone: change.courierPhone, vehicle: change.courierVehicle }
        : null,
      position: change.position
        ? { latitude: change.position.latitude, longitude: change.position.longitude, at: new Date(change.position.at) }
        : null,
      version: change.version,
      changedAt: new Date(change.changedAt),
    };
  }
}
