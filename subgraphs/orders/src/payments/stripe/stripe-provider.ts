// Stripe behind the PaymentProvider contract, with the official `stripe` client (23.2.0, API
// version 2026-11-18.endive as pinned by that release). Authorise-then-capture is a PaymentIntent
// with capture_method 'manual' (https://docs.stripe.com/payments/place-a-hold-on-a-payment-method);
// VND is a zero-decimal currency (https://docs.stripe.com/currencies#zero-decimal), so amounts go
// to Stripe as they are. Every call carries an idempotency key derived from our ids; the client
// sends the same key on its own retries (stripe-node RequestSender), so a retry never charges twice.
import Stripe from 'stripe';
import {
  PaymentOperationRefused,
  WebhookRejected,
  type AuthorizeOutcome,
  type AuthorizeRequest,
  type IncomingWebhook,
  type PaymentProvider,
  type PaymentRef,
  type PaymentUpdate,
  type ProviderPaymentStatus,
  type WebhookAck,
} from '../payment-provider';

export interface StripeProviderOptions {
  /** sk_… (never logged). */
  secretKey: string;
  /** whsec_… of our webhook endpoint (never logged). */
  webhookSecret: string;
  /** Tests only: where the client sends requests (a local fake), e.g. http://127.0.0.1:4242. */
  apiUrl?: string;
  /** Per HTTP attempt; keep it under the resilience wrapper's call timeout. Default 8 s. */
  timeoutMs?: number;
  /** The client's own retries of connection errors, 409 and 5xx (same idempotency key). Default 2. */
  maxNetworkRetries?: number;
}

/** Signatures older than this are refused (Stripe's default tolerance, stated explicitly). */
const WEBHOOK_TOLERANCE_SECONDS = 300;

export class StripePaymentProvider implements PaymentProvider {
  readonly name = 'STRIPE' as const;
  readonly webhookAck: WebhookAck = { status: 200, body: { received: true } };
  private readonly stripe: Stripe;
  private readonly webhookSecret: string;

  constructor(opts: StripeProviderOptions) {
    this.webhookSecret = opts.webhookSecret;
    const api = opts.apiUrl ? new URL(opts.apiUrl) : undefined;
    this.stripe = new Stripe(opts.secretKey, {
      maxNetworkRetries: opts.maxNetworkRetries ?? 2,
      timeout: opts.timeoutMs ?? 8_000,
      ...(api && {
        host: api.hostname,
        port: api.port || (api.protocol === 'https:' ? 443 : 80),
        protocol: api.protocol === 'http:' ? 'http' : 'https',
      }),
    });
  }

  async authorize(req: AuthorizeRequest): Promise<AuthorizeOutcome> {
    const params: Stripe.PaymentIntentCreateParams = {
      amount: req.amount,
      currency: 'vnd',
      capture_method: 'manual',
      description: req.description,
      metadata: { paymentId: req.paymentId, orderId: req.orderId },
      ...(req.customerEmail && { receipt_email: req.customerEmail }),
    };
    if (req.token) {
      params.payment_method = req.token;
      params.confirm = true;
      // Confirming server-side with automatic payment methods needs a return_url for methods that
      // redirect; without one, only methods that never redirect may be used
      // (https://docs.stripe.com/api/payment_intents/create#create_payment_intent-return_url).
      if (req.returnUrl) params.return_url = req.returnUrl;
      else params.automatic_payment_methods = { enabled: true, allow_redirects: 'never' };
    }
    try {
      const pi = await this.stripe.paymentIntents.create(params, { idempotencyKey: `authorize:${req.paymentId}` });
      return authorizeOutcome(pi);
    } catch (err) {
      // A decline on confirm is a 402 card_error carrying the PaymentIntent (https://docs.stripe.com/declines).
      if (err instanceof Stripe.errors.StripeCardError) {
        return {
          status: 'DECLINED',
          providerRef: err.payment_intent?.id,
          reason: err.decline_code ?? err.code ?? err.message,
        };
      }
      throw err;
    }
  }

  async capture(ref: PaymentRef, amount: number): Promise<void> {
    // amount_to_capture below the authorised amount releases the rest of the hold.
    await this.stripe.paymentIntents
      .capture(ref.providerRef, { amount_to_capture: amount }, { idempotencyKey: `capture:${ref.paymentId}` })
      .catch(refused);
  }

