// Grab Express (GrabExpress Delivery API v1) behind the DeliveryProvider contract: on-demand
// drivers for INSTANT and SAME_DAY deliveries from a store (Grab offers no next-day service).
//
// Contract sources (read 2026-12-07; Grab's developer portal itself was not reachable from here,
// so these are the portal's paths and fields as partner integrations and Grab's partner FAQ
// reproduce them):
//  - developer.grab.com/docs/grab-express (and the older developer-beta.stg-myteksi.com copy):
//    POST /v1/deliveries/quotes, POST /v1/deliveries (merchantOrderID, serviceType, packages,
//    origin/destination {address, coordinates}, sender/recipient, paymentMethod, cashOnDelivery,
//    schedule), GET /v1/deliveries/{deliveryID}, DELETE /v1/deliveries/{deliveryID} (204; 409
//    once picked up); API under https://partner-api.grab.com/grab-express (production) and
//    /grab-express-sandbox (sandbox); OAuth 2.0 client credentials at
//    https://partner-api.grab.com/grabid/v1/oauth2/token, scope grab_express.partner_deliveries;
//  - Grab's "FAQs for GE Partners": status CANCELED (American spelling); trackingURL is empty
//    until a driver is assigned; merchantOrderID and deliveryID do not change when the driver does;
//  - tracking webhook: POSTed to a URL given to GrabExpress support, authenticated by a shared
//    secret Grab sends back in the Authorization header (no body signature); body carries
//    deliveryID, merchantOrderID, timestamp (Unix seconds), status, trackURL, failedReason, driver.
// Not documented anywhere we could read: what create answers for a merchantOrderID it has seen
// (we treat 409, or a message saying duplicate/already exists, as "already booked"), and a way to
// read a delivery by merchantOrderID. So a duplicate is resolved from the deliveryID this
// process already knows (from the first answer or a webhook) or one the answer carries; otherwise
// it is refused as DUPLICATE_UNRESOLVED — never booked a second time, never booked elsewhere.
import {
  DeliveryOperationRefused,
  DeliveryProviderUnavailable,
  DeliveryWebhookRejected,
  type BookRequest,
  type Booking,
  type DeliveryProvider,
  type IncomingWebhook,
  type Place,
  type Quote,
  type QuoteRequest,
  type ServiceLevel,
  type ShipmentRef,
  type ShipmentUpdate,
  type WebhookOutcome,
} from '../delivery-provider';
import { field, requestJson, type JsonAnswer } from '../provider-http';
import { sameSecret } from '../shared-secret';
import { GrabTokenCache } from './grab-token-cache';
import { GRAB_CANCELLABLE, grabShipmentStatus } from './grab-status';

export interface GrabProviderOptions {
  clientId: string;
  clientSecret: string;
  /** The Express API base, e.g. https://partner-api.grab.com/grab-express-sandbox. */
  baseUrl: string;
  /** GrabID's token endpoint; default: the base URL's origin + /grabid/v1/oauth2/token. */
  tokenUrl?: string;
  /** The secret agreed with GrabExpress support, sent back in each webhook's Authorization header. */
  webhookSecret: string;
  /** One HTTP attempt (default 10 s). */
  requestTimeoutMs?: number;
  now?: () => number;
}

const GRAB_SERVICE: Partial<Record<ServiceLevel, string>> = { INSTANT: 'INSTANT', SAME_DAY: 'SAME_DAY' };

export class GrabDeliveryProvider implements DeliveryProvider {
  readonly name = 'GRAB' as const;
  readonly tokens: GrabTokenCache;
  private readonly base: string;
  private readonly timeoutMs: number;
  /** deliveryID by merchantOrderID (our shipment id), learnt from answers and webhooks. */
  private readonly known = new Map<string, string>();

