// Picks the email and SMS adapters from config; a chosen provider without its credentials is a
// start-up error that names the missing settings.
import type { Config } from '@grocery/platform';
import type { EmailSender, SmsSender } from '../domain/senders';
import { outboxEmail, outboxSms } from './outbox-senders';
import { SendgridEmailSender } from './sendgrid-email-sender';
import { TwilioSmsSender } from './twilio-sms-sender';

type NotificationConfig = Pick<
  Config,
  | 'NOTIFICATION_EMAIL'
  | 'NOTIFICATION_SMS'
  | 'SENDGRID_API_KEY'
  | 'SENDGRID_FROM'
  | 'TWILIO_ACCOUNT_SID'
  | 'TWILIO_AUTH_TOKEN'
  | 'TWILIO_FROM'
  | 'TWILIO_STATUS_CALLBACK_URL'
>;

export function configuredSenders(config: NotificationConfig): { email: EmailSender; sms: SmsSender } {
  const missing = (keys: (keyof NotificationConfig)[]) => keys.filter((k) => !config[k]);
  const email = config.NOTIFICATION_EMAIL ?? 'outbox';
  const sms = config.NOTIFICATION_SMS ?? 'outbox';
  const issues: string[] = [];
  if (email === 'sendgrid') {
    const m = missing(['SENDGRID_API_KEY', 'SENDGRID_FROM']);
    if (m.length) issues.push(`NOTIFICATION_EMAIL=sendgrid needs ${m.join(' and ')}`);
  }
  if (sms === 'twilio') {
    const m = missing(['TWILIO_ACCOUNT_SID', 'TWILIO_AUTH_TOKEN', 'TWILIO_FROM']);
    if (m.length) issues.push(`NOTIFICATION_SMS=twilio needs ${m.join(', ')}`);
  }
  if (issues.length) throw new Error(`Invalid configuration: ${issues.join('; ')}`);
  return {
    email:
      email === 'sendgrid'
        ? new SendgridEmailSender({ apiKey: config.SENDGRID_API_KEY!, from: config.SENDGRID_FROM! })
        : outboxEmail,
    sms:
      sms === 'twilio'
        ? new TwilioSmsSender({
            accountSid: config.TWILIO_ACCOUNT_SID!,
            authToken: config.TWILIO_AUTH_TOKEN!,
            from: config.TWILIO_FROM!,
            statusCallbackUrl: config.TWILIO_STATUS_CALLBACK_URL,
          })
        : outboxSms,
  };
}
