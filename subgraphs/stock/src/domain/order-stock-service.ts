// Stock for the orders subgraph (service-to-service only: requireService 'orders'), and the
// release that order.cancelled / order.expired trigger. The rules of the states are in order-stock.ts.
import { requireService, type Identity } from '@grocery/platform';
import type { OrderStockRepository } from '../data/order-stock-repository';
import type { AfterCommit } from './after-commit';
import {
  validateOrderStockRequest,
  validLines,
  validOrderId,
  type OrderStockLine,
  type OrderStockRecord,
  type OrderStockRequest,
  type ReserveOrderOutcome,
} from './order-stock';
import { countReservation } from './stock-metrics';
import { validLocationId } from './stock-rules';

const ORDERS = 'orders';
/** Overdue order holds expired per transaction (bounds how long one sweep holds row locks). */
const EXPIRY_BATCH = 200;

export class OrderStockService {
  constructor(
    private readonly repo: OrderStockRepository,
    private readonly afterCommit: AfterCommit,
  ) {}

  async orderStockReservation(identity: Identity | undefined, orderId: string): Promise<OrderStockRecord | null> {
    requireService(identity, ORDERS);
    return this.repo.find(validOrderId(orderId));
  }

  /** All lines' units or none; idempotent by order id (the same lines answer the same reservation). */
  async reserveOrderStock(identity: Identity | undefined, input: OrderStockRequest): Promise<ReserveOrderOutcome> {
    requireService(identity, ORDERS);
    const { changes, ...outcome } = await this.repo.reserve(validateOrderStockRequest(input));
    await this.afterCommit(changes);
    countReservation('order', outcome.kind);
    return outcome;
  }

  async allocateOrderStock(identity: Identity | undefined, orderId: string): Promise<OrderStockRecord> {
    requireService(identity, ORDERS);
    return this.repo.allocate(validOrderId(orderId));
  }

  async releaseOrderStock(identity: Identity | undefined, orderId: string): Promise<OrderStockRecord | null> {
    requireService(identity, ORDERS);
    return this.releaseForOrder(validOrderId(orderId));
  }

  /** Also what the order.cancelled / order.expired consumer runs. Idempotent. */
  async releaseForOrder(orderId: string): Promise<OrderStockRecord | null> {
    const released = await this.repo.release(orderId);
    if (!released) return null;
    await this.afterCommit(released.changes);
    return released.reservation;
  }

  async pickOrderStock(
    identity: Identity | undefined,
    input: { orderId: string; lines: OrderStockLine[] },
  ): Promise<OrderStockRecord> {
    requireService(identity, ORDERS);
    const { reservation, changes } = await this.repo.pick(validOrderId(input.orderId), validLines(input.lines, true));
    await this.afterCommit(changes);
    return reservation;
  }

  /** Units restocked (the first call's, for a repeated return id). */
  async restockReturn(
    identity: Identity | undefined,
    input: { returnId: string; locationId: string; lines: OrderStockLine[] },
  ): Promise<number> {
    requireService(identity, ORDERS);
    const { units, changes } = await this.repo.restockReturn(
      validOrderId(input.returnId, 'returnId'),
      validLocationId(input.locationId),
      validLines(input.lines),
    );
    await this.afterCommit(changes);
    return units;
  }

  /** The sweeper: RESERVED holds past expiresAt become EXPIRED, their units back. */
  async expireDue(): Promise<number> {
    let total = 0;
    for (;;) {
      const { expired, changes } = await this.repo.expireDue(EXPIRY_BATCH);
      total += expired;
      await this.afterCommit(changes);
      if (expired < EXPIRY_BATCH) return total;
    }
  }
}