  constructor(private readonly opts: GrabProviderOptions) {
    this.base = opts.baseUrl.replace(/\/+$/, '');
    this.timeoutMs = opts.requestTimeoutMs ?? 10_000;
    this.tokens = new GrabTokenCache({
      tokenUrl: opts.tokenUrl ?? `${new URL(this.base).origin}/grabid/v1/oauth2/token`,
      clientId: opts.clientId,
      clientSecret: opts.clientSecret,
      timeoutMs: this.timeoutMs,
      now: opts.now,
    });
  }

  async quote(req: QuoteRequest): Promise<Quote> {
    const answer = await this.api('POST', '/v1/deliveries/quotes', {
      serviceType: serviceType(req.service),
      packages: packages(req),
      origin: location(req.origin),
      destination: location(req.destination),
    });
    if (answer.status !== 200) throw refusal(answer);
    const quotes = field(answer.body, 'quotes');
    const first: unknown = Array.isArray(quotes) ? quotes[0] : undefined;
    if (!first) throw new DeliveryOperationRefused('GRAB', 'OUTSIDE_SERVICE_AREA', 'GRAB offered no quote');
    return { provider: 'GRAB', service: req.service, fee: amount(first), eta: dropoffEta(first) };
  }

  book(req: BookRequest): Promise<Booking> {
    return this.create(req);
  }

  /** A return is a delivery from the customer (origin) to the store (destination), nothing to collect. */
  bookReturn(req: BookRequest): Promise<Booking> {
    return this.create({ ...req, parcel: { ...req.parcel, codAmount: 0 } });
  }

  async cancel(ref: ShipmentRef): Promise<void> {
    const answer = await this.api('DELETE', `/v1/deliveries/${encodeURIComponent(ref.providerRef)}`);
    if (answer.status === 200 || answer.status === 204) return;
    if (answer.status === 404)
      throw new DeliveryOperationRefused('GRAB', 'NOT_FOUND', `GRAB knows no delivery ${ref.providerRef}`);
    // 409 (or a 400): read why — a delivery already cancelled is a success.
    const current = await this.details(ref.providerRef);
    const status = String(field(current, 'status') ?? '');
    if (grabShipmentStatus(status) === 'CANCELLED') return;
    throw new DeliveryOperationRefused(
      'GRAB',
      GRAB_CANCELLABLE.has(status) ? 'CANCEL_REFUSED' : 'ALREADY_PICKED_UP',
      `GRAB refused to cancel ${ref.providerRef}: the delivery is ${status}`,
    );
  }

  async track(ref: ShipmentRef): Promise<ShipmentUpdate> {
    const d = await this.details(ref.providerRef);
    const grabStatus = String(field(d, 'status') ?? '');
    const status = grabShipmentStatus(grabStatus);
    if (!status) throw new Error(`GRAB answered an unknown delivery status ${grabStatus}`);
    const courier = field(d, 'courier');
    const coordinates = field(courier, 'coordinates');
    const now = new Date((this.opts.now ?? Date.now)());
    return {
      eventId: `grab:track:${ref.providerRef}:${grabStatus}`,
      provider: 'GRAB',
      providerRef: ref.providerRef,
      shipmentId: str(field(d, 'merchantOrderID')) ?? ref.shipmentId,
      status,
      occurredAt: now,
      trackingUrl: str(field(d, 'trackingURL')),
      eta: dropoffEta(field(d, 'quote')),
      courier: courier ? { name: str(field(courier, 'name')), phone: str(field(courier, 'phone')) } : undefined,
      position: positionOf(field(coordinates, 'latitude'), field(coordinates, 'longitude'), now),
      providerStatus: grabStatus,
      reason: str(field(field(d, 'advanceInfo'), 'failedReason')),
    };
  }

