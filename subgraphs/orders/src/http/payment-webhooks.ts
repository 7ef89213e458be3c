// POST /webhooks/payments/<provider>: provider notifications, authenticated by each provider's
// own mechanism on the raw body (Stripe's and the simulator's signed header, MoMo's HMAC over
// the documented fields) before anything is read from them; then applied once (payment_event
// by provider event id) and acknowledged the way the provider expects (MoMo: 204).
import { lowerCaseHeaders, readRawBody, type Logger, type SubgraphModule } from '@grocery/platform';
import type { PaymentService } from '../domain/payment-service';
import { WebhookRejected } from '../payments/payment-provider';
import type { PaymentProviderRegistry } from '../payments/provider-registry';

export const PAYMENT_WEBHOOK_PATH = '/webhooks/payments';
const MAX_BODY_BYTES = 64 * 1024;

export function paymentWebhookRoutes(
  providers: PaymentProviderRegistry,
  payments: PaymentService,
  logger: Logger,
): NonNullable<SubgraphModule['routes']> {
  return (app) => {
    app.post(`${PAYMENT_WEBHOOK_PATH}/:provider`, async (req, res) => {
      const provider = providers.byWebhookSegment(String(req.params.provider));
      if (!provider) {
        res.status(404).json({ error: 'no such payment provider here' });
        return;
      }
      let rawBody: Buffer;
      try {
        rawBody = await readRawBody(req, MAX_BODY_BYTES);
      } catch {
        res.status(413).json({ error: 'body too large' });
        return;
      }
      const headers = lowerCaseHeaders(req);
      try {
        const update = await provider.parseWebhook({ rawBody, headers });
        if (update) {
          const outcome = await payments.apply(update);
          logger.info(
            { provider: provider.name, eventId: update.eventId, status: update.status, outcome },
            'payment webhook',
          );
        }
        res.status(provider.webhookAck.status);
        if (provider.webhookAck.body !== undefined) res.json(provider.webhookAck.body);
        else res.end();
      } catch (err) {
        if (err instanceof WebhookRejected) {
          logger.warn(
            { provider: provider.name, reason: err.message, address: req.socket.remoteAddress },
            'refused a payment webhook',
          );
          res.status(err.httpStatus).json({ error: 'webhook refused' });
          return;
        }
        // Not acknowledged: the provider retries later.
        logger.error({ err, provider: provider.name }, 'payment webhook failed');
        res.status(500).json({ error: 'not processed; retry later' });
      }
    });
  };
}
