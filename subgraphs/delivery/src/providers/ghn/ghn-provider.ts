// GHN (Giao Hàng Nhanh) behind the DeliveryProvider contract: parcel delivery for NEXT_DAY (GHN's
// e-commerce service, service_type_id 2); it offers no instant or same-day courier.
//
// Contract sources (read 2026-12-07; api.ghn.vn was not reachable from here, so these are its
// documented paths and fields as GHN's API documentation and partner integrations reproduce them):
//  - base https://online-gateway.ghn.vn/shiip/public-api (production) and
//    https://dev-online-gateway.ghn.vn/shiip/public-api (test); headers `Token` and `ShopId`;
//    answers {code, message, data}, code 200 on success, HTTP 400 with code_message on a refusal;
//  - POST /v2/shipping-order/fee (service_type_id, from_/to_district_id, from_/to_ward_code,
//    weight, length/width/height, insurance_value, cod_value) → data.total;
//  - POST /v2/shipping-order/create (client_order_code, payment_type_id, required_note,
//    from_/to_name, _phone, _address, _ward_name, _province_name, cod_amount, content, weight,
//    dimensions, insurance_value, service_type_id, items) → data.order_code, total_fee,
//    expected_delivery_time; client_order_code is unique per shop;
//  - POST /v2/shipping-order/detail {order_code} and /v2/shipping-order/detail-by-client-code
//    {client_order_code} → data.status, updated_date, leadtime;
//  - POST /v2/switch-status/cancel {order_codes} → data[] {order_code, result, message};
//  - webhooks (configured per shop) POST {OrderCode, ClientOrderCode, Status, Type, Time, …}
//    with no signature or token: they are only a hint to re-read the order with detail.
// Not verified: whether fee still requires GHN's district and ward ids after the 2025 reform.
// Ids are sent when an `areaOf` resolver supplies them, ward and province names always.
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
  type Quote,
  type QuoteRequest,
  type ServiceLevel,
  type ShipmentRef,
  type ShipmentUpdate,
  type WebhookOutcome,
} from '../delivery-provider';
import { field, requestJson, type JsonAnswer } from '../provider-http';
import { ghnShipmentStatus } from './ghn-status';

/** GHN's own ids for a place, from its master data (/master-data/district, /ward). */
export interface GhnArea {
  districtId: number;
  wardCode: string;
}

export interface GhnProviderOptions {
  token: string;
  shopId: string;
  /** Up to /shiip/public-api. */
  baseUrl: string;
  /** GHN service_type_id by our service level. Default NEXT_DAY → 2 (e-commerce delivery). */
  serviceTypes?: Partial<Record<ServiceLevel, number>>;
  areaOf?: (place: Place) => GhnArea | undefined;
  requestTimeoutMs?: number;
  now?: () => number;
}

const DEFAULT_SERVICE_TYPES: Partial<Record<ServiceLevel, number>> = { NEXT_DAY: 2 };
/** A grocery order as one box (cm). */
const BOX = { length: 40, width: 30, height: 30 };

export class GhnDeliveryProvider implements DeliveryProvider {
  readonly name = 'GHN' as const;
  private readonly base: string;
  private readonly timeoutMs: number;

  constructor(private readonly opts: GhnProviderOptions) {
    this.base = opts.baseUrl.replace(/\/+$/, '');
    this.timeoutMs = opts.requestTimeoutMs ?? 10_000;
  }

  async quote(req: QuoteRequest): Promise<Quote> {
    const data = this.ok(
      await this.api('/v2/shipping-order/fee', {
        service_type_id: this.serviceType(req.service),
        ...this.places(req),
        weight: req.parcel.weightGrams,
        ...BOX,
        insurance_value: req.parcel.value,
        cod_value: req.parcel.codAmount,
      }),
    );
    return { provider: 'GHN', service: req.service, fee: Math.round(Number(field(data, 'total') ?? 0)) };
  }

  book(req: BookRequest): Promise<Booking> {
    return this.create(req);
  }

