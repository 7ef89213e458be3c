// Idempotent consumers. The bus delivers at least once, so a handler may see an event twice
// (a redelivery after a crash, or the outbox relay resending a batch).
import { LRUCache } from 'lru-cache';
import type { SqlClient, TransactionalSqlClient } from '../db/prisma';
import type { EventHandler } from './bus';
import type { DomainEvent } from './envelope';

export interface IdempotentHandlerOptions<E extends DomainEvent = DomainEvent> {
  /** The consuming domain's database (it has a `processed_event` table). */
  db: TransactionalSqlClient;
  /** Stable consumer name, e.g. "users.loyalty-points"; dedup is per consumer. */
  consumer: string;
  /** The handler's database effects, run in the transaction that records the event. */
  handle: (event: E, tx: SqlClient) => Promise<void>;
}

/**
 * For handlers with database effects: records `(consumer, event id)` in `processed_event`
 * and runs `handle` in the same transaction, only when the row is new. A failure rolls
 * both back, so the redelivered event is handled again; a duplicate changes nothing.
 * Two concurrent deliveries of one event serialise on the primary key: the second waits
 * for the first to commit, then finds the row and skips.
 */
export function idempotentHandler<E extends DomainEvent = DomainEvent>(
  options: IdempotentHandlerOptions<E>,
): EventHandler {
  const { db, consumer, handle } = options;
  return async (event) => {
    await db.$transaction(async (tx) => {
      const inserted = await tx.$executeRawUnsafe(
        `INSERT INTO processed_event (consumer, event_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`,
        consumer,
        event.id,
      );
      if (inserted === 0) return;
      await handle(event as E, tx);
    });
  };
}

/**
 * For handlers whose effect is naturally idempotent (evicting a cache entry, pushing to
 * a live subscription): they just run. Event ids handled recently are remembered in memory
 * only to skip redundant work on a quick redelivery; correctness never depends on it.
 */
export function naturallyIdempotentHandler<E extends DomainEvent = DomainEvent>(
  handle: (event: E) => Promise<void>,
  options: { remember?: number } = {},
): EventHandler {
  const recent = new LRUCache<string, true>({ max: options.remember ?? 10_000 });
  return async (event) => {
    if (recent.has(event.id)) return;
    await handle(event as E);
    recent.set(event.id, true);
  };
}
