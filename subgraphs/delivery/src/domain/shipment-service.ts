// Shipments: a confirmed delivery order becomes a PENDING shipment (from its booked slot's
// details, so delivery never calls back into orders); when the order is out for delivery a courier
// is booked — the zone's couriers in preference order, the next one when one is down or does not
// serve the address (bookWithFallback) — and retried with back-off when none takes it. Couriers'
// webhooks move it (authenticated by each courier's mechanism, deduplicated, never backwards);
// GHN's only say "re-read", so we ask GHN. Staff move a booked shipment to another courier
// (cancel, then rebook). A delivered order's approved return gets a return pickup.
import {
  AppError,
  ErrorCode,
  badInput,
  conflict,
  hasRole,
  notFound,
  requireRole,
  type Identity,
  type Logger,
  isUuid,
} from '@grocery/platform';
import {
  bookWithFallback,
  DeliveryOperationRefused,
  DeliveryProviderUnavailable,
  NoCourierAvailable,
  type BookRequest,
  type Booking,
  type DeliveryProvider,
  type DeliveryProviderName,
  type IncomingWebhook,
  type Place,
  type ServiceLevel,
  type ShipmentStatus,
} from '../providers';
import { localDay } from './local-time';
import type { SlotService } from './slot-service';
import type { ZoneDirectory } from './zone-directory';
import {
  isFinal,
  type ApplyOutcome,
  type DispatchPoint,
  type PositionRecord,
  type ShipmentRecord,
  type ShipmentRequest,
  type ShipmentStore,
} from '../data/shipment-store';

export interface ShipmentOptions {
  maxAttempts: number;
  retryBaseMs: number;
  /** Per zone, couriers in preference order (DELIVERY_ZONE_PROVIDERS), over the zone's own list. */
  zoneProviders?: Record<string, readonly string[]>;
  /** Grams per item when the order does not say (couriers price by weight). */
  gramsPerItem?: number;
}

export type WebhookResult = { kind: 'applied'; outcomes: ApplyOutcome['kind'][] } | { kind: 'unknown-provider' };

const deliveryKey = (orderId: string) => `delivery:${orderId}`;
const returnKey = (returnId: string) => `return:${returnId}`;

export class ShipmentService {
  private readonly byName: Map<DeliveryProviderName, DeliveryProvider>;

  constructor(
    private readonly store: ShipmentStore,
    private readonly slots: SlotService,
    private readonly zones: ZoneDirectory,
    /** The enabled couriers, in DELIVERY_PROVIDERS order. */
    private readonly providers: readonly DeliveryProvider[],
    private readonly opts: ShipmentOptions,
    private readonly logger: Logger,
    private readonly afterCommit: () => void,
  ) {
    this.byName = new Map(providers.map((p) => [p.name, p]));
  }

  /**
   * Enabled couriers for a zone: its preference (DELIVERY_ZONE_PROVIDERS, else the zone's own list)
   * first, then the other enabled ones.
   */
  async couriersFor(zoneId: string | null): Promise<DeliveryProvider[]> {
    const configured = zoneId ? this.opts.zoneProviders?.[zoneId] : undefined;
    const zone = zoneId && !configured ? await this.zones.get(zoneId) : null;
    const preferred = (configured ?? zone?.providers ?? []).flatMap((n) => {
      const p = this.byName.get(n as DeliveryProviderName);
      return p ? [p] : [];
    });
    return [...preferred, ...this.providers.filter((p) => !preferred.includes(p))];
  }

  provider(name: string): DeliveryProvider | undefined {
    return this.byName.get(name.toUpperCase() as DeliveryProviderName);
  }

  // ---- reads ----

  /** An order's delivery, as Order.shipment shows it (visibleWithOrder). */
  async forOrder(identity: Identity | undefined, orderId: string): Promise<ShipmentRecord | null> {
    return isUuid(orderId) ? visibleWithOrder(identity, await this.store.byKey(deliveryKey(orderId))) : null;
  }

