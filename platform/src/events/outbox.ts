// Transactional outbox, write side: domain services call this inside their Prisma
// transaction, so the event row commits (or rolls back) with the change it describes.
import type { SqlClient } from '../db/prisma';
import type { DomainEvent } from './envelope';

export async function appendToOutbox(tx: SqlClient, topic: string, events: readonly DomainEvent[]): Promise<void> {
  if (events.length === 0) return;
  const values: unknown[] = [];
  const rows = events.map((e, i) => {
    values.push(e.id, topic, e.type, e.subject, JSON.stringify(e));
    const b = i * 5;
    return `($${b + 1}::uuid, $${b + 2}, $${b + 3}, $${b + 4}, $${b + 5}::jsonb)`;
  });
  await tx.$executeRawUnsafe(
    `INSERT INTO outbox_event (id, topic, type, subject, payload) VALUES ${rows.join(', ')}`,
    ...values,
  );
}

/** A Prisma client, as far as running an interactive transaction goes. */
export interface TransactionRunner<Tx> {
  $transaction<R>(fn: (tx: Tx) => Promise<R>): Promise<R>;
}

/** Prisma's "unique constraint failed" (P2002), whichever generated client raised it. */
export function isUniqueViolation(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === 'P2002';
}

/**
 * Runs `change` in one transaction and appends the events built from its result to the outbox
 * in that same transaction. A unique-constraint violation becomes `onUniqueViolation()` when
 * given (e.g. a CONFLICT naming the taken field).
 */
export async function writeWithEvents<Tx, T>(
  db: TransactionRunner<Tx>,
  topic: string,
  change: (tx: Tx) => Promise<T>,
  eventsFor: (result: T) => readonly DomainEvent[],
  onUniqueViolation?: () => Error,
): Promise<T> {
  try {
    return await db.$transaction(async (tx) => {
      const result = await change(tx);
      await appendToOutbox(tx as unknown as SqlClient, topic, eventsFor(result));
      return result;
    });
  } catch (err) {
    if (onUniqueViolation && isUniqueViolation(err)) throw onUniqueViolation();
    throw err;
  }
}
