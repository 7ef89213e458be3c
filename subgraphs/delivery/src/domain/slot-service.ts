// Listing, holding and booking slots. Listings answer from a cache per zone (or pickup location)
// and local day, evicted by the writes and events that change a slot; the slots of a day are made
// from the templates the first time the day is asked for. Holds take one unit of capacity for
// SLOT_HOLD_SECONDS and expire by themselves; orders' checkout books a hold for its order and
// gives the booking back on every failure, cancellation and expiry.
import {
  AppError,
  ErrorCode,
  hasRole,
  requireRole,
  requireService,
  type EntityCache,
  type Identity,
  type Logger,
  isUuid,
} from '@grocery/platform';
import type { Hold, Scope, SlotStore } from '../data/slot-store';
import type { BookingAddress, BookingDetails } from './booking-details';
import { addDays, atLocal, localDay, type LocalDay } from './local-time';
import { countBooking, countHold } from './slot-metrics';
import {
  daysFrom,
  feeFor,
  nextBookable,
  serviceLevel,
  slotState,
  windowsOn,
  type Fees,
  type ServiceLevel,
  type Slot,
  type SlotState,
} from './slot-rules';
import { matchWard } from './ward-match';
import type { Zone, ZoneDirectory } from './zone-directory';

export interface SlotSettings {
  holdSeconds: number;
  maxLiveHoldsPerClient: number;
  /** How many days ahead slots are listed and held (today counts as one). */
  maxDays: number;
  maxItemsPerHold: number;
  fees: Fees;
  /** False: every listing reads the database (benchmarks' like-for-like path). */
  cache: boolean;
}

export interface SlotView extends Slot {
  state: SlotState;
  remaining: number;
  fee: number;
  service: ServiceLevel;
}

export interface Caller {
  identity?: Identity;
  clientKey: string;
}

/** What a cached day holds: its slots with ISO times (JSON). */
type CachedSlot = Omit<Slot, 'startsAt' | 'endsAt' | 'cutoffAt'> & {
  startsAt: string;
  endsAt: string;
  cutoffAt: string;
};

export type HoldResult =
  | { kind: 'held'; hold: Hold; slot: SlotView }
  | { kind: 'full'; slot: SlotView; nextSlots: SlotView[] }
  | { kind: 'unavailable'; slot: SlotView; reason: 'PAST' | 'CUT_OFF' | 'CLOSED'; nextSlots: SlotView[] };

export interface BookInput {
  holdId: string;
  orderId: string;
  orderNumber: string;
  customerId: string | null;
  clientKey: string;
  kind: 'DELIVERY' | 'PICKUP';
  locationId: string;
  address: Omit<BookingAddress, 'wardCode'> | null;
  value: number;
  codAmount: number;
  itemCount: number;
  locale: 'en' | 'vi';
}

export type BookRefusal = 'HOLD_NOT_FOUND' | 'HOLD_EXPIRED' | 'WRONG_SLOT' | 'NOT_DELIVERED_HERE' | 'SLOT_ITEMS_FULL';
export type BookResult =
  | { kind: 'booked'; hold: Hold; slot: Slot; fee: number; service: ServiceLevel }
  | { kind: 'refused'; reason: BookRefusal; message: string };

const NEXT_SLOTS = 3;

const scopeKey = (scope: Scope) => (scope.zoneId ? `z:${scope.zoneId}` : `l:${scope.locationId}`);
const scopeOf = (slot: Pick<Slot, 'zoneId' | 'locationId'>): Scope =>
  slot.zoneId ? { zoneId: slot.zoneId } : { locationId: slot.locationId! };

export class SlotService {
  /** Days (per zone or location) whose slots this process has made or seen made: no templates read for them again. */
  private readonly made = new Set<string>();

  constructor(
    private readonly store: SlotStore,
    private readonly zones: ZoneDirectory,
    private readonly cache: EntityCache<CachedSlot[]>,
    private readonly settings: SlotSettings,
    private readonly logger: Logger,
    private readonly afterCommit: () => void,
    private readonly now: () => Date = () => new Date(),
  ) {}

