// ViettelPost (partner API v2) behind the DeliveryProvider contract: postal parcel delivery for
// SAME_DAY (hoả tốc) and NEXT_DAY (chuyển phát nhanh); no on-demand INSTANT service.
//
// Contract sources (read 2026-12-07; ViettelPost's partner documentation portal was not reachable
// from here, so these are its paths and fields as the official partner guide and partner SDKs
// reproduce them):
//  - POST /v2/user/Login {USERNAME, PASSWORD} → data.token (short-lived, data.expired in ms);
//    POST /v2/user/ownerconnect with that Token header and the shop's USERNAME/PASSWORD →
//    data.token, the long-lived token for the shop's orders; every call sends it as `Token`;
//  - POST /v2/order/getPrice (PRODUCT_WEIGHT, PRODUCT_PRICE, MONEY_COLLECTION, ORDER_SERVICE,
//    ORDER_SERVICE_ADD, SENDER_/RECEIVER_PROVINCE and _DISTRICT, PRODUCT_TYPE, NATIONAL_TYPE)
//    → data.MONEY_TOTAL, data.KPI_HT (hours);
//  - POST /v2/order/createOrder (ORDER_NUMBER is the partner's own order number; ORDER_PAYMENT
//    1 = no collection, 3 = collect the goods' value; LIST_ITEM) → data.ORDER_NUMBER is
//    ViettelPost's waybill code;
//  - POST /v2/order/UpdateOrder {TYPE, ORDER_NUMBER, NOTE}: TYPE 1 approve, 2 approve return,
//    3 deliver again, 4 cancel, 5 pick up again, 11 delete a cancelled order;
//  - answers are HTTP 200 with {status, error, message, data}; status 200 and error false is success;
//  - webhook: ViettelPost POSTs {DATA: {ORDER_NUMBER, ORDER_REFERENCE, ORDER_STATUSDATE
//    "dd/MM/yyyy HH:mm:ss" (Vietnam time), ORDER_STATUS, STATUS_NAME, LOCALION_CURRENTLY, NOTE,
//    MONEY_COLLECTION, …}, TOKEN} where TOKEN is the secure token the shop configured for its
//    webhook: the only authentication, checked here in constant time.
// Not verified: whether the live API still needs its own province/district/ward ids after the
// 2025 reform. Ids are sent when an `areaOf` resolver supplies them, the full address text always.
// No endpoint that re-reads one order's status is documented in what we could read, so track()
// is refused (TRACK_NOT_AVAILABLE): ViettelPost statuses arrive only by webhook. Nor is a way to
// read an order by our ORDER_NUMBER: a duplicate is resolved from what this process knows.
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
  type ShipmentStatus,
  type ShipmentUpdate,
  type WebhookOutcome,
} from '../delivery-provider';
import { field, requestJson, type JsonAnswer } from '../provider-http';
import { sameSecret } from '../shared-secret';
import { parseEta, vietnamDate, vietnamTime } from './viettelpost-dates';
import { messageOf, succeeded, ViettelPostSession } from './viettelpost-session';
import { viettelPostShipmentStatus } from './viettelpost-status';

/** ViettelPost's own ids for a place, from its master data (listProvinceById and the like). */
export interface ViettelPostArea {
  provinceId: number;
  districtId?: number;
  wardId?: number;
}

export interface ViettelPostProviderOptions {
  username: string;
  password: string;
  /** Default https://partner.viettelpost.vn. */
  baseUrl: string;
  /** The secure token configured for our webhook in ViettelPost's partner portal. */
  webhookToken: string;
  /** ViettelPost service codes by our service level. Default SAME_DAY → VHT, NEXT_DAY → VCN. */
  services?: Partial<Record<ServiceLevel, string>>;
  areaOf?: (place: Place) => ViettelPostArea | undefined;
  requestTimeoutMs?: number;
  now?: () => number;
}

const DEFAULT_SERVICES: Partial<Record<ServiceLevel, string>> = { SAME_DAY: 'VHT', NEXT_DAY: 'VCN' };

