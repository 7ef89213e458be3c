// Stock rules: who may change stock, input checks, and what follows a commit (cache eviction,
// waking the outbox relay). The repositories make each change atomic with its event.
import {
  forbidden,
  conflict,
  hasRole,
  notFound,
  requireIdentity,
  requireRole,
  type Identity,
  type Logger,
} from '@grocery/platform';
import type { ReservationRepository } from '../data/reservation-repository';
import type { StockLevelRepository } from '../data/stock-level-repository';
import type { AvailabilityService } from './availability-service';
import type { CustomerReservationLimits, ReservationRecord, ReserveOutcome } from './reservation';
import type { StockChange } from './stock-change';
import type { StockLevelRecord } from './stock-level';
import {
  validateAdjustment,
  validateReservation,
  validReservationId,
  type Adjustment,
  type ReservationRequest,
} from './stock-rules';

/**
 * A reservation that found too few units retries when a re-read shows enough came back in
 * between (a release or expiry), so OutOfStock reports an available figure below what was
 * asked unless stock keeps churning through every attempt.
 */
const RESERVE_ATTEMPTS = 3;
/** Overdue reservations expired per transaction: bounds how long one sweep holds row locks. */
const EXPIRY_BATCH = 200;

export interface StockServiceOptions {
  reservationTtlSeconds: number;
  /** Caps for customers; staff reserve without them (store operations). */
  customerLimits: CustomerReservationLimits;
  /** Runs after every commit that appended events (wakes the outbox relay). */
  afterCommit: () => void;
  logger: Logger;
}

export class StockService {
  constructor(
    private readonly levels: StockLevelRepository,
    private readonly reservations: ReservationRepository,
    private readonly availability: AvailabilityService,
    private readonly options: StockServiceOptions,
  ) {}

  /** Staff: add or remove on-hand units at a location, with a reason kept in the audit trail. */
  async adjustStock(identity: Identity | undefined, input: Adjustment): Promise<StockLevelRecord> {
    const who = requireRole(identity, 'staff');
    const change = await this.levels.adjust(validateAdjustment(input), who.userId);
    await this.committed([change]);
    return levelOf(change);
  }

  /** Any signed-in user: hold units during checkout until released or expired, within the customer caps. */
  async reserveStock(identity: Identity | undefined, input: ReservationRequest): Promise<ReserveOutcome> {
    const who = requireIdentity(identity);
    const req = validateReservation(input);
    const limits = hasRole(who, 'staff') ? undefined : this.options.customerLimits;
    for (let attempt = 1; ; attempt++) {
      const placed = await this.reservations.reserve(req, who.userId, this.options.reservationTtlSeconds, limits);
      if (placed && 'overLimit' in placed)
        return { kind: 'limit_reached', requested: req.quantity, ...placed.overLimit };
      if (placed) {
        await this.committed([placed.change]);
        return { kind: 'reserved', reservation: placed.reservation };
      }
      const available = await this.reservations.availableAt(req.sku, req.locationId);
      if (available === null) throw notFound(`No location with id ${req.locationId}.`);
      if (available < req.quantity || attempt >= RESERVE_ATTEMPTS)
        return { kind: 'out_of_stock', sku: req.sku, locationId: req.locationId, requested: req.quantity, available };
    }
  }

  /**
   * The owner (or staff) gives a reservation's units back. Releasing one that is already
   * released or expired changes nothing and answers its current state, so a client may retry.
   */
  async releaseStock(identity: Identity | undefined, reservationId: string): Promise<ReservationRecord> {
    const who = requireIdentity(identity);
    const id = validReservationId(reservationId);
    const existing = await this.reservations.findById(id);
    if (!existing) throw notFound(`No reservation with id ${id}.`);
    if (existing.ownerId !== who.userId && !hasRole(who, 'staff'))
      throw forbidden('This reservation belongs to someone else.');
    if (existing.status === 'CONSUMED')
      throw conflict('This reservation is part of an order and can no longer be released.');
    if (existing.status !== 'ACTIVE') return existing;
    const released = await this.reservations.release(id);
    if (!released) return (await this.reservations.findById(id)) ?? existing; // the sweeper got there first
    await this.committed([released.change]);
    return released.reservation;
  }

  /** Expires every overdue reservation, a batch per transaction; returns how many expired. */
  async expireDueReservations(): Promise<number> {
    let total = 0;
    for (;;) {
      const { expired, changes } = await this.reservations.expireDue(EXPIRY_BATCH);
      total += expired;
      if (changes.length > 0) await this.committed(changes);
      if (expired < EXPIRY_BATCH) return total;
    }
  }

  /** After commit: the events should go now, and no replica should serve the old availability. */
  private async committed(changes: readonly StockChange[]): Promise<void> {
    this.options.afterCommit();
    try {
      await this.availability.evict(changes.map((c) => c.sku));
    } catch (err) {
      // The change is committed; failing the caller now would invite a duplicate retry. The
      // stock.level_changed consumer evicts again (with retries) once the event goes out.
      this.options.logger.warn(
        { err, skus: changes.map((c) => c.sku) },
        'could not evict availability after a stock change',
      );
    }
  }
}

function levelOf(change: StockChange): StockLevelRecord {
  return {
    sku: change.sku,
    locationId: change.locationId,
    onHand: change.onHand,
    reserved: change.reserved,
    updatedAt: change.changedAt,
  };
}
