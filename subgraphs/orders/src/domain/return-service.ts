// Returns within RETURN_WINDOW_DAYS of hand-over: the customer asks per line (reason, quantity);
// staff receive and record per line what came back and what is damaged, and approve or reject.
// An approved return refunds what was received at the price paid per unit (a partial refund of
// the payment; cash orders are refunded at the counter), and the units staff mark restockable go
// back on the shelf (perishables too when staff say so). Refund and restock are idempotent by
// the return's id, so a retried settlement never refunds or restocks twice.
import {
  AppError,
  ErrorCode,
  badInput,
  conflict,
  notFound,
  requireRole,
  type Identity,
  type Logger,
} from '@grocery/platform';
import type { OrderStore } from '../data/order-store';
import type { ReturnRecord, ReturnStore } from '../data/return-store';
import { orderEvents } from '../events/order-events';
import { shelfUnits, type OrderLineRecord } from './order';
import { mayRead } from './order-service';
import type { PaymentProviders } from './payment-service';
import type { StockPort } from './ports';

const MAX_LINES = 100;
const MAX_OPEN_RETURNS = 5;

/** What one unit of a line cost the customer (after discounts; weighed goods by what was picked). */
export function paidPerUnit(
  line: Pick<OrderLineRecord, 'quantity' | 'total' | 'pickedQuantity' | 'pickedTotal'>,
): number {
  if (line.pickedQuantity && line.pickedTotal !== null) return Math.floor(line.pickedTotal / line.pickedQuantity);
  return Math.floor(line.total / line.quantity);
}

export class ReturnService {
  constructor(
    private readonly returns: ReturnStore,
    private readonly orders: OrderStore,
    private readonly providers: PaymentProviders,
    private readonly stock: StockPort,
    private readonly windowDays: number,
    private readonly logger: Logger,
    private readonly afterCommit: () => void,
  ) {}

  async request(
    identity: Identity | undefined,
    orderId: string,
    accessToken: string | null,
    lines: { position: number; quantity: number; reason: string }[],
  ): Promise<ReturnRecord> {
    if (lines.length === 0 || lines.length > MAX_LINES) throw badInput(`Give 1 to ${MAX_LINES} lines.`, 'lines');
    const order = await this.orders.byId(orderId);
    if (!order || !mayRead(identity, order, accessToken)) throw notFound('No such order.');
    if (order.status !== 'COMPLETED' || !order.closedAt) throw conflict('Only a handed-over order can be returned.');
    if (Date.now() - order.closedAt.getTime() > this.windowDays * 86_400_000)
      throw conflict(`Returns are accepted within ${this.windowDays} days of hand-over.`);
    const seen = new Set<number>();
    for (const l of lines) {
      if (seen.has(l.position)) throw badInput(`Line ${l.position} is given twice.`, 'lines');
      seen.add(l.position);
      if (!order.lines.some((x) => x.position === l.position))
        throw badInput(`The order has no line ${l.position}.`, 'lines');
      if (!Number.isInteger(l.quantity) || l.quantity < 1) throw badInput('quantity is at least 1', 'lines');
      if (!l.reason.trim() || l.reason.length > 200) throw badInput('Give a reason (at most 200 characters).', 'lines');
    }
    const created = await this.returns.request(
      order.id,
      order.customerId,
      lines.map((l) => ({ linePosition: l.position, quantity: l.quantity, reason: l.reason.trim() })),
      (existing) => {
        if (existing.filter((r) => r.status === 'REQUESTED').length >= MAX_OPEN_RETURNS)
          throw new AppError(ErrorCode.RATE_LIMITED, `At most ${MAX_OPEN_RETURNS} open returns per order.`, {
            limit: 'openReturns',
            max: MAX_OPEN_RETURNS,
          });
        for (const l of lines) {
          const line = order.lines.find((x) => x.position === l.position)!;
          const bought = line.pickedQuantity ?? line.quantity;
          const asked = existing
            .filter((r) => r.status === 'REQUESTED' || r.status === 'REFUNDED')
            .flatMap((r) => r.lines)
            .filter((x) => x.linePosition === l.position)
            .reduce((n, x) => n + (x.receivedQuantity ?? x.quantity), 0);
          if (l.quantity > bought - asked)
            throw badInput(
              `Line ${l.position}: at most ${Math.max(0, bought - asked)} more units can be returned.`,
              'lines',
            );
        }
      },
      (r) => [
        orderEvents.returnRequested(order.id, {
          returnId: r.id,
          lines: r.lines.map((x) => ({ position: x.linePosition, quantity: x.quantity, reason: x.reason })),
        }),
      ],
    );
    this.afterCommit();
    return created;
  }

