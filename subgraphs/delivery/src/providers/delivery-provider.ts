// How delivery moves goods: one interface, an adapter per courier (Grab Express, ViettelPost, GHN)
// and a built-in simulator, chosen per zone in preference order. (The plan names Gojek; Gojek left
// Vietnam in September 2024, so there is no adapter for it.) Amounts are integer VND. Every call
// that creates something carries an idempotency key derived from our own ids (the shipment id),
// so a retried book never books twice. Status changes arrive later as ShipmentUpdates, from a
// verified webhook or from re-reading the status (GHN's webhooks are not signed: they only tell us
// to re-read).

export type DeliveryProviderName = 'SIMULATOR' | 'GRAB' | 'VIETTELPOST' | 'GHN';
export const DELIVERY_PROVIDER_NAMES: readonly DeliveryProviderName[] = ['SIMULATOR', 'GRAB', 'VIETTELPOST', 'GHN'];

/** A shipment's state, normalized across providers (ordered: a later state never goes back). */
export type ShipmentStatus =
  | 'PENDING' // created on our side, not booked with a courier yet
  | 'BOOKED' // accepted by the provider, looking for a driver
  | 'COURIER_ASSIGNED' // a driver is on the way to the store
  | 'PICKED_UP' // the driver has the goods
  | 'IN_TRANSIT' // on the way to the customer
  | 'DELIVERED'
  | 'FAILED' // the delivery failed (nobody home, refused); may be returned
  | 'RETURNED'
  | 'CANCELLED';

/** Rank of each status: an update whose rank is below the held one is older and ignored. */
export const SHIPMENT_STATUS_RANK: Record<ShipmentStatus, number> = {
  PENDING: 0,
  BOOKED: 1,
  COURIER_ASSIGNED: 2,
  PICKED_UP: 3,
  IN_TRANSIT: 4,
  DELIVERED: 5,
  FAILED: 5,
  RETURNED: 6,
  CANCELLED: 6,
};

export interface Place {
  /** Who to ask for at this end. */
  name: string;
  phone: string;
  /** Street line, ward and province (Vietnam since 2025: no district). */
  address: string;
  ward: string;
  province: string;
  latitude?: number;
  longitude?: number;
}

export interface Parcel {
  /** Our order number, shown to the driver. */
  reference: string;
  items: { name: string; quantity: number }[];
  /** Grams, whole order. */
  weightGrams: number;
  /** Declared value, integer VND (insurance). */
  value: number;
  /** To collect from the customer on delivery (cash on delivery), integer VND; 0 when prepaid. */
  codAmount: number;
}

export type ServiceLevel = 'INSTANT' | 'SAME_DAY' | 'NEXT_DAY';

export interface QuoteRequest {
  origin: Place;
  destination: Place;
  parcel: Parcel;
  service: ServiceLevel;
}

export interface Quote {
  provider: DeliveryProviderName;
  service: ServiceLevel;
  /** Integer VND. */
  fee: number;
  /** When the provider expects to deliver, if it says. */
  eta?: Date;
}

export interface BookRequest extends QuoteRequest {
  /** Our shipment id (a UUID): the idempotency key at the provider (merchantOrderID, client_order_code, …). */
  shipmentId: string;
  /** The delivery window the customer booked. */
  window?: { startsAt: Date; endsAt: Date };
  note?: string;
}

export interface Booking {
  provider: DeliveryProviderName;
  /** The provider's id for the delivery (Grab deliveryID, ViettelPost ORDER_NUMBER, GHN order_code). */
  providerRef: string;
  status: ShipmentStatus;
  fee: number;
  trackingUrl?: string;
  eta?: Date;
}

export interface ShipmentRef {
  shipmentId: string;
  providerRef: string;
}

export interface Courier {
  name?: string;
  phone?: string;
  vehicle?: string;
}

export interface Position {
  latitude: number;
  longitude: number;
  at: Date;
}

/** A shipment's state as a provider reports it, normalized. */
export interface ShipmentUpdate {
  /** The provider's own id for this notification (or a hash of its content): the dedup key. */
  eventId: string;
  provider: DeliveryProviderName;
  providerRef: string;
  /** Our shipment id when the provider echoes it (merchant order id / client order code). */
  shipmentId?: string;
  status: ShipmentStatus;
  /** When the provider says it happened; updates are applied by rank and time, not arrival. */
  occurredAt: Date;
  trackingUrl?: string;
  eta?: Date;
  courier?: Courier;
  position?: Position;
  /** The provider's own status name, kept for support. */
  providerStatus?: string;
  reason?: string;
}

export interface IncomingWebhook {
  /** The body exactly as received: signatures are computed over these bytes. */
  rawBody: Buffer;
  /** Lower-case header names. */
  headers: Record<string, string | undefined>;
  /** The query string, parsed (some providers put a token there). */
  query: Record<string, string | undefined>;
}

/** What a webhook says once authenticated: updates to apply, or a shipment whose status must be re-read. */
export type WebhookOutcome =
  | { kind: 'updates'; updates: ShipmentUpdate[] }
  /** Unsigned notification (GHN): only names the shipment; the status is read from the provider. */
  | { kind: 'reread'; providerRef: string };

/** A webhook that is not authentic (bad or missing signature or token). Answered 401. */
export class DeliveryWebhookRejected extends Error {
  constructor(
    message: string,
    readonly httpStatus: 400 | 401 = 401,
  ) {
    super(message);
  }
}

/** The provider could not be reached, timed out, or its circuit is open: try the next one. */
export class DeliveryProviderUnavailable extends Error {
  constructor(
    readonly provider: DeliveryProviderName,
    message: string,
  ) {
    super(message);
  }
}

/** The provider answered and refused (address outside its area, cancel after pickup, ...): a business answer. */
export class DeliveryOperationRefused extends Error {
  constructor(
    readonly provider: DeliveryProviderName,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export interface DeliveryProvider {
  readonly name: DeliveryProviderName;
  quote(request: QuoteRequest): Promise<Quote>;
  /** Idempotent per shipmentId: booking again answers the same booking. */
  book(request: BookRequest): Promise<Booking>;
  /** Idempotent: cancelling a cancelled delivery succeeds. Refused once picked up. */
  cancel(ref: ShipmentRef): Promise<void>;
  /** Re-reads the delivery's status from the provider. */
  track(ref: ShipmentRef): Promise<ShipmentUpdate>;
  /** Books a pickup of goods from the customer back to `destination` (an approved return). */
  bookReturn(request: BookRequest): Promise<Booking>;
  /** Authenticates a webhook by the provider's real mechanism; throws DeliveryWebhookRejected. */
  parseWebhook(webhook: IncomingWebhook): Promise<WebhookOutcome>;
  /** Stops timers and closes connections. */
  shutdown?(): void;
}
