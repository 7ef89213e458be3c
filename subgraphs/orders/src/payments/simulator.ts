// The local payment provider (the embedded default): behaves like the real ones — it answers
// authorize() with PENDING and tells the outcome later through a signed webhook to our own
// endpoint (/webhooks/payments/simulator), verified like Stripe's (HMAC-SHA256 over
// "<timestamp>.<raw body>", 300 s tolerance). The token chooses the outcome:
//   sim_approve (default)  → AUTHORIZED          sim_decline → FAILED
//   sim_requires_action    → stays PENDING (the customer never completes: the order expires)
//   sim_timeout            → authorize() hangs past the call timeout, then the payment succeeds
//                            anyway (a late success, which must be given back)
// Its payments live in this process's memory: a restarted simulator forgets them (query → null).
import { createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import type { Logger } from '@grocery/platform';
import {
  WebhookRejected,
  type AuthorizeOutcome,
  type AuthorizeRequest,
  type IncomingWebhook,
  type PaymentProvider,
  type PaymentRef,
  type PaymentUpdate,
  type ProviderPaymentStatus,
} from './payment-provider';

export const SIMULATOR_SIGNATURE_HEADER = 'x-simulator-signature';
export const SIMULATOR_TOKENS = ['sim_approve', 'sim_decline', 'sim_requires_action', 'sim_timeout'] as const;
const TOLERANCE_SECONDS = 300;

interface SimulatedPayment {
  paymentId: string;
  amount: number;
  status: ProviderPaymentStatus;
  captured: number;
  refunded: number;
  refundIds: Set<string>;
}

export interface SimulatorOptions {
  secret?: string;
  /** How long before the webhook is sent. */
  delayMs: number;
  /** sim_timeout: how long authorize() hangs (longer than the caller's timeout). */
  hangMs: number;
  /** Where our webhook route is, known once the service listens. */
  webhookUrl: () => string | undefined;
  logger: Logger;
}

export class PaymentSimulator implements PaymentProvider {
  readonly name = 'SIMULATOR' as const;
  readonly webhookAck = { status: 200, body: { received: true } };
  private readonly secret: string;
  private readonly payments = new Map<string, SimulatedPayment>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private closed = false;

  constructor(private readonly opts: SimulatorOptions) {
    this.secret = opts.secret ?? randomBytes(32).toString('base64url');
  }

  async authorize(req: AuthorizeRequest): Promise<AuthorizeOutcome> {
    const token = req.token ?? 'sim_approve';
    if (!(SIMULATOR_TOKENS as readonly string[]).includes(token))
      return { status: 'DECLINED', reason: `unknown simulator token ${token}` };
    // One authorization per payment id, like an idempotency key: a retry finds the first.
    const existing = [...this.payments.entries()].find(([, p]) => p.paymentId === req.paymentId);
    if (existing) return { status: 'PENDING', providerRef: existing[0], clientSecret: `${existing[0]}_secret` };
    const ref = `sim_pi_${randomUUID()}`;
    const payment: SimulatedPayment = {
      paymentId: req.paymentId,
      amount: req.amount,
      status: 'PENDING',
      captured: 0,
      refunded: 0,
      refundIds: new Set(),
    };
    this.payments.set(ref, payment);
    if (token === 'sim_timeout') {
      await this.sleep(this.opts.hangMs);
      this.settle(ref, 'AUTHORIZED');
      return { status: 'PENDING', providerRef: ref };
    }
    if (token === 'sim_approve') this.later(() => this.settle(ref, 'AUTHORIZED'));
    else if (token === 'sim_decline') this.later(() => this.settle(ref, 'FAILED', 'card_declined'));
    else this.later(() => this.settle(ref, 'REQUIRES_ACTION'));
    return { status: 'PENDING', providerRef: ref, clientSecret: `${ref}_secret` };
  }

  async capture(ref: PaymentRef, amount: number): Promise<void> {
    const p = this.known(ref);
    if (p.status === 'CAPTURED' && p.captured === amount) return;
    if (p.status !== 'AUTHORIZED') throw new Error(`simulator: cannot capture a ${p.status} payment`);
    if (amount > p.amount) throw new Error('simulator: cannot capture more than authorized');
    p.captured = amount;
    this.settle(ref.providerRef, 'CAPTURED');
  }

  async cancel(ref: PaymentRef): Promise<void> {
    const p = this.payments.get(ref.providerRef);
    if (!p || p.status === 'CANCELLED' || p.status === 'FAILED') return;
    if (p.status === 'CAPTURED') throw new Error('simulator: a captured payment is refunded, not cancelled');
    this.settle(ref.providerRef, 'CANCELLED');
  }

  async refund(ref: PaymentRef, amount: number, refundId: string): Promise<void> {
    const p = this.known(ref);
    if (p.refundIds.has(refundId)) return;
    if (p.refunded + amount > p.captured) throw new Error('simulator: cannot refund more than captured');
    p.refundIds.add(refundId);
    p.refunded += amount;
    this.settle(ref.providerRef, p.refunded === p.captured ? 'REFUNDED' : 'PARTIALLY_REFUNDED');
  }

  async query(ref: PaymentRef): Promise<PaymentUpdate | null> {
    const p = this.payments.get(ref.providerRef);
    if (!p) return null;
    return this.update(ref.providerRef, p, `query:${ref.providerRef}:${p.status}:${p.refunded}`);
  }

  async parseWebhook(webhook: IncomingWebhook): Promise<PaymentUpdate | null> {
    const header = webhook.headers[SIMULATOR_SIGNATURE_HEADER];
    const m = header ? /^t=(\d+),v1=([0-9a-f]{64})$/.exec(header) : null;
    if (!m) throw new WebhookRejected('missing or malformed simulator signature');
    const t = Number(m[1]);
    if (Math.abs(Date.now() / 1000 - t) > TOLERANCE_SECONDS) throw new WebhookRejected('simulator webhook too old');
    const expected = this.mac(t, webhook.rawBody);
    const given = Buffer.from(m[2]!, 'hex');
    if (given.length !== expected.length || !timingSafeEqual(given, expected))
      throw new WebhookRejected('simulator signature does not match');
    const body = JSON.parse(webhook.rawBody.toString('utf8')) as SimulatorEvent;
    return { ...body.data, provider: 'SIMULATOR', eventId: body.id, occurredAt: new Date(body.created) };
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

  private mac(t: number, body: Buffer): Buffer {
    return createHmac('sha256', this.secret).update(`${t}.`).update(body).digest();
  }

  private known(ref: PaymentRef): SimulatedPayment {
    const p = this.payments.get(ref.providerRef);
    if (!p) throw new Error(`simulator: no payment ${ref.providerRef}`);
    return p;
  }

  private settle(ref: string, status: ProviderPaymentStatus, reason?: string): void {
    const p = this.payments.get(ref);
    if (!p || this.closed) return;
    p.status = status === 'REQUIRES_ACTION' ? 'PENDING' : status;
    const update = this.update(ref, p, `evt_${randomUUID()}`, status, reason);
    this.later(() => void this.send(update));
  }

  private update(
    ref: string,
    p: SimulatedPayment,
    eventId: string,
    status: ProviderPaymentStatus = p.status,
    reason?: string,
  ): PaymentUpdate {
    const amount = status === 'CAPTURED' ? p.captured : status.endsWith('REFUNDED') ? p.refunded : p.amount;
    return {
      eventId,
      provider: 'SIMULATOR',
      paymentId: p.paymentId,
      providerRef: ref,
      status,
      amount,
      occurredAt: new Date(),
      ...(reason ? { reason } : {}),
    };
  }

  private async send(update: PaymentUpdate, attempt = 0): Promise<void> {
    const url = this.opts.webhookUrl();
    if (!url || this.closed) return;
    const { eventId, occurredAt, provider: _provider, ...data } = update;
    const body = JSON.stringify({ id: eventId, type: 'payment.updated', created: occurredAt.getTime(), data });
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', [SIMULATOR_SIGNATURE_HEADER]: this.sign(body) },
        body,
        signal: AbortSignal.timeout(10_000),
      });
      // Like a real provider, it retries what was not acknowledged (a few times, with back-off).
      if (!res.ok && res.status >= 500) this.retry(update, attempt);
    } catch (err) {
      if (!this.closed) {
        this.opts.logger.warn(
          { err: (err as Error).message, eventId },
          'payment simulator: webhook not delivered, retrying',
        );
        this.retry(update, attempt);
      }
    }
  }

  private retry(update: PaymentUpdate, attempt: number): void {
    if (attempt >= 3 || this.closed) return;
    const t = setTimeout(
      () => {
        this.timers.delete(t);
        void this.send(update, attempt + 1);
      },
      500 * (attempt + 1),
    );
    this.timers.add(t);
  }

  private later(fn: () => void): void {
    const t = setTimeout(() => {
      this.timers.delete(t);
      fn();
    }, this.opts.delayMs);
    this.timers.add(t);
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        this.timers.delete(t);
        resolve();
      }, ms);
      this.timers.add(t);
    });
  }
}

interface SimulatorEvent {
  id: string;
  type: string;
  created: number;
  data: Omit<PaymentUpdate, 'eventId' | 'provider' | 'occurredAt'>;
}