  async returnPickupsOf(identity: Identity | undefined, orderId: string): Promise<ShipmentRecord[]> {
    if (!isUuid(orderId)) return [];
    return (await this.store.ofOrder(orderId)).filter((s) => s.purpose === 'return' && visibleWithOrder(identity, s));
  }

  /** A shipment the caller may see: its customer's, or any for staff and services. */
  visibleTo(identity: Identity | undefined, s: ShipmentRecord | null): ShipmentRecord | null {
    if (!s) return null;
    if (hasRole(identity, 'staff') || identity?.service) return s;
    return s.customerId && identity?.userId === s.customerId ? s : null;
  }

  async byId(identity: Identity | undefined, id: string): Promise<ShipmentRecord | null> {
    if (!isUuid(id)) return null;
    return this.visibleTo(identity, await this.store.byId(id));
  }

  positions(id: string, last: number): Promise<PositionRecord[]> {
    return this.store.positions(id, last);
  }

  async list(identity: Identity | undefined, statuses: ShipmentStatus[] | undefined, first: number) {
    requireRole(identity, 'staff');
    return this.store.list({ statuses, first });
  }

  /**
   * Who may follow an order's delivery: its customer and staff. Answers false for anyone else
   * and for an order delivery knows nothing of (the same answer, so ids cannot be probed).
   */
  async mayTrack(identity: Identity | undefined, orderId: string): Promise<boolean> {
    if (!isUuid(orderId) || !identity) return false;
    const shipment = await this.store.byKey(deliveryKey(orderId));
    const booking = shipment ? null : await this.slots.bookingOf(orderId);
    const known = shipment !== null || (booking !== null && booking.hold.details?.address != null);
    if (!known) return false;
    if (hasRole(identity, 'staff')) return true;
    const owner = shipment ? shipment.customerId : (booking!.hold.details?.customerId ?? null);
    return owner !== null && owner === identity.userId;
  }

  // ---- the order's life cycle (order events) ----

  /** CONFIRMED: a delivery order with a booked slot becomes a pending shipment (once). */
  async createForOrder(orderId: string): Promise<ShipmentRecord | null> {
    const existing = await this.store.byKey(deliveryKey(orderId));
    if (existing) return existing;
    const booking = await this.slots.bookingOf(orderId);
    const d = booking?.hold.details;
    if (!booking || booking.hold.status !== 'BOOKED' || !d?.address) return null; // pickup, or no slot
    const origin = await this.origin(d.locationId);
    const destination: Place = {
      name: d.address.recipient,
      phone: d.address.phone,
      address: d.address.line1,
      ward: d.address.ward,
      province: d.address.province,
    };
    const service: ServiceLevel = booking.slot.express ? 'INSTANT' : 'SAME_DAY';
    const request: ShipmentRequest = {
      origin: placeOf(origin),
      destination,
      parcel: {
        reference: d.orderNumber,
        items: [{ name: `Đơn hàng ${d.orderNumber}`, quantity: Math.max(1, d.itemCount) }],
        weightGrams: Math.max(1, d.itemCount) * (this.opts.gramsPerItem ?? 500),
        value: d.value,
        codAmount: d.codAmount,
      },
      service,
      window: { startsAt: booking.slot.startsAt.toISOString(), endsAt: booking.slot.endsAt.toISOString() },
    };
    const { shipment, created } = await this.store.create({
      key: deliveryKey(orderId),
      orderId,
      purpose: 'delivery',
      returnId: null,
      customerId: d.customerId,
      zoneId: booking.slot.zoneId,
      locationId: d.locationId,
      window: { startsAt: booking.slot.startsAt, endsAt: booking.slot.endsAt },
      service,
      request,
      ready: false,
    });
    if (created) {
      this.afterCommit();
      this.logger.info({ shipmentId: shipment.id, orderId }, 'shipment created');
    }
    return shipment;
  }

  /** OUT_FOR_DELIVERY: the goods are ready; book a courier now. */
  async orderReady(orderId: string): Promise<ShipmentRecord | null> {
    const shipment = await this.createForOrder(orderId);
    if (!shipment) return null;
    const ready = await this.store.markReady(deliveryKey(orderId));
    if (!ready) return shipment; // already ready (a redelivered event) or past PENDING
    return (await this.dispatch(ready)) ?? ready;
  }