  /** A return is an order from the customer (from_) to the store (to_), nothing to collect. */
  bookReturn(req: BookRequest): Promise<Booking> {
    return this.create({ ...req, parcel: { ...req.parcel, codAmount: 0 } });
  }

  async cancel(ref: ShipmentRef): Promise<void> {
    const data = this.ok(await this.api('/v2/switch-status/cancel', { order_codes: [ref.providerRef] }));
    const result: unknown = Array.isArray(data)
      ? data.find((r) => field(r, 'order_code') === ref.providerRef)
      : undefined;
    if (field(result, 'result') === true) return;
    // Refused: a cancelled order is a success; past pickup it cannot be cancelled any more.
    const status = String(field(await this.detail(ref.providerRef), 'status') ?? '');
    const ours = ghnShipmentStatus(status);
    if (ours === 'CANCELLED') return;
    const pickedUp = ours !== undefined && SHIPMENT_STATUS_RANK[ours] >= SHIPMENT_STATUS_RANK.PICKED_UP;
    throw new DeliveryOperationRefused(
      'GHN',
      pickedUp ? 'ALREADY_PICKED_UP' : 'CANCEL_REFUSED',
      `GHN refused to cancel ${ref.providerRef} (${status}): ${String(field(result, 'message') ?? '')}`,
    );
  }

  async track(ref: ShipmentRef): Promise<ShipmentUpdate> {
    const d = await this.detail(ref.providerRef);
    const ghnStatus = String(field(d, 'status') ?? '');
    const status = ghnShipmentStatus(ghnStatus);
    if (!status) throw new Error(`GHN answered an unknown order status ${ghnStatus}`);
    const updated = str(field(d, 'updated_date'));
    const updatedAt = updated ? Date.parse(updated) : NaN;
    return {
      // One order reaches one status at one update time once: re-reads of it dedupe.
      eventId: `ghn:${ref.providerRef}:${ghnStatus}:${updated ?? ''}`,
      provider: 'GHN',
      providerRef: ref.providerRef,
      shipmentId: str(field(d, 'client_order_code')) ?? ref.shipmentId,
      status,
      occurredAt: new Date(Number.isFinite(updatedAt) ? updatedAt : (this.opts.now ?? Date.now)()),
      eta: dateOf(field(d, 'leadtime')),
      providerStatus: ghnStatus,
      reason: str(field(d, 'reason')),
    };
  }

  /** GHN does not sign webhooks: check the shape, name the order, and let the caller re-read it. */
  async parseWebhook(webhook: IncomingWebhook): Promise<WebhookOutcome> {
    let body: unknown;
    try {
      body = JSON.parse(webhook.rawBody.toString('utf8'));
    } catch {
      throw new DeliveryWebhookRejected('GHN webhook: body is not JSON', 400);
    }
    const orderCode = str(field(body, 'OrderCode'));
    if (
      !orderCode ||
      !/^[A-Za-z0-9_-]{1,64}$/.test(orderCode) ||
      !(str(field(body, 'Status')) || str(field(body, 'Type')))
    )
      throw new DeliveryWebhookRejected('GHN webhook: OrderCode and Status or Type are required', 400);
    return { kind: 'reread', providerRef: orderCode };
  }

  private async create(req: BookRequest): Promise<Booking> {
    const answer = await this.api('/v2/shipping-order/create', {
      client_order_code: req.shipmentId,
      payment_type_id: 1, // the shop pays the fee
      required_note: 'KHONGCHOXEMHANG',
      note: req.note ?? '',
      from_name: req.origin.name,
      from_phone: req.origin.phone,
      from_address: req.origin.address,
      to_name: req.destination.name,
      to_phone: req.destination.phone,
      to_address: req.destination.address,
      ...this.places(req),
      cod_amount: req.parcel.codAmount,
      content: `Đơn hàng ${req.parcel.reference}`,
      weight: req.parcel.weightGrams,
      ...BOX,
      insurance_value: req.parcel.value,
      service_type_id: this.serviceType(req.service),
      items: req.parcel.items.map((i) => ({ name: i.name, quantity: i.quantity })),
    });
    if (answer.status === 200 && Number(field(answer.body, 'code')) === 200) {
      const data = field(answer.body, 'data');
      const orderCode = str(field(data, 'order_code'));
      if (!orderCode) throw new Error('GHN created an order without order_code');
      return {
        provider: 'GHN',
        providerRef: orderCode,
        status: 'BOOKED',
        fee: Math.round(Number(field(data, 'total_fee') ?? 0)),
        eta: dateOf(field(data, 'expected_delivery_time')),
      };
    }
    if (/tồn tại|exist|duplicate/i.test(messageOf(answer))) return this.existing(req.shipmentId);
    throw refusal(answer);
  }

