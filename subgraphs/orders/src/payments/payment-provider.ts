// How orders takes money: one interface, an adapter per provider (Stripe, MoMo, the local
// simulator, cash on delivery), chosen per order by the customer among those configured.
// Payments are asynchronous: authorize() usually answers PENDING and the outcome arrives later as
// a PaymentUpdate, from a verified webhook or from polling query(). Amounts are integer VND
// (zero-decimal everywhere). Every call carries an idempotency key derived from our own ids, so a
// retried call never charges twice.

export type PaymentProviderName = 'SIMULATOR' | 'STRIPE' | 'MOMO' | 'CASH_ON_DELIVERY';

export interface AuthorizeRequest {
  /** Our payment id (a UUID): the idempotency key of the authorization at the provider. */
  paymentId: string;
  orderId: string;
  /** Integer VND, > 0. */
  amount: number;
  currency: 'VND';
  /**
   * What the client gave at checkout: a Stripe PaymentMethod id (pm_…, from Stripe Elements; card
   * data never reaches us), a simulator test token (sim_approve, …); MoMo needs none.
   */
  token?: string;
  /** Where the customer's browser returns after a redirect (MoMo, 3-D Secure). */
  returnUrl?: string;
  customerEmail?: string;
  locale: 'en' | 'vi';
  /** Shown to the customer by the provider, e.g. "Đơn hàng GRC-…". */
  description: string;
}

export type AuthorizeOutcome =
  /** The outcome comes later (webhook or query); the client may have to act (clientSecret / redirectUrl). */
  | { status: 'PENDING'; providerRef: string; clientSecret?: string; redirectUrl?: string }
  /** Authorized already (funds held, not captured). */
  | { status: 'AUTHORIZED'; providerRef: string }
  /** Refused for good: nothing is held. */
  | { status: 'DECLINED'; providerRef?: string; reason: string };

export interface PaymentRef {
  paymentId: string;
  /** The provider's id for the payment (Stripe PaymentIntent id, MoMo transId / orderId). */
  providerRef: string;
  orderId: string;
}

/** A payment's state as a provider reports it, normalized. */
export type ProviderPaymentStatus =
  | 'PENDING'
  | 'REQUIRES_ACTION'
  | 'AUTHORIZED'
  | 'CAPTURED'
  | 'FAILED'
  | 'CANCELLED'
  | 'PARTIALLY_REFUNDED'
  | 'REFUNDED';

export interface PaymentUpdate {
  /** The provider's own id for this notification (Stripe event id, MoMo requestId+resultCode): dedup key. */
  eventId: string;
  provider: PaymentProviderName;
  /** Our payment id (carried in metadata / extraData / orderId by the adapter). */
  paymentId: string;
  providerRef: string;
  status: ProviderPaymentStatus;
  /** The amount the status is about (authorized, captured or refunded in total), integer VND. */
  amount: number;
  /** When the provider says it happened; updates are applied by state order, not arrival. */
  occurredAt: Date;
  /** Why, for FAILED/CANCELLED (provider's message or code). */
  reason?: string;
}

export interface IncomingWebhook {
  /** The body exactly as received: signatures are computed over these bytes. */
  rawBody: Buffer;
  /** Lower-case header names. */
  headers: Record<string, string | undefined>;
}

/** What the HTTP route answers the provider once the update is stored (or was a duplicate). */
export interface WebhookAck {
  status: number;
  body?: unknown;
}

/** A webhook that is not authentic (bad or missing signature, too old, wrong partner). Answered 400/401. */
export class WebhookRejected extends Error {
  constructor(
    message: string,
    readonly httpStatus: 400 | 401 = 400,
  ) {
    super(message);
  }
}

/** The provider could not be reached, timed out, or its circuit is open. Checkout answers PaymentUnavailable. */
export class PaymentProviderUnavailable extends Error {
  constructor(
    readonly provider: PaymentProviderName,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The provider answered and refused the operation (capture more than authorised, refund of a
 * payment not captured, an unknown payment, ...). A business answer, not an outage: it does not
 * count against the provider's circuit breaker, and retrying the same call will not help.
 */
export class PaymentOperationRefused extends Error {
  constructor(
    readonly provider: PaymentProviderName,
    /** The provider's code (Stripe error code, MoMo resultCode). */
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export interface PaymentProvider {
  readonly name: PaymentProviderName;
  authorize(req: AuthorizeRequest): Promise<AuthorizeOutcome>;
  /** Captures `amount` (≤ authorized) of an AUTHORIZED payment; the rest of the hold is released. */
  capture(ref: PaymentRef, amount: number): Promise<void>;
  /** Voids an authorization (nothing captured); harmless if already void. */
  cancel(ref: PaymentRef): Promise<void>;
  /** Refunds `amount` of a captured payment; `refundId` (ours) is the idempotency key. */
  refund(ref: PaymentRef, amount: number, refundId: string): Promise<void>;
  /** Asks the provider for the payment's state (polling non-final results); null when it does not know it. */
  query(ref: PaymentRef): Promise<PaymentUpdate | null>;
  /** Verifies and reads a webhook; throws WebhookRejected when it is not authentic. */
  parseWebhook(webhook: IncomingWebhook): Promise<PaymentUpdate | null>;
  /** How the route answers the provider after handling (MoMo: 204; Stripe: 200). */
  readonly webhookAck: WebhookAck;
}