  /** CANCELLED / EXPIRED: the shipment is cancelled, at the courier too while it still may be. */
  async orderClosed(orderId: string, reason: string): Promise<void> {
    const shipment = await this.store.byKey(deliveryKey(orderId));
    if (!shipment || isFinal(shipment.status)) return;
    if (shipment.provider && shipment.providerRef) {
      const courier = this.byName.get(shipment.provider);
      if (!courier) throw new Error(`${shipment.provider} is not enabled here; cannot cancel ${shipment.id}`);
      try {
        await courier.cancel({ shipmentId: shipment.id, providerRef: shipment.providerRef });
      } catch (err) {
        if (!(err instanceof DeliveryOperationRefused)) throw err; // unavailable: retried by redelivery
        this.logger.warn(
          { shipmentId: shipment.id, code: err.code },
          'the courier refused to cancel a shipment of a closed order; it stays with the courier',
        );
        return;
      }
    }
    if (await this.store.cancel(shipment.id, reason)) this.afterCommit();
  }

  /** A return of a delivered order: a courier picks the goods up from the customer. */
  async returnRequested(orderId: string, returnId: string): Promise<ShipmentRecord | null> {
    const delivery = await this.store.byKey(deliveryKey(orderId));
    if (!delivery || delivery.status !== 'DELIVERED') return null; // picked up at a store, or not delivered
    const request: ShipmentRequest = {
      origin: delivery.request.destination,
      destination: delivery.request.origin,
      parcel: { ...delivery.request.parcel, reference: `${delivery.request.parcel.reference}-R`, codAmount: 0 },
      service: 'SAME_DAY',
    };
    const { shipment, created } = await this.store.create({
      key: returnKey(returnId),
      orderId,
      purpose: 'return',
      returnId,
      customerId: delivery.customerId,
      zoneId: delivery.zoneId,
      locationId: delivery.locationId,
      window: null,
      service: 'SAME_DAY',
      request,
      ready: true,
    });
    if (!created) return shipment;
    this.afterCommit();
    return (await this.dispatch(shipment)) ?? shipment;
  }

  // ---- booking a courier ----

  /** Tries every courier of the zone once; on failure the shipment waits for its next attempt. */
  async dispatch(shipment: ShipmentRecord): Promise<ShipmentRecord | null> {
    const couriers = (await this.couriersFor(shipment.zoneId)).filter((c) => !shipment.leftProviders.includes(c.name));
    const request = bookRequestOf(shipment);
    try {
      const { booking, tried } = await bookWithFallback(couriers, request, {
        as: shipment.purpose === 'return' ? 'return' : 'delivery',
      });
      const note = tried.length
        ? `passed over: ${tried.map((t) => `${t.provider} (${t.error instanceof DeliveryOperationRefused ? t.error.code : 'unavailable'})`).join(', ')}`
        : null;
      const outcome = await this.store.booked(shipment.id, booking, note);
      if (outcome.kind === 'same') return outcome.shipment; // a concurrent attempt recorded it
      if (outcome.kind === 'gone') {
        // Cancelled (or booked elsewhere) while we were booking: give this booking back.
        await this.byName
          .get(booking.provider)
          ?.cancel({ shipmentId: shipment.id, providerRef: booking.providerRef })
          .catch((err) =>
            this.logger.error({ err, shipmentId: shipment.id }, 'could not cancel the booking of a cancelled shipment'),
          );
        return null;
      }
      this.afterCommit();
      this.logger.info(
        { shipmentId: shipment.id, provider: booking.provider, passedOver: tried.length },
        'shipment booked with a courier',
      );
      return outcome.shipment;
    } catch (err) {
      const attempts = shipment.attempts + 1;
      const next =
        attempts >= this.opts.maxAttempts ? null : new Date(Date.now() + this.opts.retryBaseMs * 2 ** (attempts - 1));
      const message =
        err instanceof NoCourierAvailable || err instanceof DeliveryOperationRefused
          ? err.message
          : `unexpected: ${(err as Error).message}`;
      await this.store.attemptFailed(shipment.id, message, next);
      this.logger[next ? 'warn' : 'error'](
        { shipmentId: shipment.id, attempts, next, err: message },
        next ? 'no courier took the shipment; retrying later' : 'no courier took the shipment; waiting for staff',
      );
      return null;
    }
  }

