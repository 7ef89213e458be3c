// MoMo's All-In-One v2 payment gateway behind the PaymentProvider contract: the customer pays in the
// MoMo app (captureWallet, authorise-then-capture with autoCapture false), the outcome arrives by
// IPN or by polling query, and we confirm (capture / cancel) or refund afterwards.
//
// Contract sources (read 2026-12-07):
//  - create: https://developers.momo.vn/v3/docs/payment/api/wallet/onetime (captureWallet,
//    autoCapture) and MoMo's official sample github.com/momo-wallet/payment nodejs/MoMo.js (field
//    order of the create signature);
//  - confirm: https://developers.momo.vn/v3/docs/payment/api/payment-api/confirm (9000 = authorised,
//    requestType capture | cancel, "minimum timeout 30 s");
//  - refund: https://developers.momo.vn/v3/docs/payment/api/payment-api/refund (new orderId per
//    refund, the purchase's transId, "minimum timeout 30 s");
//  - query: https://developers.momo.vn/v3/docs/payment/api/payment-api/query ("minimum timeout 30 s");
//  - IPN: https://developers.momo.vn/v3/docs/payment/api/result-handling/notification (answer 204,
//    verify the signature, match partnerCode, orderId and amount) and the official sample
//    php/PayMoMo/ipn_momo.php (field order of the IPN signature);
//  - MoMo's official Java SDK, github.com/momo-wallet/java src/main/java/com/mservice/processor/
//    (CreateOrderMoMo, ConfirmTransaction, RefundTransaction, QueryTransactionStatus): the same
//    request field orders, and autoCapture as an unsigned Boolean of the create request (default true);
//  - requestId is MoMo's idempotency key (payment gateway 2.1+): a retry with the same requestId
//    gets the first answer, or 7000 while the first is still in flight.
//
// Signatures: HMAC-SHA256 (hex) with the secret key over "k1=v1&k2=v2..." with the documented
// keys in a-z order, values raw (not URL-encoded). MoMo's synchronous answers are read over HTTPS
// from the configured endpoint and checked to echo our partnerCode and orderId; the docs we could
// read document no raw-signature format for them, and MoMo's own SDK does not check one either, so
// they are not signature-checked (the IPN, which anyone can post to us, is).
import { createHmac, timingSafeEqual } from 'node:crypto';
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

export interface MomoProviderOptions {
  partnerCode: string;
  accessKey: string;
  /** HMAC key of every signature (never logged). */
  secretKey: string;
  /** MoMo's origin, e.g. https://test-payment.momo.vn (sandbox) or https://payment.momo.vn. */
  endpoint: string;
  /** Where MoMo posts the IPN: our `/webhooks/payments/momo`. */
  ipnUrl: string;
  /** Where the customer's browser returns when the request names none. */
  redirectUrl?: string;
  /**
   * create (the customer is waiting at checkout). Default 10 s. Note: one version of MoMo's
   * one-time payment page also asks for 30 s here; a timed-out create is safe to retry (same requestId).
   */
  createTimeoutMs?: number;
  /** query, confirm and refund: MoMo asks for at least 30 s. Default 30 s. */
  slowTimeoutMs?: number;
}

/** Documented raw-signature keys per message, in the documented (a-z) order. */
export const MOMO_SIGNED_FIELDS = {
  create: [
    'accessKey',
    'amount',
    'extraData',
    'ipnUrl',
    'orderId',
    'orderInfo',
    'partnerCode',
    'redirectUrl',
    'requestId',
    'requestType',
  ],
  query: ['accessKey', 'orderId', 'partnerCode', 'requestId'],
  confirm: ['accessKey', 'amount', 'description', 'orderId', 'partnerCode', 'requestId', 'requestType'],
  refund: ['accessKey', 'amount', 'description', 'orderId', 'partnerCode', 'requestId', 'transId'],
  ipn: [
    'accessKey',
    'amount',
    'extraData',
    'message',
    'orderId',
    'orderInfo',
    'orderType',
    'partnerCode',
    'payType',
    'requestId',
    'responseTime',
    'resultCode',
    'transId',
  ],
} as const;

type Fields = Record<string, string | number | boolean | undefined | null>;

/** The raw string MoMo signs: `key=value` joined by `&`, in the given order, values as they are. */
export function momoRawSignature(keys: readonly string[], fields: Fields): string {
  return keys.map((k) => `${k}=${fields[k] ?? ''}`).join('&');
}

