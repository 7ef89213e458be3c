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