  // ---- listing ----

  async deliverySlots(zoneId: string, days: number, orderValue?: number | null): Promise<SlotView[]> {
    this.checkDays(days);
    if (orderValue !== undefined && orderValue !== null && (orderValue < 0 || !Number.isSafeInteger(orderValue)))
      throw new AppError(ErrorCode.BAD_USER_INPUT, 'orderValue must be a whole number of đồng, 0 or more.', {
        field: 'orderValue',
      });
    const zone = await this.zones.get(zoneId);
    if (!zone) throw new AppError(ErrorCode.NOT_FOUND, `No delivery zone ${zoneId}.`, { field: 'zoneId' });
    return this.listing({ zoneId }, days, orderValue);
  }

  async pickupSlots(locationId: string, days: number): Promise<SlotView[]> {
    this.checkDays(days);
    if (locationId.length > 100)
      throw new AppError(ErrorCode.BAD_USER_INPUT, 'locationId is too long.', { field: 'locationId' });
    return this.listing({ locationId }, days, null);
  }

  async slot(slotId: string): Promise<SlotView | null> {
    if (!isUuid(slotId)) return null;
    const slot = await this.store.get(slotId);
    return slot ? this.view(slot, this.now(), null) : null;
  }

  private checkDays(days: number): void {
    if (!Number.isInteger(days) || days < 1 || days > this.settings.maxDays)
      throw new AppError(ErrorCode.BAD_USER_INPUT, `days must be between 1 and ${this.settings.maxDays}.`, {
        field: 'days',
        max: this.settings.maxDays,
      });
  }

  private async listing(scope: Scope, days: number, orderValue: number | null | undefined): Promise<SlotView[]> {
    const now = this.now();
    const perDay = await Promise.all(daysFrom(now, days).map((day) => this.day(scope, day)));
    return perDay
      .flat()
      .filter((slot) => slot.startsAt.getTime() > now.getTime())
      .map((slot) => this.view(slot, now, orderValue));
  }

  private view(slot: Slot, now: Date, orderValue: number | null | undefined): SlotView {
    return {
      ...slot,
      state: slotState(slot, now),
      remaining: Math.max(0, slot.capacity - slot.taken),
      fee: feeFor(slot, now, this.settings.fees, orderValue),
      service: serviceLevel(slot, now),
    };
  }

  /** A local day's slots of a zone or location: cached, made from the templates on first ask. */
  private async day(scope: Scope, day: LocalDay): Promise<Slot[]> {
    const key = `${scopeKey(scope)}:${day}`;
    const cached = this.settings.cache ? await this.cache.get(key) : undefined;
    if (cached) return cached.map(revive);
    const from = dayStart(day);
    const to = dayStart(addDays(day, 1));
    let slots = await this.store.list(scope, from, to);
    if (!this.made.has(key)) slots = await this.make(scope, day, slots);
    if (this.settings.cache)
      await this.cache.set(
        key,
        slots.map((s) => ({
          ...s,
          startsAt: s.startsAt.toISOString(),
          endsAt: s.endsAt.toISOString(),
          cutoffAt: s.cutoffAt.toISOString(),
        })),
      );
    return slots;
  }

  /** Makes the day's slots its templates give that do not exist yet; answers the day's slots. */
  private async make(scope: Scope, day: LocalDay, slots: Slot[]): Promise<Slot[]> {
    const templates = await this.store.templatesFor(scope);
    const have = new Set(slots.map((s) => `${s.templateId}@${s.startsAt.getTime()}`));
    const missing = templates.flatMap((template) =>
      windowsOn(template, day)
        .filter((window) => !have.has(`${template.id}@${window.startsAt.getTime()}`))
        .map((window) => ({ template, window })),
    );
    if (missing.length > 0) {
      await this.store.insertSlots(missing);
      slots = await this.store.list(scope, dayStart(day), dayStart(addDays(day, 1)));
    }
    if (this.made.size >= 10_000) this.made.clear();
    this.made.add(`${scopeKey(scope)}:${day}`);
    return slots;
  }

