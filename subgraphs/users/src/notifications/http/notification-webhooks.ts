// Delivery reports from the providers, authenticated on the raw body before anything is read:
//  POST /webhooks/notifications/sendgrid — SendGrid's Signed Event Webhook: ECDSA (P-256,
//    SHA-256) over timestamp + raw body, headers X-Twilio-Email-Event-Webhook-Signature and
//    -Timestamp, checked with SENDGRID_WEBHOOK_PUBLIC_KEY by the official @sendgrid/eventwebhook;
//    delivered / bounce / dropped update the message (found by our notificationId custom arg,
//    else by the sg_message_id prefix SendGrid gave when it took the message).
//  POST /webhooks/notifications/twilio — Twilio's status callback: X-Twilio-Signature (HMAC-SHA1
//    of the callback URL and the sorted form parameters with TWILIO_AUTH_TOKEN), checked by the
//    twilio package's validateRequest against TWILIO_STATUS_CALLBACK_URL; delivered / undelivered
//    / failed update the message found by MessageSid.
// Without the key or token a route refuses everything (403). Reports set a status, so a replayed
// one changes nothing further.
import { EventWebhook } from '@sendgrid/eventwebhook';
import type { IncomingMessage } from 'node:http';
import { readRawBody, type Logger, type SubgraphModule } from '@grocery/platform';
import twilio from 'twilio';
import { z } from 'zod';
import type { NotificationStatus } from '../domain/notification';
import type { NotificationService } from '../domain/notification-service';

export const NOTIFICATION_WEBHOOK_PATH = '/webhooks/notifications';
const MAX_BODY_BYTES = 256 * 1024;
export const SENDGRID_SIGNATURE_HEADER = 'x-twilio-email-event-webhook-signature';
export const SENDGRID_TIMESTAMP_HEADER = 'x-twilio-email-event-webhook-timestamp';

const SENDGRID_STATUS: Record<string, NotificationStatus> = {
  delivered: 'DELIVERED',
  bounce: 'BOUNCED',
  blocked: 'BOUNCED',
  dropped: 'DROPPED',
};
const TWILIO_STATUS: Record<string, NotificationStatus> = {
  delivered: 'DELIVERED',
  undelivered: 'UNDELIVERED',
  failed: 'UNDELIVERED',
};

const sendgridEvent = z.object({
  event: z.string(),
  sg_message_id: z.string().max(300).optional(),
  notificationId: z.string().uuid().optional(),
  reason: z.string().max(1000).optional(),
  response: z.string().max(1000).optional(),
});

export interface NotificationWebhookKeys {
  sendgridPublicKey?: string;
  twilioAuthToken?: string;
  twilioStatusCallbackUrl?: string;
}

export function notificationWebhookRoutes(
  service: NotificationService,
  keys: NotificationWebhookKeys,
  logger: Logger,
): NonNullable<SubgraphModule['routes']> {
  const sendgrid = new EventWebhook();
  let sendgridKey: ReturnType<EventWebhook['convertPublicKeyToECDSA']> | undefined;
  try {
    sendgridKey = keys.sendgridPublicKey ? sendgrid.convertPublicKeyToECDSA(keys.sendgridPublicKey) : undefined;
  } catch (err) {
    throw new Error(
      `Invalid configuration: SENDGRID_WEBHOOK_PUBLIC_KEY is not an EC public key (${(err as Error).message})`,
    );
  }

  const refuse = (
    res: { status(n: number): { json(b: unknown): void } },
    provider: string,
    why: string,
    req: IncomingMessage,
  ) => {
    logger.warn({ provider, reason: why, address: req.socket.remoteAddress }, 'refused a notification webhook');
    res.status(403).json({ error: 'webhook refused' });
  };

  return (app) => {
    app.post(`${NOTIFICATION_WEBHOOK_PATH}/sendgrid`, async (req, res) => {
      const raw = await readRawBody(req, MAX_BODY_BYTES).catch(() => null);
      if (!raw) return void res.status(413).json({ error: 'body too large' });
      const signature = req.header(SENDGRID_SIGNATURE_HEADER);
      const timestamp = req.header(SENDGRID_TIMESTAMP_HEADER);
      if (!sendgridKey) return refuse(res, 'sendgrid', 'SENDGRID_WEBHOOK_PUBLIC_KEY is not set', req);
      if (!signature || !timestamp) return refuse(res, 'sendgrid', 'unsigned', req);
      let valid = false;
      try {
        valid = sendgrid.verifySignature(sendgridKey, raw.toString('utf8'), signature, timestamp);
      } catch {
        valid = false;
      }
      if (!valid) return refuse(res, 'sendgrid', 'bad signature', req);
      let events: unknown;
      try {
        events = JSON.parse(raw.toString('utf8'));
      } catch {
        return void res.status(400).json({ error: 'not JSON' });
      }
      try {
        let applied = 0;
        for (const item of Array.isArray(events) ? events : []) {
          const e = sendgridEvent.safeParse(item);
          if (!e.success) continue;
          const status = SENDGRID_STATUS[e.data.event];
          if (!status) continue;
          const changed = await service.applyReport(
            {
              id: e.data.notificationId,
              provider: 'sendgrid',
              providerMessageId: e.data.sg_message_id?.split('.')[0],
            },
            status,
            e.data.reason ?? e.data.response ?? e.data.event,
          );
          if (changed) applied++;
        }
        logger.info({ provider: 'sendgrid', applied }, 'notification delivery reports');
        res.status(204).end();
      } catch (err) {
        logger.error({ err }, 'sendgrid webhook failed');
        res.status(500).json({ error: 'not processed; retry later' });
      }
    });

    app.post(`${NOTIFICATION_WEBHOOK_PATH}/twilio`, async (req, res) => {
      const raw = await readRawBody(req, MAX_BODY_BYTES).catch(() => null);
      if (!raw) return void res.status(413).json({ error: 'body too large' });
      const signature = req.header('x-twilio-signature');
      if (!keys.twilioAuthToken || !keys.twilioStatusCallbackUrl)
        return refuse(res, 'twilio', 'TWILIO_AUTH_TOKEN or TWILIO_STATUS_CALLBACK_URL is not set', req);
      if (!signature) return refuse(res, 'twilio', 'unsigned', req);
      const params = Object.fromEntries(new URLSearchParams(raw.toString('utf8')));
      if (!twilio.validateRequest(keys.twilioAuthToken, signature, keys.twilioStatusCallbackUrl, params))
        return refuse(res, 'twilio', 'bad signature', req);
      try {
        const status = TWILIO_STATUS[params.MessageStatus ?? ''];
        if (status && params.MessageSid) {
          const detail = params.ErrorCode
            ? `${params.MessageStatus} (error ${params.ErrorCode})`
            : params.MessageStatus!;
          await service.applyReport({ provider: 'twilio', providerMessageId: params.MessageSid }, status, detail);
        }
        res.status(204).end();
      } catch (err) {
        logger.error({ err }, 'twilio status callback failed');
        res.status(500).json({ error: 'not processed; retry later' });
      }
    });
  };
}