  /** The sweeper: books due shipments (ready ones, and retries). */
  async dispatchDue(limit = 20): Promise<number> {
    const due = await this.store.claimDue(new Date(), 120_000, limit);
    for (const s of due) await this.dispatch(s);
    return due.length;
  }

  /** Staff: try a pending shipment again now. */
  async retry(identity: Identity | undefined, id: string): Promise<ShipmentRecord> {
    requireRole(identity, 'staff');
    const shipment = isUuid(id) ? await this.store.retryNow(id) : null;
    if (!shipment) {
      const s = isUuid(id) ? await this.store.byId(id) : null;
      if (!s) throw notFound('No such shipment.');
      throw conflict(`The shipment is ${s.status}; only a pending one is booked again.`);
    }
    return (await this.dispatch(shipment)) ?? (await this.store.byId(id))!;
  }

  /** Staff: move a booked shipment to another courier — cancel at the old one, then book. */
  async reassign(identity: Identity | undefined, id: string, to: string): Promise<ShipmentRecord> {
    requireRole(identity, 'staff');
    const shipment = isUuid(id) ? await this.store.byId(id) : null;
    if (!shipment) throw notFound('No such shipment.');
    const target = this.provider(to);
    if (!target) throw badInput(`${to} is not an enabled courier here.`, 'provider');
    if (!shipment.provider || !shipment.providerRef || shipment.status === 'PENDING')
      throw conflict('The shipment has no courier yet; retry it instead.');
    if (isFinal(shipment.status)) throw conflict(`The shipment is ${shipment.status}.`);
    if (shipment.provider === target.name) throw conflict(`The shipment is already with ${target.name}.`);
    if (shipment.leftProviders.includes(target.name))
      throw conflict(`The shipment was moved away from ${target.name}; its booking there is cancelled.`);
    const from = this.byName.get(shipment.provider);
    if (!from) throw conflict(`${shipment.provider} is no longer enabled; its booking cannot be cancelled from here.`);
    const ref = { shipmentId: shipment.id, providerRef: shipment.providerRef };
    // Cancel first: two couriers must never both come for the goods.
    try {
      await from.cancel(ref);
    } catch (err) {
      if (err instanceof DeliveryOperationRefused)
        throw new AppError(ErrorCode.CONFLICT, `${from.name} refused to cancel: ${err.message}`, {
          reason: 'COURIER_REFUSED_CANCEL',
          providerCode: err.code,
        });
      if (err instanceof DeliveryProviderUnavailable)
        throw new AppError(ErrorCode.SUBGRAPH_UNAVAILABLE, `${from.name} cannot be reached now; try again.`, {
          reason: 'COURIER_UNAVAILABLE',
        });
      throw err;
    }
    let booking: Booking;
    try {
      booking = await target.book(bookRequestOf(shipment));
    } catch (err) {
      // Cancelled at the old courier, not taken by the new one: no courier now. It is booked
      // again like a new one (the zone's couriers in order, not the one it left) by the dispatcher.
      const why = err instanceof DeliveryOperationRefused ? err.code : 'unavailable';
      await this.store.backToPending(
        shipment.id,
        courierRef(shipment),
        `cancelled at ${from.name}; ${target.name} did not take it (${why})`,
      );
      this.afterCommit();
      throw new AppError(
        ErrorCode.CONFLICT,
        `${target.name} did not take the shipment (${why}); it was cancelled at ${from.name} and is being booked again with the zone's couriers.`,
        { reason: 'COURIER_REFUSED', providerCode: why },
      );
    }
    const moved = await this.store.reassigned(shipment.id, courierRef(shipment), booking);
    // A concurrent move got there first; this booking is the same one (idempotent per shipment
    // id) when it went to the same courier, else it is given back.
    if (!moved) {
      const now = await this.store.byId(shipment.id);
      if (now?.provider !== booking.provider || now.providerRef !== booking.providerRef)
        await target.cancel({ shipmentId: shipment.id, providerRef: booking.providerRef }).catch(() => undefined);
      throw conflict('The shipment was moved by someone else meanwhile.');
    }
    this.afterCommit();
    this.logger.info({ shipmentId: id, from: from.name, to: target.name }, 'shipment moved to another courier');
    return moved;
  }