export function momoSignature(keys: readonly string[], fields: Fields, secretKey: string): string {
  return createHmac('sha256', secretKey).update(momoRawSignature(keys, fields)).digest('hex');
}

/** resultCodes that are not final (https://developers.momo.vn/v3/docs/payment/api/result-handling/resultcode). */
const NON_FINAL = new Set([1000, 7000, 7002]);
const AUTHORIZED = 9000;
/** Order (orderId) unknown to MoMo. */
const ORDER_NOT_FOUND = 42;
/** MoMo-side failures (system maintenance, unknown error): an outage, not an answer about the payment. */
const SYSTEM_ERRORS = new Set([10, 99]);

interface MomoAnswer {
  partnerCode?: string;
  orderId?: string;
  requestId?: string;
  amount?: number | string;
  transId?: number | string;
  resultCode: number;
  message?: string;
  responseTime?: number | string;
  payUrl?: string;
  refundTrans?: { orderId?: string; amount?: number | string; resultCode?: number; transId?: number | string }[];
}

/** MoMo could not be reached, answered 5xx, or answered something we cannot read: counts as an outage. */
export class MomoUnavailable extends Error {}

export class MomoPaymentProvider implements PaymentProvider {
  readonly name = 'MOMO' as const;
  /** MoMo wants 204 No Content within its time limit. */
  readonly webhookAck: WebhookAck = { status: 204 };
  private readonly endpoint: string;

  constructor(private readonly opts: MomoProviderOptions) {
    this.endpoint = opts.endpoint.replace(/\/+$/, '');
  }

  async authorize(req: AuthorizeRequest): Promise<AuthorizeOutcome> {
    // MoMo's orderId is our paymentId (unique per attempt); the requestId derives from it so a
    // retried create is the same request to MoMo.
    const fields = {
      partnerCode: this.opts.partnerCode,
      accessKey: this.opts.accessKey,
      requestId: `auth-${req.paymentId}`,
      amount: req.amount,
      orderId: req.paymentId,
      orderInfo: req.description,
      redirectUrl: req.returnUrl ?? this.opts.redirectUrl ?? '',
      ipnUrl: this.opts.ipnUrl,
      requestType: 'captureWallet',
      extraData: Buffer.from(JSON.stringify({ paymentId: req.paymentId, orderId: req.orderId })).toString('base64'),
    };
    const answer = await this.call(
      '/v2/gateway/api/create',
      {
        ...withoutAccessKey(fields),
        // Authorise only: the payment waits at 9000 until we confirm (capture) or cancel it.
        autoCapture: false,
        lang: req.locale,
        signature: momoSignature(MOMO_SIGNED_FIELDS.create, fields, this.opts.secretKey),
      },
      this.opts.createTimeoutMs ?? 10_000,
      req.paymentId,
    );
    if (answer.resultCode === 0)
      return { status: 'PENDING', providerRef: req.paymentId, ...(answer.payUrl && { redirectUrl: answer.payUrl }) };
    // Still being created (a retry while the first request is in flight): the outcome comes by IPN or query.
    if (NON_FINAL.has(answer.resultCode) || answer.resultCode === AUTHORIZED)
      return { status: 'PENDING', providerRef: req.paymentId };
    return { status: 'DECLINED', providerRef: req.paymentId, reason: reasonOf(answer) };
  }

  async capture(ref: PaymentRef, amount: number): Promise<void> {
    await this.confirm(ref, 'capture', amount);
  }

  async cancel(ref: PaymentRef): Promise<void> {
    // The confirm API needs the held amount, which PaymentRef does not carry: ask MoMo. Anything
    // but an authorisation has nothing to void (already void, failed, or never authorised).
    const state = await this.query(ref);
    if (!state || state.status !== 'AUTHORIZED') return;
    await this.confirm(ref, 'cancel', state.amount);
  }