  /** Evicts the cached days of changed slots (after commit, and again when their events arrive). */
  async evict(changes: readonly { zoneId: string | null; locationId: string | null; day: LocalDay }[]): Promise<void> {
    const keys = [
      ...new Set(
        changes.map((c) => `${scopeKey(c.zoneId ? { zoneId: c.zoneId } : { locationId: c.locationId! })}:${c.day}`),
      ),
    ];
    if (keys.length > 0) await this.cache.delete(keys);
  }

  /** Evicts every cached day of a zone or location (or of all of them: a holiday). */
  async evictSchedule(zoneId: string | null, locationId: string | null): Promise<void> {
    const today = localDay(this.now());
    const days = Array.from({ length: this.settings.maxDays + 1 }, (_, i) => addDays(today, i - 1));
    const scopes: Scope[] = [];
    if (zoneId) scopes.push({ zoneId });
    if (locationId) scopes.push({ locationId });
    if (!zoneId && !locationId) {
      for (const z of await this.zones.all()) scopes.push({ zoneId: z.id });
      for (const id of await this.pickupLocations()) scopes.push({ locationId: id });
    }
    const keys = scopes.flatMap((s) => days.map((d) => `${scopeKey(s)}:${d}`));
    // Templates changed: the days are made again from them on the next listing.
    for (const key of keys) this.made.delete(key);
    if (keys.length > 0) await this.cache.delete(keys);
  }

  private async pickupLocations(): Promise<string[]> {
    return this.store.pickupLocationIds();
  }

  private async evictSlots(slots: readonly { zone_id: string | null; location_id: string | null; starts_at: Date }[]) {
    this.afterCommit();
    await this.evict(
      slots.map((s) => ({ zoneId: s.zone_id, locationId: s.location_id, day: localDay(s.starts_at) })),
    ).catch((err) =>
      this.logger.warn({ err }, 'slot listing cache: eviction failed; the slot_changed event evicts it again'),
    );
  }

  // ---- holds ----

  async hold(caller: Caller, slotId: string, items: number): Promise<HoldResult> {
    const result = await this.tryHold(caller, slotId, items);
    countHold(result.kind);
    return result;
  }

  private async tryHold(caller: Caller, slotId: string, items: number): Promise<HoldResult> {
    if (!Number.isInteger(items) || items < 0 || items > this.settings.maxItemsPerHold)
      throw new AppError(ErrorCode.BAD_USER_INPUT, `items must be between 0 and ${this.settings.maxItemsPerHold}.`, {
        field: 'items',
        max: this.settings.maxItemsPerHold,
      });
    if (!isUuid(slotId)) throw new AppError(ErrorCode.NOT_FOUND, `No slot ${slotId}.`, { field: 'slotId' });
    const now = this.now();
    const outcome = await this.store.hold({
      slotId,
      customerId: caller.identity?.userId ?? null,
      clientKey: holderKey(caller),
      items,
      expiresAt: new Date(now.getTime() + this.settings.holdSeconds * 1000),
      now,
      maxLivePerClient: this.settings.maxLiveHoldsPerClient,
    });
    if (outcome.kind === 'limit')
      throw new AppError(
        ErrorCode.RATE_LIMITED,
        `At most ${this.settings.maxLiveHoldsPerClient} slots may be held at once; release one or let it expire.`,
        { limit: 'slotHolds', max: this.settings.maxLiveHoldsPerClient },
      );
    if (outcome.kind === 'held') {
      await this.evictSlots([outcome.slot]);
      const slot = await this.store.get(slotId);
      return { kind: 'held', hold: outcome.hold, slot: this.view(slot!, now, null) };
    }
    const slot = await this.store.get(slotId);
    if (!slot) throw new AppError(ErrorCode.NOT_FOUND, `No slot ${slotId}.`, { field: 'slotId' });
    const view = this.view(slot, now, null);
    const nextSlots = await this.nextSlots(slot, now);
    const state = slotState(slot, now, items);
    if (state === 'FULL' || state === 'OPEN') return { kind: 'full', slot: view, nextSlots };
    return { kind: 'unavailable', slot: view, reason: state, nextSlots };
  }

