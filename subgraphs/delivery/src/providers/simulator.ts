// The built-in courier (the embedded default, 'SIMULATOR'): behaves like the real ones so the
// whole shipment flow runs without an account anywhere. It quotes a deterministic fee, books,
// then moves each shipment along on a clock — COURIER_ASSIGNED → PICKED_UP → IN_TRANSIT (a few
// times, the driver's position interpolated from the store to the customer) → DELIVERED — and
// tells every step through a signed webhook to our own endpoint, verified like Stripe's
// (HMAC-SHA256 over "<timestamp>.<raw body>", header x-delivery-simulator-signature, older than
// 5 minutes refused). Mirrors the payment simulator (subgraphs/orders/src/payments/simulator.ts).
// Test hooks, matched in the parcel reference, the shipment id or the destination address:
//   sim_unavailable → DeliveryProviderUnavailable (the fallback moves on)
//   sim_refuse      → DeliveryOperationRefused OUTSIDE_SERVICE_AREA (also moves the fallback on)
//   sim_fail        → ends FAILED instead of DELIVERED
// Shipments live in this process's memory: a restarted simulator forgets them.
import { createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import type { Logger } from '@grocery/platform';
import {
  DeliveryOperationRefused,
  DeliveryProviderUnavailable,
  DeliveryWebhookRejected,
  SHIPMENT_STATUS_RANK,
  type BookRequest,
  type Booking,
  type DeliveryProvider,
  type IncomingWebhook,
  type Place,
  type Position,
  type Quote,
  type QuoteRequest,
  type ShipmentRef,
  type ShipmentStatus,
  type ShipmentUpdate,
  type WebhookOutcome,
} from './delivery-provider';

export const DELIVERY_SIMULATOR_SIGNATURE_HEADER = 'x-delivery-simulator-signature';
export const DELIVERY_SIMULATOR_HOOKS = ['sim_unavailable', 'sim_refuse', 'sim_fail'] as const;
const TOLERANCE_SECONDS = 300;
const COURIER = { name: 'Tài xế mô phỏng', phone: '0900000000', vehicle: '59-SIM 000.00' };
const BASE_FEE = { INSTANT: 25_000, SAME_DAY: 20_000, NEXT_DAY: 15_000 } as const;

export interface DeliverySimulatorOptions {
  /** Webhook signing secret (default: a fresh one per process). */
  secret?: string;
  /** Time between two steps of a shipment. */
  stepMs: number;
  /** IN_TRANSIT position reports between pickup and delivery (default 3). */
  positionsInTransit?: number;
  /** Where our webhook route is, known once the service listens. */
  webhookUrl: () => string | undefined;
  logger: Logger;
}

interface Step {
  status: ShipmentStatus;
  position?: { latitude: number; longitude: number };
  reason?: string;
}

interface SimulatedShipment {
  ref: string;
  shipmentId: string;
  fee: number;
  status: ShipmentStatus;
  steps: Step[];
  sent: number;
  position?: Position;
  occurredAt: Date;
  timer?: NodeJS.Timeout;
}

export class DeliverySimulator implements DeliveryProvider {
  readonly name = 'SIMULATOR' as const;
  private readonly secret: string;
  private readonly shipments = new Map<string, SimulatedShipment>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private closed = false;

  constructor(private readonly opts: DeliverySimulatorOptions) {
    this.secret = opts.secret ?? randomBytes(32).toString('base64url');
  }

  async quote(req: QuoteRequest): Promise<Quote> {
    this.hooks(req, req.parcel.reference);
    return { provider: 'SIMULATOR', service: req.service, fee: simulatedFee(req) };
  }

  book(req: BookRequest): Promise<Booking> {
    return this.create(req);
  }

  bookReturn(req: BookRequest): Promise<Booking> {
    return this.create(req);
  }

  async cancel(ref: ShipmentRef): Promise<void> {
    const s = this.shipments.get(ref.providerRef);
    if (!s)
      throw new DeliveryOperationRefused('SIMULATOR', 'NOT_FOUND', `simulator knows no shipment ${ref.providerRef}`);
    if (s.status === 'CANCELLED') return;
    if (SHIPMENT_STATUS_RANK[s.status] >= SHIPMENT_STATUS_RANK.PICKED_UP)
      throw new DeliveryOperationRefused('SIMULATOR', 'ALREADY_PICKED_UP', `simulator shipment is ${s.status}`);
    this.stop(s);
    s.steps = [...s.steps.slice(0, s.sent), { status: 'CANCELLED', reason: 'cancelled by the shop' }];
    this.advance(s);
  }

  async track(ref: ShipmentRef): Promise<ShipmentUpdate> {
    const s = this.shipments.get(ref.providerRef);
    if (!s)
      throw new DeliveryOperationRefused('SIMULATOR', 'NOT_FOUND', `simulator knows no shipment ${ref.providerRef}`);
    return this.update(s, `${s.ref}:${s.sent}`);
  }

  async parseWebhook(webhook: IncomingWebhook): Promise<WebhookOutcome> {
    const header = webhook.headers[DELIVERY_SIMULATOR_SIGNATURE_HEADER];
    const m = header ? /^t=(\d+),v1=([0-9a-f]{64})$/.exec(header) : null;
    if (!m) throw new DeliveryWebhookRejected('missing or malformed delivery simulator signature');
    const t = Number(m[1]);
    if (Math.abs(Date.now() / 1000 - t) > TOLERANCE_SECONDS)
      throw new DeliveryWebhookRejected('delivery simulator webhook too old');
    const expected = this.mac(t, webhook.rawBody);
    const given = Buffer.from(m[2]!, 'hex');
    if (given.length !== expected.length || !timingSafeEqual(given, expected))
      throw new DeliveryWebhookRejected('delivery simulator signature does not match');
    let event: SimulatorEvent;
    try {
      event = JSON.parse(webhook.rawBody.toString('utf8')) as SimulatorEvent;
    } catch {
      throw new DeliveryWebhookRejected('delivery simulator webhook: body is not JSON', 400);
    }
    const { position, eta, ...data } = event.data;
    return {
      kind: 'updates',
      updates: [
        {
          ...data,
          provider: 'SIMULATOR',
          eventId: event.id,
          occurredAt: new Date(event.created),
          ...(eta ? { eta: new Date(eta) } : {}),
          ...(position ? { position: { ...position, at: new Date(position.at) } } : {}),
        },
      ],
    };
  }

  /** Signs a body as the simulator does (tests forge and replay with it). */
  sign(rawBody: string, at = Date.now()): string {
    const t = Math.floor(at / 1000);
    return `t=${t},v1=${this.mac(t, Buffer.from(rawBody)).toString('hex')}`;
  }

  close(): void {
    this.closed = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }

  shutdown(): void {
    this.close();
  }

  private async create(req: BookRequest): Promise<Booking> {
    this.hooks(req, req.parcel.reference, req.shipmentId, req.destination.address);
    // One shipment per shipment id, like the real couriers' merchant order ids.
    const existing = [...this.shipments.values()].find((s) => s.shipmentId === req.shipmentId);
    if (existing)
      return { provider: 'SIMULATOR', providerRef: existing.ref, status: existing.status, fee: existing.fee };
    const fails = [req.parcel.reference, req.shipmentId, req.destination.address].some((v) => v.includes('sim_fail'));
    const s: SimulatedShipment = {
      ref: `sim_shp_${randomUUID()}`,
      shipmentId: req.shipmentId,
      fee: simulatedFee(req),
      status: 'BOOKED',
      steps: journey(req.origin, located(req), this.opts.positionsInTransit ?? 3, fails),
      sent: 0,
      occurredAt: new Date(),
    };
    this.shipments.set(s.ref, s);
    this.schedule(s);
    return { provider: 'SIMULATOR', providerRef: s.ref, status: 'BOOKED', fee: s.fee };
  }

  private hooks(req: QuoteRequest, ...values: string[]): void {
    const all = [...values, req.destination.address];
    if (all.some((v) => v.includes('sim_unavailable')))
      throw new DeliveryProviderUnavailable('SIMULATOR', 'simulator: unavailable (sim_unavailable)');
    if (all.some((v) => v.includes('sim_refuse')))
      throw new DeliveryOperationRefused('SIMULATOR', 'OUTSIDE_SERVICE_AREA', 'simulator: refused (sim_refuse)');
  }

  private schedule(s: SimulatedShipment): void {
    if (this.closed || s.sent >= s.steps.length) return;
    const t = setTimeout(() => {
      this.timers.delete(t);
      s.timer = undefined;
      this.advance(s);
      this.schedule(s);
    }, this.opts.stepMs);
    t.unref();
    s.timer = t;
    this.timers.add(t);
  }

  private stop(s: SimulatedShipment): void {
    if (!s.timer) return;
    clearTimeout(s.timer);
    this.timers.delete(s.timer);
    s.timer = undefined;
  }

  /** Takes the next step and tells it. */
  private advance(s: SimulatedShipment): void {
    const step = s.steps[s.sent];
    if (!step || this.closed) return;
    s.sent++;
    s.status = step.status;
    s.occurredAt = new Date();
    if (step.position) s.position = { ...step.position, at: s.occurredAt };
    void this.send(this.update(s, `${s.ref}:${s.sent}`, step.reason));
  }

  private update(s: SimulatedShipment, eventId: string, reason?: string): ShipmentUpdate {
    return {
      eventId,
      provider: 'SIMULATOR',
      providerRef: s.ref,
      shipmentId: s.shipmentId,
      status: s.status,
      occurredAt: s.occurredAt,
      ...(SHIPMENT_STATUS_RANK[s.status] >= SHIPMENT_STATUS_RANK.COURIER_ASSIGNED && s.status !== 'CANCELLED'
        ? { courier: COURIER }
        : {}),
      ...(s.position ? { position: s.position } : {}),
      providerStatus: s.status,
      ...(reason ? { reason } : {}),
    };
  }

  private async send(update: ShipmentUpdate, attempt = 0): Promise<void> {
    const url = this.opts.webhookUrl();
    if (!url || this.closed) return;
    const { eventId, occurredAt, provider: _provider, ...data } = update;
    const body = JSON.stringify({ id: eventId, type: 'shipment.updated', created: occurredAt.getTime(), data });
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', [DELIVERY_SIMULATOR_SIGNATURE_HEADER]: this.sign(body) },
        body,
        signal: AbortSignal.timeout(10_000),
      });
      // Like a real courier, it retries what was not acknowledged (a few times, with back-off).
      if (!res.ok && res.status >= 500) this.retry(update, attempt);
    } catch (err) {
      if (this.closed) return;
      this.opts.logger.warn(
        { err: (err as Error).message, eventId },
        'delivery simulator: webhook not delivered, retrying',
      );
      this.retry(update, attempt);
    }
  }

  private retry(update: ShipmentUpdate, attempt: number): void {
    if (attempt >= 3 || this.closed) return;
    const t = setTimeout(
      () => {
        this.timers.delete(t);
        void this.send(update, attempt + 1);
      },
      500 * (attempt + 1),
    );
    t.unref();
    this.timers.add(t);
  }

  private mac(t: number, body: Buffer): Buffer {
    return createHmac('sha256', this.secret).update(`${t}.`).update(body).digest();
  }
}