export class ViettelPostDeliveryProvider implements DeliveryProvider {
  readonly name = 'VIETTELPOST' as const;
  readonly session: ViettelPostSession;
  private readonly base: string;
  private readonly timeoutMs: number;
  /** ViettelPost's waybill code by our ORDER_NUMBER (shipment id), and the last status seen. */
  private readonly known = new Map<string, string>();
  private readonly lastStatus = new Map<string, ShipmentStatus>();

  constructor(private readonly opts: ViettelPostProviderOptions) {
    this.base = opts.baseUrl.replace(/\/+$/, '');
    this.timeoutMs = opts.requestTimeoutMs ?? 10_000;
    this.session = new ViettelPostSession({
      baseUrl: this.base,
      username: opts.username,
      password: opts.password,
      timeoutMs: this.timeoutMs,
      now: opts.now ?? Date.now,
    });
  }

  async quote(req: QuoteRequest): Promise<Quote> {
    const service = this.service(req.service);
    const from = this.opts.areaOf?.(req.origin);
    const to = this.opts.areaOf?.(req.destination);
    const data = this.ok(
      await this.api('/v2/order/getPrice', {
        PRODUCT_WEIGHT: req.parcel.weightGrams,
        PRODUCT_PRICE: req.parcel.value,
        MONEY_COLLECTION: req.parcel.codAmount,
        ORDER_SERVICE_ADD: '',
        ORDER_SERVICE: service,
        ...(from ? { SENDER_PROVINCE: from.provinceId, SENDER_DISTRICT: from.districtId ?? 0 } : {}),
        ...(to ? { RECEIVER_PROVINCE: to.provinceId, RECEIVER_DISTRICT: to.districtId ?? 0 } : {}),
        SENDER_ADDRESS: fullAddress(req.origin),
        RECEIVER_ADDRESS: fullAddress(req.destination),
        PRODUCT_TYPE: 'HH',
        NATIONAL_TYPE: 1,
      }),
    );
    return { provider: 'VIETTELPOST', service: req.service, fee: vnd(field(data, 'MONEY_TOTAL')), eta: this.eta(data) };
  }

  book(req: BookRequest): Promise<Booking> {
    return this.create(req);
  }

  /** A return is an order from the customer (sender) to the store (receiver), nothing to collect. */
  bookReturn(req: BookRequest): Promise<Booking> {
    return this.create({ ...req, parcel: { ...req.parcel, codAmount: 0 } });
  }

  async cancel(ref: ShipmentRef): Promise<void> {
    const held = this.lastStatus.get(ref.providerRef);
    if (held === 'CANCELLED') return;
    const answer = await this.api('/v2/order/UpdateOrder', {
      TYPE: 4,
      ORDER_NUMBER: ref.providerRef,
      NOTE: 'Huỷ theo yêu cầu của cửa hàng',
    });
    if (succeeded(answer)) {
      this.lastStatus.set(ref.providerRef, 'CANCELLED');
      return;
    }
    const message = messageOf(answer);
    // ViettelPost answers a second cancel with an error saying the order is already cancelled.
    if (/đã\s+h(ủ|u)y|already\s+cancel/i.test(message)) return;
    const pickedUp = held !== undefined && SHIPMENT_STATUS_RANK[held] >= SHIPMENT_STATUS_RANK.PICKED_UP;
    throw new DeliveryOperationRefused(
      'VIETTELPOST',
      pickedUp || /lấy hàng|picked/i.test(message) ? 'ALREADY_PICKED_UP' : 'CANCEL_REFUSED',
      `VIETTELPOST refused to cancel ${ref.providerRef}: ${message}`,
    );
  }

  async track(ref: ShipmentRef): Promise<ShipmentUpdate> {
    throw new DeliveryOperationRefused(
      'VIETTELPOST',
      'TRACK_NOT_AVAILABLE',
      `VIETTELPOST documents no status read for ${ref.providerRef}; its statuses arrive by webhook`,
    );
  }

