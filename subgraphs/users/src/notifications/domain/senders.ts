// The two integrations notifications send through, chosen by config (NOTIFICATION_EMAIL,
// NOTIFICATION_SMS): the local outbox by default, SendGrid and Twilio in production.
import type { ProviderName } from './notification';

export interface EmailMessage {
  /** The stored message's id: sent along (SendGrid custom_args) so delivery reports find it. */
  notificationId: string;
  to: string;
  subject: string;
  text: string;
}

export interface SmsMessage {
  notificationId: string;
  /** E.164. */
  to: string;
  text: string;
}

/** What a provider answered: its id for the message (for its delivery reports), if it gives one. */
export interface SendReceipt {
  providerMessageId: string | null;
}

/** Sends one email; throws when the provider did not take it (the message is retried). */
export interface EmailSender {
  readonly provider: ProviderName;
  send(message: EmailMessage): Promise<SendReceipt>;
}

/** Sends one SMS; throws when the provider did not take it (the message is retried). */
export interface SmsSender {
  readonly provider: ProviderName;
  send(message: SmsMessage): Promise<SendReceipt>;
}