  async cancel(ref: PaymentRef): Promise<void> {
    try {
      await this.stripe.paymentIntents.cancel(ref.providerRef, {}, { idempotencyKey: `cancel:${ref.paymentId}` });
    } catch (err) {
      // Cancelling a PaymentIntent that is already canceled is refused with
      // payment_intent_unexpected_state; the contract says that is harmless.
      if (
        err instanceof Stripe.errors.StripeInvalidRequestError &&
        err.code === 'payment_intent_unexpected_state' &&
        err.payment_intent?.status === 'canceled'
      )
        return;
      refused(err);
    }
  }

  async refund(ref: PaymentRef, amount: number, refundId: string): Promise<void> {
    await this.stripe.refunds
      .create(
        { payment_intent: ref.providerRef, amount, metadata: { paymentId: ref.paymentId, refundId } },
        { idempotencyKey: `refund:${refundId}` },
      )
      .catch(refused);
  }

  async query(ref: PaymentRef): Promise<PaymentUpdate | null> {
    let pi: Stripe.PaymentIntent;
    try {
      // latest_charge expanded: refunds show on the charge, not on the PaymentIntent.
      pi = await this.stripe.paymentIntents.retrieve(ref.providerRef, { expand: ['latest_charge'] });
    } catch (err) {
      if (err instanceof Stripe.errors.StripeInvalidRequestError && err.statusCode === 404) return null;
      throw err;
    }
    const charge = typeof pi.latest_charge === 'object' ? pi.latest_charge : null;
    const refunded = charge && charge.amount_refunded > 0 ? refundStatus(charge) : null;
    const status = refunded?.status ?? paymentIntentStatus(pi);
    return {
      // Stable per observed state, so polling the same state twice is one update.
      eventId: refunded ? `query:${pi.id}:${refunded.status}:${refunded.amount}` : `query:${pi.id}:${pi.status}`,
      provider: 'STRIPE',
      paymentId: pi.metadata.paymentId ?? ref.paymentId,
      providerRef: pi.id,
      status,
      amount: refunded?.amount ?? paymentIntentAmount(pi, status),
      // A PaymentIntent carries no time of its last change: this is when we saw it.
      occurredAt: new Date(),
      ...failureReason(pi, status),
    };
  }

  async parseWebhook(webhook: IncomingWebhook): Promise<PaymentUpdate | null> {
    const signature = webhook.headers['stripe-signature'];
    if (!signature) throw new WebhookRejected('Stripe webhook without a Stripe-Signature header', 400);
    let event: Stripe.Event;
    try {
      // Over the raw bytes, as Stripe signed them (https://docs.stripe.com/webhooks#verify-events).
      event = this.stripe.webhooks.constructEvent(
        webhook.rawBody,
        signature,
        this.webhookSecret,
        WEBHOOK_TOLERANCE_SECONDS,
      );
    } catch (err) {
      throw new WebhookRejected(`Stripe webhook signature refused: ${(err as Error).message}`, 400);
    }
    const occurredAt = new Date(event.created * 1000);
    const fromIntent = (status: ProviderPaymentStatus): PaymentUpdate | null => {
      const pi = event.data.object as Stripe.PaymentIntent;
      const paymentId = pi.metadata?.paymentId;
      if (!paymentId) return null; // not a payment of ours (another integration on the same account)
      return {
        eventId: event.id,
        provider: 'STRIPE',
        paymentId,
        providerRef: pi.id,
        status,
        amount: paymentIntentAmount(pi, status),
        occurredAt,
        ...failureReason(pi, status),
      };
    };
    switch (event.type) {
      case 'payment_intent.amount_capturable_updated':
        return fromIntent('AUTHORIZED');
      case 'payment_intent.succeeded':
        return fromIntent('CAPTURED');
      case 'payment_intent.payment_failed':
        return fromIntent('FAILED');
      case 'payment_intent.canceled':
        return fromIntent('CANCELLED');
      case 'payment_intent.requires_action':
        return fromIntent('REQUIRES_ACTION');
      case 'charge.refunded':
        return this.fromRefundedCharge(event.id, event.data.object as Stripe.Charge, occurredAt);
      default:
        return null;
    }
  }

