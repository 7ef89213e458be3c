// The orders subgraph's calls (PeerClient, identity { service: 'orders' }): @inaccessible, so the
// gateway's public API has none of them; the service checks the caller.
import { Arg, Ctx, Directive, ID, Mutation, Resolver } from 'type-graphql';
import type { DeliveryContext } from '../context';
import { BookSlotHoldInput, SlotBooking, SlotBookingRefused, SlotBookingResult } from './booking-types';

@Resolver()
export class BookingResolver {
  @Directive('@inaccessible')
  @Mutation(() => SlotBookingResult, {
    description: 'Service (orders): books a live hold for an order (idempotent per order), or says why not.',
  })
  async bookSlotHold(
    @Arg('input', () => BookSlotHoldInput) input: BookSlotHoldInput,
    @Ctx() ctx: DeliveryContext,
  ): Promise<SlotBooking | SlotBookingRefused> {
    const r = await ctx.slots.book(ctx.request.identity, {
      ...input,
      customerId: input.customerId ?? null,
      kind: input.kind,
      address: input.address ?? null,
      locale: input.locale === 'en' ? 'en' : 'vi',
    });
    if (r.kind === 'refused') return { reason: r.reason, message: r.message };
    return {
      holdId: r.hold.id,
      slotId: r.slot.id,
      startsAt: r.slot.startsAt,
      endsAt: r.slot.endsAt,
      fee: r.fee,
      service: r.service,
    };
  }

  @Directive('@inaccessible')
  @Mutation(() => Boolean, { description: 'Service (orders): gives an order’s booked slot back; idempotent.' })
  releaseSlotBooking(@Arg('orderId', () => ID) orderId: string, @Ctx() ctx: DeliveryContext): Promise<boolean> {
    return ctx.slots.releaseBooking(ctx.request.identity, orderId);
  }
}
