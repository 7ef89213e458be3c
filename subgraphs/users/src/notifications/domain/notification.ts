// Notifications as the domain sees them (no GraphQL or Prisma types): channels, statuses, one
// message, and the retry rule.
import type { Locale } from '@grocery/platform';

export type Channel = 'EMAIL' | 'SMS';
export const CHANNELS: readonly Channel[] = ['EMAIL', 'SMS'];

/**
 * PENDING: recorded, not tried yet. SENDING: an attempt holds it (until nextAttemptAt, after which
 * the sweeper may take it again). SENT: the provider (or the local outbox) took it. DELIVERED,
 * BOUNCED, DROPPED (email) and UNDELIVERED (SMS): the provider's later report. SKIPPED: never sent
 * (the customer opted out of the channel). RETRYING: the last attempt failed, another is due at
 * nextAttemptAt. DEAD: failed NOTIFICATION_MAX_ATTEMPTS times; left for staff.
 */
export const NOTIFICATION_STATUSES = [
  'PENDING',
  'SENDING',
  'SENT',
  'DELIVERED',
  'BOUNCED',
  'DROPPED',
  'UNDELIVERED',
  'SKIPPED',
  'RETRYING',
  'DEAD',
] as const;
export type NotificationStatus = (typeof NOTIFICATION_STATUSES)[number];

export type ProviderName = 'outbox' | 'sendgrid' | 'twilio';

/** One message, as stored and as staff see it. */
export interface NotificationRecord {
  id: string;
  eventId: string;
  channel: Channel;
  kind: string;
  orderId: string | null;
  customerId: string | null;
  recipient: string;
  locale: Locale;
  subject: string | null;
  body: string;
  status: NotificationStatus;
  provider: ProviderName;
  providerMessageId: string | null;
  attempts: number;
  lastError: string | null;
  nextAttemptAt: Date | null;
  detail: string | null;
  createdAt: Date;
  updatedAt: Date;
  sentAt: Date | null;
}

/** A message ready to record: rendered, addressed, PENDING or SKIPPED. */
export interface NewNotification {
  id: string;
  eventId: string;
  dedupeKey: string;
  channel: Channel;
  kind: string;
  orderId: string | null;
  customerId: string | null;
  recipient: string;
  locale: Locale;
  subject: string | null;
  body: string;
  status: 'PENDING' | 'SKIPPED';
  provider: ProviderName;
  detail: string | null;
  eventTime: Date;
}

export interface RetryPolicy {
  /** The first wait after a failure (ms); each further failure doubles it. */
  baseMs: number;
  /** Attempts before a message is DEAD. */
  maxAttempts: number;
}

/** Waits never grow past this many times the first one. */
export const MAX_BACKOFF_FACTOR = 64;

/**
 * What happens after attempt number `attempts` (1-based) failed: DEAD once the attempts are used
 * up, else RETRYING at now + base × 2^(attempts − 1), capped at base × 64.
 */
export function afterFailure(
  attempts: number,
  policy: RetryPolicy,
  now: Date,
): { status: 'DEAD'; nextAttemptAt: null } | { status: 'RETRYING'; nextAttemptAt: Date } {
  if (attempts >= policy.maxAttempts) return { status: 'DEAD', nextAttemptAt: null };
  const factor = Math.min(2 ** Math.max(0, attempts - 1), MAX_BACKOFF_FACTOR);
  return { status: 'RETRYING', nextAttemptAt: new Date(now.getTime() + policy.baseMs * factor) };
}
