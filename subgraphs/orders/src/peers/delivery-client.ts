// DeliveryPort over the delivery subgraph (PeerClient), against its service-only operations
// (bookSlotHold, releaseSlotBooking; @inaccessible at the gateway). Both are idempotent per order
// on delivery's side, so a call retried after a timeout never books or gives back twice.
import type { PeerClient } from '@grocery/platform';
import type { DeliveryPort, SlotBookingAnswer, SlotBookingRequest } from '../domain/ports';

const BOOK = `mutation ($input: BookSlotHoldInput!) { bookSlotHold(input: $input) {
  __typename
  ... on SlotBooking { slotId startsAt endsAt fee service }
  ... on SlotBookingRefused { reason message } } }`;
const RELEASE = `mutation ($orderId: ID!) { releaseSlotBooking(orderId: $orderId) }`;

type BookAnswer =
  | { __typename: 'SlotBooking'; slotId: string; startsAt: string; endsAt: string; fee: number; service: string }
  | { __typename: 'SlotBookingRefused'; reason: string; message: string };

export class DeliveryClient implements DeliveryPort {
  constructor(private readonly peers: PeerClient) {}

  async book(request: SlotBookingRequest): Promise<SlotBookingAnswer> {
    const { bookSlotHold: r } = await this.peers.call<{ bookSlotHold: BookAnswer }>('delivery', BOOK, {
      input: request,
    });
    if (r.__typename === 'SlotBookingRefused') return { ok: false, reason: r.reason, message: r.message };
    return {
      ok: true,
      fee: r.fee,
      slotId: r.slotId,
      startsAt: new Date(r.startsAt),
      endsAt: new Date(r.endsAt),
      service: r.service,
    };
  }

  async release(orderId: string): Promise<void> {
    await this.peers.call('delivery', RELEASE, { orderId });
  }
}
