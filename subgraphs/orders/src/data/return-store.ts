// Returns in PostgreSQL: requested per order line, received and settled by staff. Each write locks
// the order row first (the same lock order changes take), so two returns of one order cannot
// both take the last returnable units, and a settlement is written with its events at once.
import { randomUUID } from 'node:crypto';
import { appendToOutbox, type DomainEvent, type SqlClient } from '@grocery/platform';
import { ORDERS_TOPIC } from '../events/order-events';
import type { OrdersDb } from './db';

export type ReturnStatus = 'REQUESTED' | 'RECEIVED' | 'REFUNDED' | 'REJECTED';

export interface ReturnLineRecord {
  linePosition: number;
  quantity: number;
  reason: string;
  receivedQuantity: number | null;
  damagedQuantity: number | null;
  restock: boolean;
}

export interface ReturnRecord {
  id: string;
  orderId: string;
  customerId: string | null;
  status: ReturnStatus;
  refundTotal: number;
  requestedAt: Date;
  receivedAt: Date | null;
  closedAt: Date | null;
  lines: ReturnLineRecord[];
}

type Row = Omit<ReturnRecord, 'status'> & { status: string };

const toRecord = (r: Row): ReturnRecord => ({
  ...r,
  status: r.status as ReturnStatus,
  lines: r.lines.map((l) => ({ ...l })).sort((a, b) => a.linePosition - b.linePosition),
});

export class ReturnStore {
  constructor(private readonly db: OrdersDb) {}

  async byId(id: string): Promise<ReturnRecord | null> {
    const r = await this.db.orderReturn.findUnique({ where: { id }, include: { lines: true } });
    return r ? toRecord(r) : null;
  }

  async ofOrder(orderId: string): Promise<ReturnRecord[]> {
    const rows = await this.db.orderReturn.findMany({
      where: { orderId },
      include: { lines: true },
      orderBy: { requestedAt: 'asc' },
    });
    return rows.map(toRecord);
  }

  /**
   * Creates a return under the order's lock; `check` sees the order's other returns and throws to refuse.
   */
  async request(
    orderId: string,
    customerId: string | null,
    lines: { linePosition: number; quantity: number; reason: string }[],
    check: (existing: ReturnRecord[]) => void,
    events: (r: ReturnRecord) => DomainEvent[],
  ): Promise<ReturnRecord> {
    return this.db.$transaction(async (tx) => {
      await tx.$queryRawUnsafe(`SELECT id FROM customer_order WHERE id = $1::uuid FOR UPDATE`, orderId);
      const existing = (await tx.orderReturn.findMany({ where: { orderId }, include: { lines: true } })).map(toRecord);
      check(existing);
      const created = await tx.orderReturn.create({
        data: { id: randomUUID(), orderId, customerId, status: 'REQUESTED', lines: { create: lines } },
        include: { lines: true },
      });
      const record = toRecord(created);
      await appendToOutbox(tx as unknown as SqlClient, ORDERS_TOPIC, events(record));
      return record;
    });
  }

  /**
   * Settles a REQUESTED return (received, refunded or rejected) with what staff recorded, the
   * order lines' returned units and the payment's refunded total, in one transaction.
   * Null when it was settled meanwhile.
   */
  async settle(
    returnId: string,
    orderId: string,
    outcome: {
      status: 'REFUNDED' | 'REJECTED';
      refundTotal: number;
      lines: { linePosition: number; receivedQuantity: number; damagedQuantity: number; restock: boolean }[];
      payment?: { id: string; refunded: number; status: 'PARTIALLY_REFUNDED' | 'REFUNDED' | 'CAPTURED' };
    },
    events: (r: ReturnRecord) => DomainEvent[],
  ): Promise<ReturnRecord | null> {
    return this.db.$transaction(async (tx) => {
      await tx.$queryRawUnsafe(`SELECT id FROM customer_order WHERE id = $1::uuid FOR UPDATE`, orderId);
      const moved = await tx.orderReturn.updateMany({
        where: { id: returnId, status: 'REQUESTED' },
        data: {
          status: outcome.status,
          refundTotal: outcome.refundTotal,
          receivedAt: new Date(),
          closedAt: new Date(),
        },
      });
      if (moved.count !== 1) return null;
      for (const l of outcome.lines) {
        await tx.returnLine.update({
          where: { returnId_linePosition: { returnId, linePosition: l.linePosition } },
          data: { receivedQuantity: l.receivedQuantity, damagedQuantity: l.damagedQuantity, restock: l.restock },
        });
        if (outcome.status === 'REFUNDED')
          await tx.orderLine.update({
            where: { orderId_position: { orderId, position: l.linePosition } },
            data: { returnedQuantity: { increment: l.receivedQuantity } },
          });
      }
      if (outcome.payment)
        await tx.payment.update({
          where: { id: outcome.payment.id },
          data: { refunded: outcome.payment.refunded, status: outcome.payment.status },
        });
      await tx.order.update({ where: { id: orderId }, data: { version: { increment: 1 } } });
      const record = toRecord(
        (await tx.orderReturn.findUniqueOrThrow({ where: { id: returnId }, include: { lines: true } })) as Row,
      );
      await appendToOutbox(tx as unknown as SqlClient, ORDERS_TOPIC, events(record));
      return record;
    });
  }
}