  // ---- couriers' webhooks ----

  /** Authenticates (throws DeliveryWebhookRejected) and applies a courier's webhook. */
  async webhook(providerName: string, webhook: IncomingWebhook): Promise<WebhookResult> {
    const provider = this.provider(providerName);
    if (!provider) return { kind: 'unknown-provider' };
    const parsed = await provider.parseWebhook(webhook);
    const updates =
      parsed.kind === 'updates' ? parsed.updates : await this.reread(provider, parsed.providerRef).then((u) => u ?? []);
    const outcomes: ApplyOutcome['kind'][] = [];
    for (const u of updates) {
      const outcome = await this.store.apply(u);
      outcomes.push(outcome.kind);
      if (outcome.kind === 'applied') this.afterCommit();
      if (outcome.kind === 'unknown')
        this.logger.warn({ provider: u.provider, providerRef: u.providerRef }, 'webhook for a shipment we do not know');
    }
    return { kind: 'applied', outcomes };
  }

  private async reread(provider: DeliveryProvider, providerRef: string) {
    const shipment = await this.store.byProviderRef(provider.name, providerRef);
    if (!shipment) {
      this.logger.warn({ provider: provider.name, providerRef }, 'webhook for a shipment we do not know');
      return null;
    }
    return [await provider.track({ shipmentId: shipment.id, providerRef })];
  }

  private async origin(locationId: string): Promise<DispatchPoint> {
    const point = await this.store.dispatchPoint(locationId);
    if (!point) throw new Error(`no dispatch point for location ${locationId}: couriers would not know where to go`);
    return point;
  }
}

const courierRef = (s: ShipmentRecord) => ({ provider: s.provider!, providerRef: s.providerRef! });

/**
 * Order.shipment's rule: staff, or the order's customer. A guest order's shipment (no customer) is
 * shown with the order: an Order reaches a client only through orders' fields, which checked the
 * guest's access token.
 */
function visibleWithOrder(identity: Identity | undefined, s: ShipmentRecord | null): ShipmentRecord | null {
  if (!s) return null;
  if (hasRole(identity, 'staff') || s.customerId === null) return s;
  return identity?.userId === s.customerId ? s : null;
}

function placeOf(p: DispatchPoint): Place {
  return {
    name: p.name,
    phone: p.phone,
    address: p.address,
    ward: p.ward,
    province: p.province,
    latitude: p.latitude,
    longitude: p.longitude,
  };
}

/**
 * What the courier is asked for, decided when booking: express slots go INSTANT; a window on a
 * later day than today (Asia/Ho_Chi_Minh) can go NEXT_DAY; anything today SAME_DAY.
 */
export function serviceAt(s: Pick<ShipmentRecord, 'service' | 'request'>, now: Date): ServiceLevel {
  if (s.service === 'INSTANT') return 'INSTANT';
  const startsAt = s.request.window?.startsAt;
  return startsAt && localDay(new Date(startsAt)) > localDay(now) ? 'NEXT_DAY' : 'SAME_DAY';
}

function bookRequestOf(s: ShipmentRecord, now = new Date()): BookRequest {
  const { window, ...rest } = s.request;
  return {
    ...rest,
    service: serviceAt(s, now),
    shipmentId: s.id,
    ...(window ? { window: { startsAt: new Date(window.startsAt), endsAt: new Date(window.endsAt) } } : {}),
  };
}