  async refund(ref: PaymentRef, amount: number, refundId: string): Promise<void> {
    // MoMo refunds by its transId, which the IPN and query report; authorize could only know our
    // orderId, so when providerRef is not a transId yet, look it up.
    const transId = /^\d+$/.test(ref.providerRef) ? ref.providerRef : await this.transIdOf(ref);
    const fields = {
      partnerCode: this.opts.partnerCode,
      accessKey: this.opts.accessKey,
      // A refund is its own MoMo order, with an orderId different from the purchase's.
      orderId: `refund-${refundId}`,
      requestId: `refund-${refundId}`,
      amount,
      transId,
      description: '',
    };
    const answer = await this.call(
      '/v2/gateway/api/refund',
      {
        ...withoutAccessKey(fields),
        transId: Number(transId),
        lang: 'en',
        signature: momoSignature(MOMO_SIGNED_FIELDS.refund, fields, this.opts.secretKey),
      },
      this.opts.slowTimeoutMs ?? 30_000,
      fields.orderId,
    );
    // Non-final: accepted and in progress; query() shows it in refundTrans when done.
    if (answer.resultCode === 0 || NON_FINAL.has(answer.resultCode)) return;
    throw new PaymentOperationRefused('MOMO', String(answer.resultCode), reasonOf(answer));
  }

  async query(ref: PaymentRef): Promise<PaymentUpdate | null> {
    const fields = {
      partnerCode: this.opts.partnerCode,
      accessKey: this.opts.accessKey,
      // Read-only, so no idempotency wanted: a fresh requestId per poll (MoMo refuses a reused one
      // while a payment is not final). ≤ 50 characters.
      requestId: `q-${ref.paymentId}-${Date.now().toString(36)}`,
      orderId: ref.paymentId,
    };
    const answer = await this.call(
      '/v2/gateway/api/query',
      {
        ...withoutAccessKey(fields),
        lang: 'en',
        signature: momoSignature(MOMO_SIGNED_FIELDS.query, fields, this.opts.secretKey),
      },
      this.opts.slowTimeoutMs ?? 30_000,
      ref.paymentId,
    );
    if (answer.resultCode === ORDER_NOT_FOUND) return null;
    const amount = Number(answer.amount ?? 0);
    const refunded = (answer.refundTrans ?? [])
      .filter((r) => Number(r.resultCode ?? 0) === 0)
      .reduce((sum, r) => sum + Number(r.amount ?? 0), 0);
    const status: ProviderPaymentStatus =
      refunded > 0 ? (refunded >= amount ? 'REFUNDED' : 'PARTIALLY_REFUNDED') : statusOf(answer.resultCode);
    return {
      eventId:
        refunded > 0 ? `query:${ref.paymentId}:${status}:${refunded}` : `query:${ref.paymentId}:${answer.resultCode}`,
      provider: 'MOMO',
      paymentId: ref.paymentId,
      providerRef: answer.transId ? String(answer.transId) : ref.providerRef,
      status,
      amount: refunded > 0 ? refunded : amount,
      occurredAt: answer.responseTime ? new Date(Number(answer.responseTime)) : new Date(),
      ...(status === 'FAILED' && { reason: reasonOf(answer) }),
    };
  }

  async parseWebhook(webhook: IncomingWebhook): Promise<PaymentUpdate | null> {
    let ipn: Record<string, unknown>;
    try {
      ipn = JSON.parse(webhook.rawBody.toString('utf8')) as Record<string, unknown>;
    } catch {
      throw new WebhookRejected('MoMo IPN: body is not JSON', 400);
    }
    if (typeof ipn !== 'object' || ipn === null || typeof ipn.signature !== 'string')
      throw new WebhookRejected('MoMo IPN without a signature', 400);
    if (ipn.partnerCode !== this.opts.partnerCode) throw new WebhookRejected('MoMo IPN for another partnerCode', 401);
    const fields: Fields = { accessKey: this.opts.accessKey };
    for (const k of MOMO_SIGNED_FIELDS.ipn) if (k !== 'accessKey') fields[k] = scalar(ipn[k]);
    const expected = Buffer.from(momoSignature(MOMO_SIGNED_FIELDS.ipn, fields, this.opts.secretKey), 'hex');
    const given = Buffer.from(ipn.signature, 'hex');
    if (given.length !== expected.length || !timingSafeEqual(given, expected))
      throw new WebhookRejected('MoMo IPN signature does not verify', 401);

    const resultCode = Number(ipn.resultCode);
    const status = statusOf(resultCode);
    const orderId = String(ipn.orderId);
    return {
      // MoMo sends one IPN per requestId and result; a redelivery repeats both.
      eventId: `${String(ipn.requestId)}:${resultCode}`,
      provider: 'MOMO',
      // Our paymentId is MoMo's orderId (extraData carries it too, for a human reading logs).
      paymentId: orderId,
      providerRef: String(ipn.transId),
      status,
      // The domain compares amount and paymentId with the order before believing it.
      amount: Number(ipn.amount),
      occurredAt: new Date(Number(ipn.responseTime)),
      ...(status === 'FAILED' && { reason: `${resultCode}: ${String(ipn.message ?? '')}` }),
    };
  }