  async parseWebhook(webhook: IncomingWebhook): Promise<WebhookOutcome> {
    let body: unknown;
    try {
      body = JSON.parse(webhook.rawBody.toString('utf8'));
    } catch {
      throw new DeliveryWebhookRejected('VIETTELPOST webhook: body is not JSON', 400);
    }
    const token = field(body, 'TOKEN');
    if (!sameSecret(typeof token === 'string' ? token : undefined, this.opts.webhookToken))
      throw new DeliveryWebhookRejected('VIETTELPOST webhook: missing or wrong TOKEN');
    const data = field(body, 'DATA');
    const waybill = scalar(field(data, 'ORDER_NUMBER'));
    const code = Number(field(data, 'ORDER_STATUS'));
    const statusDate = scalar(field(data, 'ORDER_STATUSDATE'));
    const occurredAt = statusDate ? vietnamTime(statusDate) : undefined;
    if (!waybill || !Number.isInteger(code) || !occurredAt)
      throw new DeliveryWebhookRejected(
        'VIETTELPOST webhook: ORDER_NUMBER, ORDER_STATUS and ORDER_STATUSDATE are required',
        400,
      );
    const reference = scalar(field(data, 'ORDER_REFERENCE'));
    if (reference) this.known.set(reference, waybill);
    const status = viettelPostShipmentStatus(code);
    if (!status) return { kind: 'updates', updates: [] };
    const previous = this.lastStatus.get(waybill);
    if (!previous || SHIPMENT_STATUS_RANK[status] >= SHIPMENT_STATUS_RANK[previous])
      this.lastStatus.set(waybill, status);
    return {
      kind: 'updates',
      updates: [
        {
          eventId: `viettelpost:${waybill}:${code}:${statusDate}`,
          provider: 'VIETTELPOST',
          providerRef: waybill,
          shipmentId: reference,
          status,
          occurredAt,
          eta: parseEta(scalar(field(data, 'EXPECTED_DELIVERY'))),
          providerStatus: `${code} ${scalar(field(data, 'STATUS_NAME')) ?? ''}`.trim(),
          reason: scalar(field(data, 'NOTE')),
        },
      ],
    };
  }

  private async create(req: BookRequest): Promise<Booking> {
    const service = this.service(req.service);
    const from = this.opts.areaOf?.(req.origin);
    const to = this.opts.areaOf?.(req.destination);
    const answer = await this.api('/v2/order/createOrder', {
      ORDER_NUMBER: req.shipmentId,
      DELIVERY_DATE: vietnamDate(req.window?.startsAt ?? new Date((this.opts.now ?? Date.now)())),
      SENDER_FULLNAME: req.origin.name,
      SENDER_ADDRESS: fullAddress(req.origin),
      SENDER_PHONE: req.origin.phone,
      ...areaFields('SENDER', from),
      ...coordinates('SENDER', req.origin),
      RECEIVER_FULLNAME: req.destination.name,
      RECEIVER_ADDRESS: fullAddress(req.destination),
      RECEIVER_PHONE: req.destination.phone,
      ...areaFields('RECEIVER', to),
      ...coordinates('RECEIVER', req.destination),
      PRODUCT_NAME: `Đơn hàng ${req.parcel.reference}`,
      PRODUCT_DESCRIPTION: req.parcel.items.map((i) => `${i.quantity} × ${i.name}`).join(', '),
      PRODUCT_QUANTITY: req.parcel.items.reduce((n, i) => n + i.quantity, 0),
      PRODUCT_PRICE: req.parcel.value,
      PRODUCT_WEIGHT: req.parcel.weightGrams,
      PRODUCT_TYPE: 'HH',
      ORDER_PAYMENT: req.parcel.codAmount > 0 ? 3 : 1,
      ORDER_SERVICE: service,
      ORDER_SERVICE_ADD: '',
      ORDER_NOTE: req.note ?? '',
      MONEY_COLLECTION: req.parcel.codAmount,
      LIST_ITEM: req.parcel.items.map((i) => ({ PRODUCT_NAME: i.name, PRODUCT_QUANTITY: i.quantity })),
    });
    if (succeeded(answer)) {
      const data = field(answer.body, 'data');
      const waybill = scalar(field(data, 'ORDER_NUMBER'));
      if (!waybill) throw new Error('VIETTELPOST created an order without ORDER_NUMBER');
      this.known.set(req.shipmentId, waybill);
      this.lastStatus.set(waybill, 'BOOKED');
      return {
        provider: 'VIETTELPOST',
        providerRef: waybill,
        status: 'BOOKED',
        fee: vnd(field(data, 'MONEY_TOTAL')),
        eta: this.eta(data),
      };
    }
    if (/tồn tại|exist|duplicate|trùng/i.test(messageOf(answer))) {
      const waybill = this.known.get(req.shipmentId);
      if (!waybill)
        throw new DeliveryOperationRefused(
          'VIETTELPOST',
          'DUPLICATE_UNRESOLVED',
          `VIETTELPOST already has order ${req.shipmentId} and does not say which waybill; its webhook will name it`,
        );
      return {
        provider: 'VIETTELPOST',
        providerRef: waybill,
        status: this.lastStatus.get(waybill) ?? 'BOOKED',
        fee: 0,
      };
    }
    throw refusal(answer);
  }