  /** The next bookable slots of the same zone or location after `slot`, over the listing horizon. */
  private async nextSlots(slot: Slot, now: Date): Promise<SlotView[]> {
    const scope = scopeOf(slot);
    const out: Slot[] = [];
    for (const day of daysFrom(now, this.settings.maxDays)) {
      if (day < localDay(slot.startsAt)) continue;
      out.push(...nextBookable(await this.day(scope, day), slot.startsAt, now, NEXT_SLOTS - out.length, slot.id));
      if (out.length >= NEXT_SLOTS) break;
    }
    return out.map((s) => this.view(s, now, null));
  }

  async holdById(caller: Caller, holdId: string): Promise<Hold | null> {
    if (!isUuid(holdId)) return null;
    const hold = await this.store.getHold(holdId);
    if (!hold || !this.mayUse(caller, hold)) return null;
    return hold;
  }

  /** The holder gives a live hold back. False when it was not live (booked, released, expired). */
  async release(caller: Caller, holdId: string): Promise<boolean> {
    const hold = await this.holdById(caller, holdId);
    if (!hold) throw new AppError(ErrorCode.NOT_FOUND, `No slot hold ${holdId}.`, { field: 'holdId' });
    const released = await this.store.release(holdId);
    if (released) await this.evictSlots(released.slots);
    return released !== null;
  }

  /** Holds past their time give their capacity back. */
  async expireHolds(limit = 500): Promise<number> {
    const { holds, slots } = await this.store.expire(this.now(), limit);
    if (holds.length > 0) await this.evictSlots(slots);
    return holds.length;
  }

  private mayUse(caller: Caller, hold: Hold): boolean {
    if (hasRole(caller.identity, 'staff')) return true;
    if (hold.customerId) return caller.identity?.userId === hold.customerId;
    return hold.clientKey === holderKey(caller);
  }

  // ---- bookings (orders' checkout) ----

  async book(identity: Identity | undefined, input: BookInput): Promise<BookResult> {
    const result = await this.tryBook(identity, input);
    countBooking(result.kind === 'booked' ? 'booked' : result.reason);
    return result;
  }

  private async tryBook(identity: Identity | undefined, input: BookInput): Promise<BookResult> {
    requireService(identity, 'orders');
    const refuse = (reason: BookRefusal, message: string): BookResult => ({ kind: 'refused', reason, message });
    if (!isUuid(input.holdId)) return refuse('HOLD_NOT_FOUND', 'No such slot hold.');
    const hold = await this.store.getHold(input.holdId);
    // A hold is used only by whoever made it: the same customer, or the same guest client.
    const owner = input.customerId
      ? hold?.customerId === input.customerId
      : hold?.clientKey === input.clientKey && !hold.customerId;
    if (!hold || !owner) return refuse('HOLD_NOT_FOUND', 'No such slot hold for this customer.');
    const slot = await this.store.get(hold.slotId);
    if (!slot) return refuse('HOLD_NOT_FOUND', 'The held slot no longer exists.');
    if (slot.kind !== input.kind)
      return refuse(
        'WRONG_SLOT',
        `The held slot is a ${slot.kind.toLowerCase()} slot, the order is for ${input.kind.toLowerCase()}.`,
      );
    let wardCode: string | null = null;
    if (input.kind === 'PICKUP') {
      if (slot.locationId !== input.locationId)
        return refuse('WRONG_SLOT', 'The held pickup slot is at another location.');
    } else {
      const zone = slot.zoneId ? await this.zones.get(slot.zoneId) : null;
      if (!zone || !input.address) return refuse('NOT_DELIVERED_HERE', 'The held slot’s zone does not deliver there.');
      if (!zone.locationIds.includes(input.locationId))
        return refuse('NOT_DELIVERED_HERE', `Zone ${zone.id} is not delivered from ${input.locationId}.`);
      const ward = matchWard(zone, input.address.ward, input.address.province);
      if (!ward) return refuse('NOT_DELIVERED_HERE', `Zone ${zone.id} does not deliver to ${input.address.ward}.`);
      wardCode = ward.code;
    }
    const now = this.now();
    const fee = feeFor(slot, now, this.settings.fees, input.value);
    const details: BookingDetails = {
      orderNumber: input.orderNumber,
      customerId: input.customerId,
      locationId: input.locationId,
      address: input.address ? { ...input.address, wardCode } : null,
      value: input.value,
      // Cash on delivery collects the goods and the fee.
      codAmount: input.codAmount > 0 ? input.codAmount + fee : 0,
      itemCount: input.itemCount,
      fee,
      locale: input.locale,
    };
    const outcome = await this.store.book(input.holdId, input.orderId, details, now);
    if (outcome.kind === 'not-found') return refuse('HOLD_NOT_FOUND', 'No such slot hold.');
    if (outcome.kind === 'expired') return refuse('HOLD_EXPIRED', 'The slot hold expired; hold a slot again.');
    if (outcome.kind === 'taken') return refuse('HOLD_NOT_FOUND', 'The slot hold is booked by another order.');
    if (outcome.kind === 'items-full')
      return refuse(
        'SLOT_ITEMS_FULL',
        `The slot has no room for ${input.itemCount} items (the hold was for ${outcome.hold.items}); hold another slot.`,
      );
    this.afterCommit();
    const booked = outcome.hold.details?.fee ?? fee;
    return { kind: 'booked', hold: outcome.hold, slot, fee: booked, service: serviceLevel(slot, now) };
  }