  async parseWebhook(webhook: IncomingWebhook): Promise<WebhookOutcome> {
    if (!sameSecret(webhook.headers['authorization'], this.opts.webhookSecret))
      throw new DeliveryWebhookRejected('GRAB webhook: missing or wrong Authorization secret');
    let body: unknown;
    try {
      body = JSON.parse(webhook.rawBody.toString('utf8'));
    } catch {
      throw new DeliveryWebhookRejected('GRAB webhook: body is not JSON', 400);
    }
    const deliveryID = str(field(body, 'deliveryID'));
    const grabStatus = str(field(body, 'status'));
    const timestamp = Number(field(body, 'timestamp'));
    if (!deliveryID || !grabStatus || !Number.isFinite(timestamp))
      throw new DeliveryWebhookRejected('GRAB webhook: deliveryID, status and timestamp are required', 400);
    const merchantOrderID = str(field(body, 'merchantOrderID'));
    if (merchantOrderID) this.known.set(merchantOrderID, deliveryID);
    const status = grabShipmentStatus(grabStatus);
    // A state we do not know yet is acknowledged and skipped rather than retried forever.
    if (!status) return { kind: 'updates', updates: [] };
    const occurredAt = new Date(timestamp * 1000);
    const driver = field(body, 'driver');
    return {
      kind: 'updates',
      updates: [
        {
          // Grab gives no event id; one delivery reaches one state at one time once.
          eventId: `grab:${deliveryID}:${grabStatus}:${timestamp}`,
          provider: 'GRAB',
          providerRef: deliveryID,
          shipmentId: merchantOrderID,
          status,
          occurredAt,
          trackingUrl: str(field(body, 'trackURL')) ?? str(field(body, 'trackingURL')),
          courier: driver
            ? {
                name: str(field(driver, 'name')),
                phone: str(field(driver, 'phone')),
                vehicle: str(field(driver, 'licensePlate')),
              }
            : undefined,
          position: positionOf(field(driver, 'currentLat'), field(driver, 'currentLng'), occurredAt),
          providerStatus: grabStatus,
          reason: str(field(body, 'failedReason')),
        },
      ],
    };
  }

  private async create(req: BookRequest): Promise<Booking> {
    const answer = await this.api('POST', '/v1/deliveries', {
      merchantOrderID: req.shipmentId,
      serviceType: serviceType(req.service),
      paymentMethod: 'CASHLESS',
      payer: 'SENDER',
      packages: packages(req),
      origin: location(req.origin),
      destination: location(req.destination),
      sender: contact(req.origin, req.note),
      recipient: contact(req.destination, req.note),
      ...(req.parcel.codAmount > 0 ? { cashOnDelivery: { amount: req.parcel.codAmount } } : {}),
      ...(req.window && req.service === 'SAME_DAY'
        ? {
            schedule: {
              pickupTimeFrom: req.window.startsAt.toISOString(),
              pickupTimeTo: req.window.endsAt.toISOString(),
            },
          }
        : {}),
    });
    if (answer.status === 200 || answer.status === 201) return this.booking(answer.body, req.shipmentId);
    if (isDuplicate(answer)) {
      const deliveryID = str(field(answer.body, 'deliveryID')) ?? this.known.get(req.shipmentId);
      if (!deliveryID)
        throw new DeliveryOperationRefused(
          'GRAB',
          'DUPLICATE_UNRESOLVED',
          `GRAB already has a delivery for ${req.shipmentId} and does not say which; its webhook will name it`,
        );
      return this.booking(await this.details(deliveryID), req.shipmentId);
    }
    throw refusal(answer);
  }

  private booking(d: unknown, shipmentId: string): Booking {
    const deliveryID = str(field(d, 'deliveryID'));
    if (!deliveryID) throw new Error('GRAB answered a delivery without deliveryID');
    this.known.set(shipmentId, deliveryID);
    const quote = field(d, 'quote');
    return {
      provider: 'GRAB',
      providerRef: deliveryID,
      status: grabShipmentStatus(String(field(d, 'status') ?? '')) ?? 'BOOKED',
      fee: quote ? amount(quote) : 0,
      trackingUrl: str(field(d, 'trackingURL')),
      eta: dropoffEta(quote),
    };
  }