  private service(level: ServiceLevel): string {
    const code = (this.opts.services ?? DEFAULT_SERVICES)[level];
    if (!code)
      throw new DeliveryOperationRefused(
        'VIETTELPOST',
        'SERVICE_NOT_OFFERED',
        `VIETTELPOST does not offer ${level} delivery`,
      );
    return code;
  }

  private ok(answer: JsonAnswer): unknown {
    if (!succeeded(answer)) throw refusal(answer);
    return field(answer.body, 'data');
  }

  /** KPI_HT: the hours ViettelPost commits to. */
  private eta(data: unknown): Date | undefined {
    const hours = Number(field(data, 'KPI_HT'));
    return hours > 0 ? new Date((this.opts.now ?? Date.now)() + hours * 3_600_000) : undefined;
  }

  /** A call with the shop's token; a token ViettelPost no longer accepts is replaced once. */
  private async api(path: string, body: unknown): Promise<JsonAnswer> {
    for (let attempt = 0; ; attempt++) {
      const token = await this.session.token();
      const answer = await requestJson('VIETTELPOST', `${this.base}${path}`, {
        method: 'POST',
        headers: { Token: token },
        body,
        timeoutMs: this.timeoutMs,
      });
      if (answer.status !== 401 && Number(field(answer.body, 'status')) !== 401) return answer;
      this.session.invalidate(token);
      if (attempt >= 1) throw new DeliveryProviderUnavailable('VIETTELPOST', 'VIETTELPOST refused a fresh token');
    }
  }
}

function refusal(answer: JsonAnswer): DeliveryOperationRefused {
  const message = messageOf(answer);
  const code = /không hỗ trợ|ngoài vùng|not support|out of (service )?area|không phục vụ/i.test(message)
    ? 'OUTSIDE_SERVICE_AREA'
    : 'REJECTED';
  return new DeliveryOperationRefused('VIETTELPOST', code, `VIETTELPOST refused: ${message}`);
}

function fullAddress(place: Place): string {
  return [place.address, place.ward, place.province].filter(Boolean).join(', ');
}

function areaFields(prefix: 'SENDER' | 'RECEIVER', area: ViettelPostArea | undefined) {
  if (!area) return {};
  return {
    [`${prefix}_PROVINCE`]: area.provinceId,
    [`${prefix}_DISTRICT`]: area.districtId ?? 0,
    [`${prefix}_WARD`]: area.wardId ?? 0,
  };
}

function coordinates(prefix: 'SENDER' | 'RECEIVER', place: Place) {
  return place.latitude !== undefined && place.longitude !== undefined
    ? { [`${prefix}_LATITUDE`]: place.latitude, [`${prefix}_LONGITUDE`]: place.longitude }
    : {};
}

function vnd(v: unknown): number {
  return Math.round(Number(v ?? 0));
}

function scalar(v: unknown): string | undefined {
  if (typeof v === 'number') return String(v);
  return typeof v === 'string' && v !== '' ? v : undefined;
}
