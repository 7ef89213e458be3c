// The embedded default: a message is "sent" by being recorded in users.notification (status SENT,
// provider "outbox"), where staff read it through `notifications`. Nothing leaves the machine.
import type { EmailSender, SmsSender } from '../domain/senders';

export const outboxEmail: EmailSender = { provider: 'outbox', send: async () => ({ providerMessageId: null }) };
export const outboxSms: SmsSender = { provider: 'outbox', send: async () => ({ providerMessageId: null }) };