  /** Staff: what came back per line, and whether the return is approved (refund and restock) or rejected. */
  async receive(
    identity: Identity | undefined,
    returnId: string,
    lines: { position: number; received: number; damaged: number; restock: boolean }[],
    approve: boolean,
  ): Promise<ReturnRecord> {
    requireRole(identity, 'staff');
    const ret = /^[0-9a-f-]{36}$/i.test(returnId) ? await this.returns.byId(returnId) : null;
    if (!ret) throw notFound('No such return.');
    if (ret.status !== 'REQUESTED') return ret; // settled already: nothing happens twice
    const order = (await this.orders.byId(ret.orderId))!;
    const recorded = ret.lines.map((rl) => {
      const given = lines.find((l) => l.position === rl.linePosition);
      if (!given) throw badInput(`Record line ${rl.linePosition} of the return.`, 'lines');
      if (!Number.isInteger(given.received) || given.received < 0 || given.received > rl.quantity)
        throw badInput(`Line ${rl.linePosition}: received is 0 to ${rl.quantity}.`, 'lines');
      if (!Number.isInteger(given.damaged) || given.damaged < 0 || given.damaged > given.received)
        throw badInput(`Line ${rl.linePosition}: damaged is 0 to what was received.`, 'lines');
      return {
        linePosition: rl.linePosition,
        receivedQuantity: given.received,
        damagedQuantity: given.damaged,
        restock: given.restock,
      };
    });
    const p = order.payment;
    let refund = 0;
    if (approve)
      for (const r of recorded)
        refund += r.receivedQuantity * paidPerUnit(order.lines.find((l) => l.position === r.linePosition)!);
    const refundable = p ? (p.provider === 'CASH_ON_DELIVERY' ? p.captured : p.captured) - p.refunded : 0;
    refund = Math.min(refund, Math.max(0, refundable));
    if (approve) {
      // Shelf first, then money: both idempotent by the return id, then the record.
      const restock = shelfUnits(
        recorded
          .filter((r) => r.restock)
          .map((r) => ({
            ...order.lines.find((l) => l.position === r.linePosition)!,
            quantity: r.receivedQuantity - r.damagedQuantity,
          })),
      );
      await this.stock.restock(ret.id, order.locationId, restock);
      if (refund > 0 && p && p.provider !== 'CASH_ON_DELIVERY' && p.providerRef) {
        const provider = this.providers.get(p.provider);
        if (!provider) throw new AppError(ErrorCode.SUBGRAPH_UNAVAILABLE, `${p.provider} is not configured here.`);
        await provider.refund({ paymentId: p.id, providerRef: p.providerRef, orderId: order.id }, refund, ret.id);
      }
    }
    const refunded = (p?.refunded ?? 0) + refund;
    const settled = await this.returns.settle(
      ret.id,
      order.id,
      {
        status: approve ? 'REFUNDED' : 'REJECTED',
        refundTotal: refund,
        lines: recorded,
        ...(p && refund > 0
          ? {
              payment: {
                id: p.id,
                refunded,
                status: refunded >= p.captured ? ('REFUNDED' as const) : ('PARTIALLY_REFUNDED' as const),
              },
            }
          : {}),
      },
      (r) => [
        orderEvents.returnReceived(order.id, {
          returnId: r.id,
          lines: r.lines.map((l) => ({
            position: l.linePosition,
            received: l.receivedQuantity ?? 0,
            damaged: l.damagedQuantity ?? 0,
            restock: l.restock,
          })),
        }),
        ...(approve ? [orderEvents.returnRefunded(order.id, { returnId: r.id, amount: refund })] : []),
        ...(p && refund > 0
          ? [
              orderEvents.paymentChanged(order.id, {
                paymentId: p.id,
                provider: p.provider,
                status: refunded >= p.captured ? 'REFUNDED' : 'PARTIALLY_REFUNDED',
                amount: refunded,
              }),
            ]
          : []),
      ],
    );
    this.afterCommit();
    if (!settled) return (await this.returns.byId(ret.id))!;
    this.logger.info({ returnId: ret.id, orderId: order.id, approve, refund }, 'return settled');
    return settled;
  }

  /** An order's returns; the caller already read the order itself (Order.returns). */
  ofOrderUnchecked(orderId: string): Promise<ReturnRecord[]> {
    return this.returns.ofOrder(orderId);
  }
}