  private async details(deliveryID: string): Promise<unknown> {
    const answer = await this.api('GET', `/v1/deliveries/${encodeURIComponent(deliveryID)}`);
    if (answer.status === 404)
      throw new DeliveryOperationRefused('GRAB', 'NOT_FOUND', `GRAB knows no delivery ${deliveryID}`);
    if (answer.status !== 200) throw refusal(answer);
    return answer.body;
  }

  /** An authorised call; a 401 means the token was revoked early: fetch a new one and retry once. */
  private async api(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown): Promise<JsonAnswer> {
    for (let attempt = 0; ; attempt++) {
      const token = await this.tokens.token();
      const answer = await requestJson('GRAB', `${this.base}${path}`, {
        method,
        headers: { authorization: `Bearer ${token}` },
        body,
        timeoutMs: this.timeoutMs,
      });
      if (answer.status !== 401) return answer;
      this.tokens.invalidate(token);
      if (attempt >= 1) throw new DeliveryProviderUnavailable('GRAB', 'GRAB refused a fresh access token (HTTP 401)');
    }
  }
}

function serviceType(service: ServiceLevel): string {
  const type = GRAB_SERVICE[service];
  if (!type)
    throw new DeliveryOperationRefused('GRAB', 'SERVICE_NOT_OFFERED', `GRAB does not offer ${service} delivery`);
  return type;
}

/** Grab routes drivers by coordinates: an address without them cannot be booked. */
function location(place: Place) {
  if (place.latitude === undefined || place.longitude === undefined)
    throw new DeliveryOperationRefused('GRAB', 'ADDRESS_NOT_SUPPORTED', 'GRAB needs coordinates for every address');
  return {
    address: [place.address, place.ward, place.province].filter(Boolean).join(', '),
    coordinates: { latitude: place.latitude, longitude: place.longitude },
  };
}

function contact(place: Place, instruction?: string) {
  return { firstName: place.name, phone: place.phone, smsEnabled: true, ...(instruction ? { instruction } : {}) };
}

/** The order as one package: a grocery order is handed over as one bagged lot. */
function packages(req: QuoteRequest) {
  const summary = req.parcel.items.map((i) => `${i.quantity} × ${i.name}`).join(', ');
  return [
    {
      name: `Order ${req.parcel.reference}`,
      description: summary.slice(0, 500) || req.parcel.reference,
      quantity: 1,
      price: req.parcel.value,
      // Grab wants dimensions; a standard grocery bag lot (cm), weight in grams.
      dimensions: { height: 30, width: 40, depth: 30, weight: req.parcel.weightGrams },
    },
  ];
}

/** Grab amounts are in the currency's major unit; VND has none smaller, so this is whole đồng. */
function amount(quote: unknown): number {
  return Math.round(Number(field(quote, 'amount') ?? 0));
}

function dropoffEta(quote: unknown): Date | undefined {
  const dropoff = str(field(field(quote, 'estimatedTimeline'), 'dropoff'));
  const at = dropoff ? Date.parse(dropoff) : NaN;
  return Number.isFinite(at) ? new Date(at) : undefined;
}

function positionOf(lat: unknown, lng: unknown, at: Date) {
  return typeof lat === 'number' && typeof lng === 'number' ? { latitude: lat, longitude: lng, at } : undefined;
}

function isDuplicate(answer: JsonAnswer): boolean {
  return answer.status === 409 || /duplicate|already exist/i.test(messageOf(answer));
}

function refusal(answer: JsonAnswer): DeliveryOperationRefused {
  const message = messageOf(answer);
  const code = /area|distance|city|coverage|not supported|location/i.test(message)
    ? 'OUTSIDE_SERVICE_AREA'
    : 'REJECTED';
  return new DeliveryOperationRefused('GRAB', code, `GRAB refused (HTTP ${answer.status}): ${message}`);
}

function messageOf(answer: JsonAnswer): string {
  return str(field(answer.body, 'message')) ?? str(field(answer.body, 'error')) ?? `HTTP ${answer.status}`;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}