  /** The order GHN already holds for this client_order_code (a retried booking). */
  private async existing(shipmentId: string): Promise<Booking> {
    const d = this.ok(await this.api('/v2/shipping-order/detail-by-client-code', { client_order_code: shipmentId }));
    const orderCode = str(field(d, 'order_code'));
    if (!orderCode) throw new Error('GHN answered an order without order_code');
    return {
      provider: 'GHN',
      providerRef: orderCode,
      status: ghnShipmentStatus(String(field(d, 'status') ?? '')) ?? 'BOOKED',
      fee: Math.round(Number(field(d, 'total_fee') ?? 0)),
      eta: dateOf(field(d, 'leadtime')),
    };
  }

  private detail(orderCode: string): Promise<unknown> {
    return this.api('/v2/shipping-order/detail', { order_code: orderCode }).then((a) => this.ok(a));
  }

  private places(req: QuoteRequest) {
    const from = this.opts.areaOf?.(req.origin);
    const to = this.opts.areaOf?.(req.destination);
    return {
      from_ward_name: req.origin.ward,
      from_province_name: req.origin.province,
      to_ward_name: req.destination.ward,
      to_province_name: req.destination.province,
      ...(from ? { from_district_id: from.districtId, from_ward_code: from.wardCode } : {}),
      ...(to ? { to_district_id: to.districtId, to_ward_code: to.wardCode } : {}),
    };
  }

  private serviceType(level: ServiceLevel): number {
    const id = (this.opts.serviceTypes ?? DEFAULT_SERVICE_TYPES)[level];
    if (!id) throw new DeliveryOperationRefused('GHN', 'SERVICE_NOT_OFFERED', `GHN does not offer ${level} delivery`);
    return id;
  }

  private ok(answer: JsonAnswer): unknown {
    if (answer.status !== 200 || Number(field(answer.body, 'code')) !== 200) throw refusal(answer);
    return field(answer.body, 'data');
  }

  /** GHN tokens do not expire; one it refuses (revoked) makes GHN unavailable to us, like an outage. */
  private async api(path: string, body: unknown): Promise<JsonAnswer> {
    const answer = await requestJson('GHN', `${this.base}${path}`, {
      method: 'POST',
      headers: { Token: this.opts.token, ShopId: this.opts.shopId },
      body,
      timeoutMs: this.timeoutMs,
    });
    if (answer.status === 401) throw new DeliveryProviderUnavailable('GHN', 'GHN refused our Token (HTTP 401)');
    return answer;
  }
}

function refusal(answer: JsonAnswer): DeliveryOperationRefused {
  const message = messageOf(answer);
  const code =
    answer.status === 404 || /not found|không tìm thấy/i.test(message)
      ? 'NOT_FOUND'
      : /không hỗ trợ|ngoài vùng|not support|route not found|out of (service )?area/i.test(message)
        ? 'OUTSIDE_SERVICE_AREA'
        : 'REJECTED';
  return new DeliveryOperationRefused('GHN', code, `GHN refused (HTTP ${answer.status}): ${message}`);
}

function messageOf(answer: JsonAnswer): string {
  return (
    [str(field(answer.body, 'code_message')), str(field(answer.body, 'message'))].filter(Boolean).join(': ') ||
    `HTTP ${answer.status}`
  );
}

function dateOf(v: unknown): Date | undefined {
  const at = typeof v === 'string' ? Date.parse(v) : NaN;
  return Number.isFinite(at) ? new Date(at) : undefined;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}
