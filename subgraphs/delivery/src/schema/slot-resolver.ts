import { Arg, Ctx, Directive, ID, Int, Mutation, Query, Resolver } from 'type-graphql';
import { callerOf, type DeliveryContext } from '../context';
import type { Hold } from '../data/slot-store';
import type { HoldResult, SlotView } from '../domain/slot-service';
import {
  DeliveryErrorCode,
  DeliverySlot,
  HoldSlotResult,
  SlotFull,
  SlotHold,
  SlotKindEnum,
  SlotStateEnum,
  SlotUnavailable,
  SlotUnavailableReason,
  ServiceLevelEnum,
} from './slot-types';

export function slotView(s: SlotView): DeliverySlot {
  return {
    id: s.id,
    kind: s.kind as SlotKindEnum,
    zoneId: s.zoneId,
    location: s.locationId ? { id: s.locationId } : null,
    startsAt: s.startsAt,
    endsAt: s.endsAt,
    cutoffAt: s.cutoffAt,
    capacity: s.capacity,
    remaining: s.remaining,
    state: s.state as SlotStateEnum,
    bookable: s.state === 'OPEN',
    service: s.service as ServiceLevelEnum,
    fee: { amount: s.fee, currency: 'VND' },
    closedReason: s.closure ? { en: s.closure.reasonEn, vi: s.closure.reasonVi } : null,
  };
}

function holdView(hold: Hold, slot: SlotView): SlotHold {
  return { id: hold.id, slot: slotView(slot), expiresAt: hold.expiresAt };
}

function resultView(r: HoldResult): SlotHold | SlotFull | SlotUnavailable {
  if (r.kind === 'held') return holdView(r.hold, r.slot);
  const nextSlots = r.nextSlots.map(slotView);
  if (r.kind === 'full')
    return {
      errorCode: DeliveryErrorCode.SLOT_FULL,
      message: nextSlots.length > 0 ? 'This slot is full; the next free slots are offered.' : 'This slot is full.',
      slotId: r.slot.id,
      nextSlots,
    };
  const why = { PAST: 'has started', CUT_OFF: 'is past its cut-off', CLOSED: 'is closed' }[r.reason];
  return {
    errorCode: DeliveryErrorCode.SLOT_UNAVAILABLE,
    message: `This slot ${why}.`,
    slotId: r.slot.id,
    reason: r.reason as SlotUnavailableReason,
    nextSlots,
  };
}

@Resolver()
export class SlotResolver {
  @Query(() => [DeliverySlot], {
    description:
      'A zone’s delivery slots from now for `days` local days (today first). Past slots are left out; closed, cut-off and full ones are listed with bookable false.',
  })
  async deliverySlots(
    @Arg('zoneId', () => ID) zoneId: string,
    @Arg('days', () => Int, { defaultValue: 2 }) days: number,
    @Arg('orderValue', () => Int, {
      nullable: true,
      description: 'The order’s value (VND): fees become free above the threshold.',
    })
    orderValue: number | null,
    @Ctx() ctx: DeliveryContext,
  ): Promise<DeliverySlot[]> {
    return (await ctx.slots.deliverySlots(zoneId, days, orderValue)).map(slotView);
  }

  @Query(() => [DeliverySlot], { description: 'A store’s or pickup point’s pickup windows, like deliverySlots.' })
  async pickupSlots(
    @Arg('locationId', () => ID) locationId: string,
    @Arg('days', () => Int, { defaultValue: 2 }) days: number,
    @Ctx() ctx: DeliveryContext,
  ): Promise<DeliverySlot[]> {
    return (await ctx.slots.pickupSlots(locationId, days)).map(slotView);
  }

  @Query(() => DeliverySlot, { nullable: true })
  async deliverySlot(@Arg('id', () => ID) id: string, @Ctx() ctx: DeliveryContext): Promise<DeliverySlot | null> {
    const slot = await ctx.slots.slot(id);
    return slot ? slotView(slot) : null;
  }

  @Query(() => SlotHold, { nullable: true, description: 'A hold of yours (staff: anyone’s).' })
  async slotHold(@Arg('id', () => ID) id: string, @Ctx() ctx: DeliveryContext): Promise<SlotHold | null> {
    const hold = await ctx.slots.holdById(callerOf(ctx), id);
    if (!hold) return null;
    const slot = await ctx.slots.slot(hold.slotId);
    return slot ? holdView(hold, slot) : null;
  }

  @Directive('@cost(weight: 100)')
  @Mutation(() => HoldSlotResult, {
    description:
      'Holds one unit of a slot’s capacity for SLOT_HOLD_SECONDS; placeOrder books it with slotHoldId. A full slot answers SlotFull with the next free slots.',
  })
  async holdSlot(
    @Arg('slotId', () => ID) slotId: string,
    @Arg('items', () => Int, { defaultValue: 0, description: 'Items in the order, for slots that also count items.' })
    items: number,
    @Ctx() ctx: DeliveryContext,
  ): Promise<SlotHold | SlotFull | SlotUnavailable> {
    return resultView(await ctx.slots.hold(callerOf(ctx), slotId, items));
  }

  @Directive('@cost(weight: 60)')
  @Mutation(() => Boolean, { description: 'Gives a hold back at once; false when it was no longer held.' })
  releaseSlotHold(@Arg('holdId', () => ID) holdId: string, @Ctx() ctx: DeliveryContext): Promise<boolean> {
    return ctx.slots.release(callerOf(ctx), holdId);
  }

  @Directive('@cost(weight: 60)')
  @Mutation(() => DeliverySlot, {
    description:
      'Staff: a slot’s capacity in orders. Below what is already held or booked: CONFLICT (CAPACITY_BELOW_TAKEN).',
  })
  async setSlotCapacity(
    @Arg('slotId', () => ID) slotId: string,
    @Arg('capacity', () => Int) capacity: number,
    @Ctx() ctx: DeliveryContext,
  ): Promise<DeliverySlot> {
    return slotView(await ctx.slots.setCapacity(ctx.request.identity, slotId, capacity));
  }
}
