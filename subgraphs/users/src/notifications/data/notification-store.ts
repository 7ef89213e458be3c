// Prisma access for users.notification: recording messages once (the unique keys, not a look-up,
// decide), claiming one for an attempt (a conditional update, so two senders never both take
// it), the staff listing, and delivery reports.
import type { Locale, SqlClient } from '@grocery/platform';
import type { UsersDb } from '../../data/db';
import type { Notification as Row, Prisma } from '../../data/generated/client';
import type {
  Channel,
  NewNotification,
  NotificationRecord,
  NotificationStatus,
  ProviderName,
} from '../domain/notification';

const toRecord = (r: Row): NotificationRecord => ({
  id: r.id,
  eventId: r.eventId,
  channel: r.channel as Channel,
  kind: r.kind,
  orderId: r.orderId,
  customerId: r.customerId,
  recipient: r.recipient,
  locale: r.locale as Locale,
  subject: r.subject,
  body: r.body,
  status: r.status as NotificationStatus,
  provider: r.provider as ProviderName,
  providerMessageId: r.providerMessageId,
  attempts: r.attempts,
  lastError: r.lastError,
  nextAttemptAt: r.nextAttemptAt,
  detail: r.detail,
  createdAt: r.createdAt,
  updatedAt: r.updatedAt,
  sentAt: r.sentAt,
});

export interface NotificationFilter {
  orderId?: string | null;
  recipient?: string | null;
  status?: NotificationStatus | null;
  channel?: Channel | null;
}

const MAX_ERROR_LENGTH = 1_000;
/** Columns are UTC timestamps without a zone (as Prisma writes them), whatever the session's TimeZone. */
const UTC = (param: string) => `(${param}::timestamptz AT TIME ZONE 'UTC')`;

export class NotificationStore {
  constructor(private readonly db: UsersDb) {}

  /**
   * Records the messages in `tx` (the transaction that marks the event processed); a message whose
   * (event, channel) or (dedupe key, channel) is already there is left out. Returns the ids of
   * the PENDING messages it recorded: the caller sends those after commit.
   */
  async record(tx: SqlClient, messages: readonly NewNotification[], now: Date): Promise<string[]> {
    const pending: string[] = [];
    for (const m of messages) {
      const inserted = await tx.$executeRawUnsafe(
        `INSERT INTO notification (id, event_id, dedupe_key, channel, kind, order_id, customer_id, recipient, locale,
           subject, body, status, provider, detail, event_time, next_attempt_at, created_at, updated_at)
         VALUES ($1::uuid, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14,
           ${UTC('$15')}, ${UTC('$16')}, ${UTC('$17')}, ${UTC('$17')})
         ON CONFLICT DO NOTHING`,
        m.id,
        m.eventId,
        m.dedupeKey,
        m.channel,
        m.kind,
        m.orderId,
        m.customerId,
        m.recipient,
        m.locale,
        m.subject,
        m.body,
        m.status,
        m.provider,
        m.detail,
        m.eventTime.toISOString(),
        m.status === 'PENDING' ? now.toISOString() : null,
        now.toISOString(),
      );
      if (inserted > 0 && m.status === 'PENDING') pending.push(m.id);
    }
    return pending;
  }

  /** Whether this event already gave messages (a redelivery skips the look-ups). */
  async hasEvent(eventId: string): Promise<boolean> {
    return (await this.db.notification.count({ where: { eventId } })) > 0;
  }

  /** Whether a message of `kind` about the order came from an event at or after `since`. */
  async hasRecent(orderId: string, kind: string, since: Date): Promise<boolean> {
    return (await this.db.notification.count({ where: { orderId, kind, eventTime: { gte: since } } })) > 0;
  }

  /**
   * Takes a message for one attempt when it is due: PENDING or RETRYING whose time has come, or
   * SENDING whose holder gave no news by its deadline (a crash mid-send). The attempt counts from
   * here; `holdUntil` is when another sender may take it again. Null when someone else has it.
   */
  async claim(id: string, now: Date, holdUntil: Date): Promise<NotificationRecord | null> {
    const { count } = await this.db.notification.updateMany({
      where: {
        id,
        status: { in: ['PENDING', 'RETRYING', 'SENDING'] },
        OR: [{ nextAttemptAt: null }, { nextAttemptAt: { lte: now } }],
      },
      data: { status: 'SENDING', attempts: { increment: 1 }, nextAttemptAt: holdUntil },
    });
    if (count === 0) return null;
    const row = await this.db.notification.findUnique({ where: { id } });
    return row ? toRecord(row) : null;
  }

  async markSent(id: string, provider: ProviderName, providerMessageId: string | null, now: Date): Promise<void> {
    await this.db.notification.updateMany({
      where: { id, status: 'SENDING' },
      data: { status: 'SENT', provider, providerMessageId, sentAt: now, nextAttemptAt: null, lastError: null },
    });
  }

  async markFailed(
    id: string,
    outcome: { status: 'RETRYING' | 'DEAD'; nextAttemptAt: Date | null },
    error: string,
  ): Promise<void> {
    await this.db.notification.updateMany({
      where: { id, status: 'SENDING' },
      data: {
        status: outcome.status,
        nextAttemptAt: outcome.nextAttemptAt,
        lastError: error.slice(0, MAX_ERROR_LENGTH),
      },
    });
  }

  /** Messages due for an attempt (oldest due first), at most `limit`. */
  async due(now: Date, limit: number): Promise<string[]> {
    const rows = await this.db.notification.findMany({
      where: { status: { in: ['PENDING', 'RETRYING', 'SENDING'] }, nextAttemptAt: { lte: now } },
      orderBy: { nextAttemptAt: 'asc' },
      take: limit,
      select: { id: true },
    });
    return rows.map((r) => r.id);
  }

  /**
   * A provider's delivery report, applied to a message it took (SENT or already reported): by
   * our id when the report carries it, else by the provider's message id. Returns whether a
   * message changed.
   */
  async applyReport(
    match: { id?: string | null; provider: ProviderName; providerMessageId?: string | null },
    status: NotificationStatus,
    detail: string | null,
  ): Promise<boolean> {
    const where: Prisma.NotificationWhereInput = {
      provider: match.provider,
      status: { in: ['SENT', 'DELIVERED', 'BOUNCED', 'DROPPED', 'UNDELIVERED'] },
      ...(match.id ? { id: match.id } : { providerMessageId: match.providerMessageId ?? '' }),
    };
    if (!match.id && !match.providerMessageId) return false;
    const { count } = await this.db.notification.updateMany({ where, data: { status, detail } });
    return count > 0;
  }

  /** Newest first; `after` is where the previous page ended (createdAt, then id, break ties). */
  async list(filter: NotificationFilter, first: number, after: { createdAt: Date; id: string } | null) {
    const where: Prisma.NotificationWhereInput = {
      ...(filter.orderId ? { orderId: filter.orderId } : {}),
      ...(filter.recipient ? { recipient: filter.recipient.trim().toLowerCase() } : {}),
      ...(filter.status ? { status: filter.status } : {}),
      ...(filter.channel ? { channel: filter.channel } : {}),
    };
    const page: Prisma.NotificationWhereInput = after
      ? {
          OR: [{ createdAt: { lt: after.createdAt } }, { createdAt: after.createdAt, id: { lt: after.id } }],
        }
      : {};
    const [rows, totalCount] = await Promise.all([
      this.db.notification.findMany({
        where: { AND: [where, page] },
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        take: first + 1,
      }),
      this.db.notification.count({ where }),
    ]);
    return { rows: rows.slice(0, first).map(toRecord), hasNextPage: rows.length > first, totalCount };
  }
}
