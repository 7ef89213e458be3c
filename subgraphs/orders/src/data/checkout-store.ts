// placeOrder's idempotency: one row per (scope, key), claimed before anything is taken. A retry
// finds the first attempt's row: its order once placed, its refusal once refused, or — while the
// first is still running — waits for it. An attempt that fails frees its key; rows left
// IN_PROGRESS by a crash are compensated by the sweeper (stock and coupon uses released for their
// order id) and freed.
import type { OrdersDb } from './db';

export type CheckoutState = 'IN_PROGRESS' | 'PLACED' | 'REFUSED';

export interface CheckoutRow {
  scope: string;
  key: string;
  orderId: string;
  requestHash: string;
  state: CheckoutState;
  refusal: unknown;
}

export class CheckoutStore {
  constructor(private readonly db: OrdersDb) {}

  /** Claims the key for this attempt; when taken, returns the row that holds it instead. */
  async claim(row: Omit<CheckoutRow, 'state' | 'refusal'>): Promise<{ claimed: boolean; row: CheckoutRow }> {
    const inserted = await this.db.$executeRawUnsafe(
      `INSERT INTO checkout (scope, idempotency_key, order_id, request_hash, state, updated_at)
       VALUES ($1, $2, $3::uuid, $4, 'IN_PROGRESS', now()) ON CONFLICT DO NOTHING`,
      row.scope,
      row.key,
      row.orderId,
      row.requestHash,
    );
    if (inserted === 1) return { claimed: true, row: { ...row, state: 'IN_PROGRESS', refusal: null } };
    return { claimed: false, row: (await this.get(row.scope, row.key))! };
  }

  async get(scope: string, key: string): Promise<CheckoutRow | null> {
    const r = await this.db.checkout.findUnique({ where: { scope_idempotencyKey: { scope, idempotencyKey: key } } });
    return r
      ? {
          scope: r.scope,
          key: r.idempotencyKey,
          orderId: r.orderId,
          requestHash: r.requestHash,
          state: r.state as CheckoutState,
          refusal: r.refusal,
        }
      : null;
  }

  async refuse(scope: string, key: string, refusal: unknown): Promise<void> {
    await this.db.checkout.update({
      where: { scope_idempotencyKey: { scope, idempotencyKey: key } },
      data: { state: 'REFUSED', refusal: refusal as object },
    });
  }

  /** Attempts still IN_PROGRESS since before `before`: their process died mid-checkout. */
  async abandoned(before: Date, limit: number): Promise<CheckoutRow[]> {
    const rows = await this.db.checkout.findMany({
      where: { state: 'IN_PROGRESS', updatedAt: { lt: before } },
      take: limit,
    });
    return rows.map((r) => ({
      scope: r.scope,
      key: r.idempotencyKey,
      orderId: r.orderId,
      requestHash: r.requestHash,
      state: 'IN_PROGRESS',
      refusal: null,
    }));
  }

  /**
   * Frees a key whose attempt did not finish (it failed, or the sweeper undid it), unless it
   * finished meanwhile: true when freed. An order write still running for it then fails
   * (OrderStore.create requires the key IN_PROGRESS), and a retry with the key starts afresh.
   */
  async release(scope: string, key: string): Promise<boolean> {
    const n = await this.db.checkout.deleteMany({ where: { scope, idempotencyKey: key, state: 'IN_PROGRESS' } });
    return n.count === 1;
  }
}