  /** Gives an order's booking back (idempotent). */
  async releaseBooking(identity: Identity | undefined, orderId: string): Promise<boolean> {
    requireService(identity, 'orders');
    return this.releaseOrder(orderId);
  }

  /** The same, from orders' order.cancelled / order.expired events. */
  async releaseOrder(orderId: string): Promise<boolean> {
    if (!isUuid(orderId)) return false;
    const released = await this.store.releaseBooking(orderId);
    if (released) await this.evictSlots(released.slots);
    return released !== null;
  }

  async bookingOf(orderId: string): Promise<{ hold: Hold; slot: Slot } | null> {
    if (!isUuid(orderId)) return null;
    const hold = await this.store.holdOfOrder(orderId);
    if (!hold) return null;
    const slot = await this.store.get(hold.slotId);
    return slot ? { hold, slot } : null;
  }

  // ---- staff ----

  async setCapacity(identity: Identity | undefined, slotId: string, capacity: number): Promise<SlotView> {
    requireRole(identity, 'staff');
    if (!Number.isInteger(capacity) || capacity < 0 || capacity > 100_000)
      throw new AppError(ErrorCode.BAD_USER_INPUT, 'capacity must be between 0 and 100000.', { field: 'capacity' });
    if (!isUuid(slotId)) throw new AppError(ErrorCode.NOT_FOUND, `No slot ${slotId}.`, { field: 'slotId' });
    const changed = await this.store.setCapacity(slotId, capacity);
    if (changed === undefined) throw new AppError(ErrorCode.NOT_FOUND, `No slot ${slotId}.`, { field: 'slotId' });
    if (changed === null) {
      const slot = await this.store.get(slotId);
      throw new AppError(
        ErrorCode.CONFLICT,
        `This slot already has ${slot?.taken ?? 'more'} held or booked; its capacity cannot go below that.`,
        { field: 'capacity', reason: 'CAPACITY_BELOW_TAKEN', taken: slot?.taken },
      );
    }
    await this.evictSlots([changed]);
    const slot = await this.store.get(slotId);
    return this.view(slot!, this.now(), null);
  }

  zone(id: string): Promise<Zone | null> {
    return this.zones.get(id);
  }
}

function holderKey(caller: Caller): string {
  return caller.identity ? `user:${caller.identity.userId}` : caller.clientKey;
}

const dayStart = (day: LocalDay): Date => atLocal(day, 0);

function revive(c: CachedSlot): Slot {
  return { ...c, startsAt: new Date(c.startsAt), endsAt: new Date(c.endsAt), cutoffAt: new Date(c.cutoffAt) };
}
