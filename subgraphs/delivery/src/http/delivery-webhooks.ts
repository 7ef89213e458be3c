// POST /webhooks/delivery/<provider>: couriers' notifications, authenticated by each courier's own
// mechanism on the raw body before anything is read (the simulator's HMAC header, Grab's shared
// Authorization secret, ViettelPost's TOKEN; GHN's are unsigned, so they only make us re-read the
// status from GHN), then applied once per (provider, event id) and never backwards. 401 for a
// forged one, 404 for a courier not enabled here, 500 (the courier retries) when applying failed.
import { lowerCaseHeaders, readRawBody, type Logger, type SubgraphModule } from '@grocery/platform';
import type { ShipmentService } from '../domain/shipment-service';
import { DeliveryWebhookRejected } from '../providers/delivery-provider';

export const DELIVERY_WEBHOOK_PATH = '/webhooks/delivery';
const MAX_BODY_BYTES = 64 * 1024;

export function deliveryWebhookRoutes(
  shipments: ShipmentService,
  logger: Logger,
): NonNullable<SubgraphModule['routes']> {
  return (app) => {
    app.post(`${DELIVERY_WEBHOOK_PATH}/:provider`, async (req, res) => {
      const name = String(req.params.provider);
      if (!/^[a-z]{2,20}$/.test(name) || !shipments.provider(name)) {
        res.status(404).json({ error: 'no such courier here' });
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
      const query = Object.fromEntries(
        Object.entries(req.query).map(([k, v]) => [k, typeof v === 'string' ? v : undefined]),
      );
      try {
        const result = await shipments.webhook(name, { rawBody, headers, query });
        if (result.kind === 'applied') logger.info({ provider: name, outcomes: result.outcomes }, 'delivery webhook');
        res.status(200).json({ ok: true });
      } catch (err) {
        if (err instanceof DeliveryWebhookRejected) {
          logger.warn(
            { provider: name, reason: err.message, address: req.socket.remoteAddress },
            'refused a delivery webhook',
          );
          res.status(err.httpStatus).json({ error: 'webhook refused' });
          return;
        }
        logger.error({ err, provider: name }, 'delivery webhook failed');
        res.status(500).json({ error: 'not processed; retry later' });
      }
    });
  };
}
