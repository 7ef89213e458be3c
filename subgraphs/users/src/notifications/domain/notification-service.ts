// The notification rules: who is told (the customer's own contact data and consent when they
// are signed in, else what the order holds), in which language, on which channels; recording
// each message once; sending it after commit; retrying failures with back-off until DEAD; and
// applying providers' delivery reports.
import { randomUUID } from 'node:crypto';
import type { DomainEvent, Locale, Logger } from '@grocery/platform';
import { vietnameseMobile } from '../../domain/account';
import type { NotificationStore } from '../data/notification-store';
import type { NotificationIntent } from './intent';
import {
  afterFailure,
  type NewNotification,
  type NotificationRecord,
  type NotificationStatus,
  type ProviderName,
  type RetryPolicy,
} from './notification';
import type { EmailSender, SmsSender } from './senders';
import { render, shownOrderNumber } from './templates';

/** What orders knows about who to tell (orderContact). */
export interface OrderContact {
  number: string;
  customerId: string | null;
  email: string | null;
  phone: string | null;
  locale: Locale;
  total: number;
}

export interface OrderContacts {
  /** Null when orders does not know the order; throws when orders cannot be asked (retried). */
  forOrder(orderId: string): Promise<OrderContact | null>;
}

/** A signed-in customer's own contact data and consent, from users. */
export interface CustomerContact {
  email: string;
  phone: string | null;
  /** Null when they never chose one: the order's language is used. */
  locale: Locale | null;
  notifyEmail: boolean;
  notifySms: boolean;
}

export interface Customers {
  contactOf(userId: string): Promise<CustomerContact | null>;
}

/** The adapters in use; replaceable (tests put a failing or fake-provider sender in). */
export interface Senders {
  email: EmailSender;
  sms: SmsSender;
}

/** A return refund also changes the payment (REFUNDED): within this window it is one message. */
const REFUND_ANNOUNCED_WINDOW_MS = 60_000;
/** How long an attempt holds a message before another sender may take it again. */
const ATTEMPT_HOLD_MS = 60_000;
const RETRY_BATCH = 50;

export class NotificationService {
  constructor(
    private readonly store: NotificationStore,
    private readonly contacts: OrderContacts,
    private readonly customers: Customers,
    readonly senders: Senders,
    private readonly policy: RetryPolicy,
    private readonly logger: Logger,
  ) {}

  /**
   * The messages an event asks for, addressed and rendered, not yet recorded: an email when an
   * address is known, an SMS when a Vietnamese mobile number is; SKIPPED for a channel the
   * customer opted out of. Empty when the order is unknown or the event was already announced.
   */
  async compose(event: DomainEvent, intent: NotificationIntent): Promise<NewNotification[]> {
    const eventTime = new Date(event.time);
    const at = Number.isNaN(eventTime.getTime()) ? new Date() : eventTime;
    if (
      intent.kind === 'PAYMENT_REFUNDED' &&
      (await this.store.hasRecent(
        intent.orderId,
        'RETURN_REFUNDED',
        new Date(at.getTime() - REFUND_ANNOUNCED_WINDOW_MS),
      ))
    )
      return [];
    const contact = await this.contacts.forOrder(intent.orderId);
    if (!contact) {
      this.logger.warn({ eventId: event.id, orderId: intent.orderId }, 'no such order; nobody to notify');
      return [];
    }
    const customerId = intent.customerId ?? contact.customerId;
    const customer = customerId ? await this.customers.contactOf(customerId) : null;
    const locale = customer?.locale ?? contact.locale;
    const text = render(intent.kind, locale, {
      ...intent.values,
      orderNumber: shownOrderNumber(contact.number),
      total: contact.total,
    });
    const common = {
      eventId: event.id,
      dedupeKey: intent.dedupeKey,
      kind: intent.kind,
      orderId: intent.orderId,
      customerId,
      locale,
      eventTime: at,
    };
    const messages: NewNotification[] = [];
    const email = customer?.email ?? contact.email;
    if (email) {
      const optedOut = customer?.notifyEmail === false;
      messages.push({
        ...common,
        id: randomUUID(),
        channel: 'EMAIL',
        recipient: email.trim().toLowerCase(),
        subject: text.subject,
        body: text.emailBody,
        status: optedOut ? 'SKIPPED' : 'PENDING',
        provider: this.senders.email.provider,
        detail: optedOut ? 'The customer opted out of email notifications.' : null,
      });
    }
    const phone = vietnameseMobile(customer?.phone ?? contact.phone ?? '');
    if (phone) {
      const optedOut = customer?.notifySms === false;
      messages.push({
        ...common,
        id: randomUUID(),
        channel: 'SMS',
        recipient: phone,
        subject: null,
        body: text.sms,
        status: optedOut ? 'SKIPPED' : 'PENDING',
        provider: this.senders.sms.provider,
        detail: optedOut ? 'The customer opted out of SMS notifications.' : null,
      });
    }
    return messages;
  }

  /** One attempt at each message that is due; failures are kept for a later attempt, or DEAD. */
  async deliver(ids: readonly string[]): Promise<void> {
    for (const id of ids) {
      const now = new Date();
      const message = await this.store.claim(id, now, new Date(now.getTime() + ATTEMPT_HOLD_MS));
      if (message) await this.attempt(message);
    }
  }

  /** The sweeper's work: messages whose next attempt is due. Returns how many it tried. */
  async retryDue(now = new Date()): Promise<number> {
    const ids = await this.store.due(now, RETRY_BATCH);
    await this.deliver(ids);
    return ids.length;
  }

  private async attempt(m: NotificationRecord): Promise<void> {
    const sender = m.channel === 'EMAIL' ? this.senders.email : this.senders.sms;
    try {
      const receipt =
        m.channel === 'EMAIL'
          ? await this.senders.email.send({
              notificationId: m.id,
              to: m.recipient,
              subject: m.subject ?? '',
              text: m.body,
            })
          : await this.senders.sms.send({ notificationId: m.id, to: m.recipient, text: m.body });
      await this.store.markSent(m.id, sender.provider, receipt.providerMessageId, new Date());
    } catch (err) {
      const outcome = afterFailure(m.attempts, this.policy, new Date());
      const error = describe(err);
      await this.store.markFailed(m.id, outcome, error);
      this.logger.warn(
        { notificationId: m.id, channel: m.channel, attempts: m.attempts, status: outcome.status, error },
        outcome.status === 'DEAD' ? 'notification gave up: DEAD' : 'notification failed; will retry',
      );
    }
  }

  /** A provider's delivery report (already authenticated). Returns whether a message changed. */
  applyReport(
    match: { id?: string | null; provider: ProviderName; providerMessageId?: string | null },
    status: NotificationStatus,
    detail: string | null,
  ): Promise<boolean> {
    return this.store.applyReport(match, status, detail);
  }
}

/** A provider error as staff can read it (status code and the provider's own words when given). */
function describe(err: unknown): string {
  const e = err as { message?: string; code?: number | string; status?: number; response?: { body?: unknown } };
  const body = e.response?.body ? ` ${JSON.stringify(e.response.body).slice(0, 500)}` : '';
  const code = e.code ?? e.status;
  return `${code !== undefined ? `${code} ` : ''}${e.message ?? String(err)}${body}`;
}