  private async confirm(ref: PaymentRef, requestType: 'capture' | 'cancel', amount: number): Promise<void> {
    const fields = {
      partnerCode: this.opts.partnerCode,
      accessKey: this.opts.accessKey,
      requestId: `${requestType}-${ref.paymentId}`,
      orderId: ref.paymentId,
      requestType,
      amount,
      description: '',
    };
    const answer = await this.call(
      '/v2/gateway/api/confirm',
      {
        ...withoutAccessKey(fields),
        lang: 'en',
        signature: momoSignature(MOMO_SIGNED_FIELDS.confirm, fields, this.opts.secretKey),
      },
      this.opts.slowTimeoutMs ?? 30_000,
      ref.paymentId,
    );
    if (answer.resultCode === 0) return;
    if (NON_FINAL.has(answer.resultCode))
      throw new MomoUnavailable(
        `MoMo ${requestType} not final yet (${reasonOf(answer)}); retry with the same requestId`,
      );
    throw new PaymentOperationRefused('MOMO', String(answer.resultCode), reasonOf(answer));
  }

  private async transIdOf(ref: PaymentRef): Promise<string> {
    const state = await this.query(ref);
    if (!state || !/^\d+$/.test(state.providerRef))
      throw new PaymentOperationRefused(
        'MOMO',
        String(ORDER_NOT_FOUND),
        `MoMo knows no transaction for ${ref.paymentId}`,
      );
    return state.providerRef;
  }

  /** POSTs a signed JSON request and reads MoMo's answer; transport failures and 5xx throw MomoUnavailable. */
  private async call(path: string, body: object, timeoutMs: number, orderId: string): Promise<MomoAnswer> {
    let res: Response;
    try {
      res = await fetch(`${this.endpoint}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json; charset=UTF-8' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (err) {
      throw new MomoUnavailable(`MoMo ${path} unreachable: ${(err as Error).message}`, { cause: err });
    }
    const text = await res.text().catch(() => '');
    if (res.status >= 500) throw new MomoUnavailable(`MoMo ${path} answered HTTP ${res.status}`);
    let answer: MomoAnswer;
    try {
      answer = JSON.parse(text) as MomoAnswer;
    } catch {
      throw new MomoUnavailable(`MoMo ${path} answered HTTP ${res.status} without JSON`);
    }
    if (typeof answer.resultCode !== 'number') throw new MomoUnavailable(`MoMo ${path} answered without a resultCode`);
    // MoMo echoes our partnerCode and orderId; an answer about something else is not to be believed.
    if (
      (answer.partnerCode !== undefined && answer.partnerCode !== this.opts.partnerCode) ||
      (answer.orderId !== undefined && answer.orderId !== orderId)
    )
      throw new MomoUnavailable(`MoMo ${path} answered about another partner or order`);
    if (SYSTEM_ERRORS.has(answer.resultCode)) throw new MomoUnavailable(`MoMo ${path}: ${reasonOf(answer)}`);
    return answer;
  }
}

/** resultCode → our status: 9000 authorised (autoCapture false), 0 captured, 1000/7000/7002 pending, else failed. */
function statusOf(resultCode: number): ProviderPaymentStatus {
  if (resultCode === AUTHORIZED) return 'AUTHORIZED';
  if (resultCode === 0) return 'CAPTURED';
  if (NON_FINAL.has(resultCode)) return 'PENDING';
  return 'FAILED';
}

function reasonOf(answer: MomoAnswer): string {
  return `${answer.resultCode}: ${answer.message ?? ''}`.trim();
}

/** The accessKey is signed but not sent: the v3 request tables list partnerCode only (the old nodejs sample sent both). */
function withoutAccessKey<T extends { accessKey: string }>(fields: T): Omit<T, 'accessKey'> {
  const { accessKey: _accessKey, ...rest } = fields;
  return rest;
}

function scalar(v: unknown): string | number | undefined {
  return typeof v === 'string' || typeof v === 'number' ? v : v === undefined || v === null ? undefined : String(v);
}