interface SimulatorEvent {
  id: string;
  type: string;
  created: number;
  data: Omit<ShipmentUpdate, 'eventId' | 'provider' | 'occurredAt' | 'position' | 'eta'> & {
    position?: { latitude: number; longitude: number; at: string };
    eta?: string;
  };
}

/**
 * The destination with coordinates: ours carry none (addresses are not geocoded), so the simulated
 * driver heads for a point 1–3 km from the store, fixed per shipment. Positions are simulated.
 */
function located(req: BookRequest): Place {
  const to = req.destination;
  if (to.latitude !== undefined && to.longitude !== undefined) return to;
  const from = req.origin;
  if (from.latitude === undefined || from.longitude === undefined) return to;
  const h = createHmac('sha256', 'simulated-destination').update(req.shipmentId).digest();
  const angle = (h.readUInt16BE(0) / 65_535) * 2 * Math.PI;
  const km = 1 + (h.readUInt16BE(2) / 65_535) * 2;
  return {
    ...to,
    latitude: round6(from.latitude + (km / 111) * Math.cos(angle)),
    longitude: round6(from.longitude + (km / 111) * Math.sin(angle)),
  };
}

/** The steps after BOOKED; positions only when both ends have coordinates. */
function journey(from: Place, to: Place, inTransit: number, fails: boolean): Step[] {
  const located =
    from.latitude !== undefined &&
    from.longitude !== undefined &&
    to.latitude !== undefined &&
    to.longitude !== undefined;
  const at = (f: number) =>
    located
      ? {
          latitude: round6(from.latitude! + (to.latitude! - from.latitude!) * f),
          longitude: round6(from.longitude! + (to.longitude! - from.longitude!) * f),
        }
      : undefined;
  const steps: Step[] = [
    { status: 'COURIER_ASSIGNED', position: at(0) },
    { status: 'PICKED_UP', position: at(0) },
  ];
  for (let i = 1; i <= inTransit; i++) steps.push({ status: 'IN_TRANSIT', position: at(i / (inTransit + 1)) });
  steps.push(
    fails
      ? { status: 'FAILED', position: at(1), reason: 'nobody home (sim_fail)' }
      : { status: 'DELIVERED', position: at(1) },
  );
  return steps;
}

/** By service, plus 2 000 VND a started kg over 3 kg and 4 000 VND a km as the crow flies. */
export function simulatedFee(req: QuoteRequest): number {
  const extraKg = Math.max(0, Math.ceil((req.parcel.weightGrams - 3_000) / 1_000));
  const { latitude: a, longitude: b } = req.origin;
  const { latitude: c, longitude: d } = req.destination;
  const km = a !== undefined && b !== undefined && c !== undefined && d !== undefined ? haversineKm(a, b, c, d) : 5;
  return BASE_FEE[req.service] + 2_000 * extraKg + 1_000 * Math.round(4 * km);
}

function haversineKm(lat1: number, lng1: number, lat2: number, lng2: number): number {
  const rad = (x: number) => (x * Math.PI) / 180;
  const h =
    Math.sin(rad(lat2 - lat1) / 2) ** 2 +
    Math.cos(rad(lat1)) * Math.cos(rad(lat2)) * Math.sin(rad(lng2 - lng1) / 2) ** 2;
  return 2 * 6371 * Math.asin(Math.sqrt(h));
}

const round6 = (x: number) => Math.round(x * 1e6) / 1e6;
