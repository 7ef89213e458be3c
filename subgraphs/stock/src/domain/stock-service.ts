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
import type { LotRepository } from '../data/lot-repository';
import type { ReservationRepository } from '../data/reservation-repository';
import type { LowStockRow, StockLevelRepository } from '../data/stock-level-repository';
import type { AfterCommit } from './after-commit';
import type { LotRecord } from './lot';
import type { CustomerReservationLimits, ReservationRecord, ReserveOutcome } from './reservation';
import type { StockChange } from './stock-change';
import { countReservation } from './stock-metrics';
import type { StockLevelRecord } from './stock-level';
import {
  MAX_LOTS_LISTED,
  validateAdjustment,
  validateReceipt,
  validateReservation,
  validLocationId,
  validLowStockPageSize,
  validLowStockThreshold,
  validReservationId,
  validSku,
  type Adjustment,
  type Receipt,
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
/** Levels with expired lots written off per run of the expiry job (each its own transaction). */
const WRITE_OFF_BATCH = 100;

export interface StockServiceOptions {
  reservationTtlSeconds: number;
  /** Caps for customers; staff reserve without them (store operations). */
  customerLimits: CustomerReservationLimits;
  /** Runs after every commit that changed levels (wakes the outbox relay, evicts availability). */
  afterCommit: AfterCommit;
  logger: Logger;
}

export class StockService {
  constructor(
    private readonly levels: StockLevelRepository,
    private readonly reservations: ReservationRepository,
    private readonly lots: LotRepository,
    private readonly options: StockServiceOptions,
  ) {}

  /** Staff: add or remove on-hand units at a location, with a reason kept in the audit trail. */
  async adjustStock(identity: Identity | undefined, input: Adjustment): Promise<StockLevelRecord> {
    const who = requireRole(identity, 'staff');
    const change = await this.levels.adjust(validateAdjustment(input), who.userId);
    await this.committed([change]);
    return levelOf(change);
  }

  /**
   * Staff: units received at a location (a delivery). With `expiresAt` they form a lot, which
   * picking, removals and the expiry job consume first-expiry-first.
   */
  async receiveStock(identity: Identity | undefined, input: Receipt): Promise<StockLevelRecord> {
    const who = requireRole(identity, 'staff');
    const { change } = await this.levels.receive(validateReceipt(input), who.userId);
    await this.committed([change]);
    return levelOf(change);
  }

  /** Staff: a SKU's live lots (at one location or all), earliest expiry first, at most MAX_LOTS_LISTED. */
  async stockLots(identity: Identity | undefined, sku: string, locationId?: string | null): Promise<LotRecord[]> {
    requireRole(identity, 'staff');
    return this.levels.liveLots(validSku(sku), locationId ? validLocationId(locationId) : null, MAX_LOTS_LISTED);
  }

  /** Staff: a location's levels below its low-stock threshold, fewest available first. */
  async lowStock(
    identity: Identity | undefined,
    locationId: string,
    first: number,
    after: { available: number; sku: string } | null,
  ): Promise<{ levels: LowStockRow[]; hasNextPage: boolean }> {
    requireRole(identity, 'staff');
    const size = validLowStockPageSize(first);
    const rows = await this.levels.lowStock(validLocationId(locationId), after, size + 1);
    return { levels: rows.slice(0, size), hasNextPage: rows.length > size };
  }

  /** Staff: below how many available units a location's levels count as low. */
  async setLowStockThreshold(identity: Identity | undefined, locationId: string, threshold: number): Promise<number> {
    requireRole(identity, 'staff');
    const id = validLocationId(locationId);
    if (!(await this.levels.setLowStockThreshold(id, validLowStockThreshold(threshold))))
      throw notFound(`No location with id ${id}.`);
    return threshold;
  }

  /**
   * Writes off every lot past its expiry (the expiry job); returns the levels written off.
   * Replicas may run it side by side: each level is written off under its row lock, once.
   */
  async writeOffExpiredLots(): Promise<number> {
    let total = 0;
    for (;;) {
      const due = await this.lots.dueLevels(WRITE_OFF_BATCH);
      for (const { sku, locationId } of due) {
        const done = await this.lots.writeOffExpired(sku, locationId);
        if (!done) continue;
        total++;
        if (done.writtenOff < done.expired)
          this.options.logger.warn(
            { sku, locationId, expired: done.expired, writtenOff: done.writtenOff, reserved: done.change.reserved },
            'expired lots hold units that orders have reserved: wrote off only down to the reserved units; those orders will come up short at picking',
          );
        await this.committed([done.change]);
      }
      if (due.length < WRITE_OFF_BATCH) return total;
    }
  }

  /** Any signed-in user: hold units during checkout until released or expired, within the customer caps. */
  async reserveStock(identity: Identity | undefined, input: ReservationRequest): Promise<ReserveOutcome> {
    const outcome = await this.reserve(identity, input);
    countReservation('customer', outcome.kind);
    return outcome;
  }

  private async reserve(identity: Identity | undefined, input: ReservationRequest): Promise<ReserveOutcome> {
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

  private committed(changes: readonly StockChange[]): Promise<void> {
    return this.options.afterCommit(changes);
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
