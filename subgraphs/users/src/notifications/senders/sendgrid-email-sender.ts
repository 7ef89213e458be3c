// Email through SendGrid's v3 Mail Send API (POST /v3/mail/send) with the official client
// (@sendgrid/mail over @sendgrid/client). SendGrid answers 202 with the message id in the
// X-Message-Id header; its Event Webhook later reports delivered/bounce/dropped with that id as
// the prefix of sg_message_id, and with our custom_args (notificationId) on every event.
import { Client } from '@sendgrid/client';
import { MailService } from '@sendgrid/mail';
import type { EmailMessage, EmailSender, SendReceipt } from '../domain/senders';

export interface SendgridOptions {
  apiKey: string;
  /** "no-reply@grocery.vn" or "Grocery <no-reply@grocery.vn>". */
  from: string;
  /** Only tests point the client elsewhere (a local fake of the API); default https://api.sendgrid.com/. */
  baseUrl?: string;
  timeoutMs?: number;
}

export class SendgridEmailSender implements EmailSender {
  readonly provider = 'sendgrid' as const;
  private readonly mail = new MailService();

  constructor(private readonly opts: SendgridOptions) {
    const client = new Client();
    client.setApiKey(opts.apiKey);
    if (opts.baseUrl) client.setDefaultRequest('baseUrl', opts.baseUrl);
    this.mail.setClient(client);
    this.mail.setTimeout(opts.timeoutMs ?? 10_000);
  }

  async send(message: EmailMessage): Promise<SendReceipt> {
    const [response] = await this.mail.send({
      to: message.to,
      from: parseAddress(this.opts.from),
      subject: message.subject,
      text: message.text,
      customArgs: { notificationId: message.notificationId },
    });
    const header = response.headers?.['x-message-id'] as string | string[] | undefined;
    return { providerMessageId: (Array.isArray(header) ? header[0] : header) ?? null };
  }
}

/** "Name <email>" → { name, email }; a bare address stays as it is. */
function parseAddress(value: string): string | { name: string; email: string } {
  const m = /^\s*(.+?)\s*<([^>]+)>\s*$/.exec(value);
  return m ? { name: m[1]!, email: m[2]! } : value.trim();
}