  /**
   * Our paymentId lives in the PaymentIntent's metadata (we set it at authorize). A charge's own
   * metadata is read first (Stripe may copy it there, and a charge event may carry the PaymentIntent
   * expanded), and only when neither has it is the PaymentIntent fetched: one extra call, and if it
   * fails the route answers an error so Stripe redelivers the event.
   */
  private async fromRefundedCharge(
    eventId: string,
    charge: Stripe.Charge,
    occurredAt: Date,
  ): Promise<PaymentUpdate | null> {
    const piRef = charge.payment_intent;
    if (!piRef) return null; // a charge without a PaymentIntent is not one of ours
    let paymentId = charge.metadata?.paymentId ?? (typeof piRef === 'object' ? piRef.metadata?.paymentId : undefined);
    const piId = typeof piRef === 'object' ? piRef.id : piRef;
    if (!paymentId) paymentId = (await this.stripe.paymentIntents.retrieve(piId)).metadata.paymentId;
    if (!paymentId) return null;
    const { status, amount } = refundStatus(charge);
    return { eventId, provider: 'STRIPE', paymentId, providerRef: piId, status, amount, occurredAt };
  }
}

/**
 * Stripe answered 4xx about the request itself (amount above what is capturable, a PaymentIntent
 * in the wrong state or unknown): a refusal, not an outage. Authentication, rate-limit, connection
 * and API errors are rethrown as they are and count against the breaker.
 */
function refused(err: unknown): never {
  if (err instanceof Stripe.errors.StripeInvalidRequestError || err instanceof Stripe.errors.StripeCardError)
    throw new PaymentOperationRefused('STRIPE', err.code ?? err.type, err.message);
  throw err;
}

function authorizeOutcome(pi: Stripe.PaymentIntent): AuthorizeOutcome {
  switch (pi.status) {
    case 'requires_capture':
      return { status: 'AUTHORIZED', providerRef: pi.id };
    case 'canceled':
      return { status: 'DECLINED', providerRef: pi.id, reason: pi.cancellation_reason ?? 'canceled' };
    default: {
      // requires_payment_method / requires_confirmation / requires_action / processing: the client
      // finishes with Stripe.js (clientSecret), or follows a redirect when Stripe asks for one.
      const redirect = pi.next_action?.redirect_to_url?.url ?? undefined;
      return {
        status: 'PENDING',
        providerRef: pi.id,
        ...(pi.client_secret && { clientSecret: pi.client_secret }),
        ...(redirect && { redirectUrl: redirect }),
      };
    }
  }
}

function paymentIntentStatus(pi: Stripe.PaymentIntent): ProviderPaymentStatus {
  switch (pi.status) {
    case 'requires_capture':
      return 'AUTHORIZED';
    case 'succeeded':
      return 'CAPTURED';
    case 'canceled':
      return 'CANCELLED';
    case 'requires_action':
      return 'REQUIRES_ACTION';
    default:
      // requires_payment_method after a failed attempt is not final: the customer may try another card.
      return 'PENDING';
  }
}

/** The amount the status is about: held while authorised, received once captured, else asked. */
function paymentIntentAmount(pi: Stripe.PaymentIntent, status: ProviderPaymentStatus): number {
  if (status === 'AUTHORIZED') return pi.amount_capturable || pi.amount;
  if (status === 'CAPTURED') return pi.amount_received || pi.amount;
  return pi.amount;
}

function failureReason(pi: Stripe.PaymentIntent, status: ProviderPaymentStatus): { reason?: string } {
  if (status === 'FAILED') {
    const e = pi.last_payment_error;
    return { reason: e?.decline_code ?? e?.code ?? e?.message ?? 'payment_failed' };
  }
  if (status === 'CANCELLED') return { reason: pi.cancellation_reason ?? 'canceled' };
  return {};
}

function refundStatus(charge: Stripe.Charge): { status: ProviderPaymentStatus; amount: number } {
  return {
    status: charge.amount_refunded >= charge.amount ? 'REFUNDED' : 'PARTIALLY_REFUNDED',
    amount: charge.amount_refunded,
  };
}
