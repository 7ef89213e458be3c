// Wraps any PaymentProvider so an outage at the provider costs checkout a bounded wait: each call
// has a timeout, and one circuit breaker per provider (opossum) fails fast while the provider is
// down, letting one probe call through after the reset time. Only outages count against the
// breaker (timeouts, transport errors, 5xx, unreadable answers); business answers do not: a
// DECLINED authorisation is a return value, and PaymentOperationRefused / WebhookRejected pass
// through unchanged. Everything else surfaces as PaymentProviderUnavailable.
// parseWebhook is not wrapped: it is local work on a request the provider sent us.
import CircuitBreaker from 'opossum';
import {
  PaymentOperationRefused,
  PaymentProviderUnavailable,
  WebhookRejected,
  type AuthorizeOutcome,
  type AuthorizeRequest,
  type IncomingWebhook,
  type PaymentProvider,
  type PaymentProviderName,
  type PaymentRef,
  type PaymentUpdate,
  type WebhookAck,
} from './payment-provider';

type Method = 'authorize' | 'capture' | 'cancel' | 'refund' | 'query';

export interface ResilienceOptions {
  /** Per call, by method; a call that takes longer fails with PaymentProviderUnavailable. */
  timeoutMs: Record<Method, number>;
  /** Percentage of failed calls in the rolling window that opens the breaker. */
  errorThresholdPercentage: number;
  /** How long the open breaker fails fast before letting one probe call through (half-open). */
  resetTimeoutMs: number;
  /** Calls in the window before the breaker may open at all. */
  volumeThreshold: number;
  /** The rolling window the percentage is taken over. Default 10 s (opossum's). */
  rollingCountTimeoutMs?: number;
}

/** Answers that are about the payment, not about the provider's health. */
const isBusinessAnswer = (err: unknown): boolean =>
  err instanceof PaymentOperationRefused || err instanceof WebhookRejected;

class CallTimedOut extends Error {}

export class ResilientPaymentProvider implements PaymentProvider {
  readonly name: PaymentProviderName;
  readonly webhookAck: WebhookAck;
  private readonly breaker: CircuitBreaker<[() => Promise<unknown>], unknown>;

  constructor(
    private readonly inner: PaymentProvider,
    private readonly opts: ResilienceOptions,
  ) {
    this.name = inner.name;
    this.webhookAck = inner.webhookAck;
    this.breaker = new CircuitBreaker((call: () => Promise<unknown>) => call(), {
      name: `payments:${inner.name}`,
      timeout: false, // per method, below
      errorThresholdPercentage: opts.errorThresholdPercentage,
      resetTimeout: opts.resetTimeoutMs,
      volumeThreshold: opts.volumeThreshold,
      rollingCountTimeout: opts.rollingCountTimeoutMs ?? 10_000,
      errorFilter: isBusinessAnswer,
    });
  }

  /** open | halfOpen | closed, for health checks and tests. */
  get circuitState(): 'open' | 'halfOpen' | 'closed' {
    return this.breaker.opened ? 'open' : this.breaker.halfOpen ? 'halfOpen' : 'closed';
  }

  authorize(req: AuthorizeRequest): Promise<AuthorizeOutcome> {
    return this.guard('authorize', () => this.inner.authorize(req));
  }

  capture(ref: PaymentRef, amount: number): Promise<void> {
    return this.guard('capture', () => this.inner.capture(ref, amount));
  }

  cancel(ref: PaymentRef): Promise<void> {
    return this.guard('cancel', () => this.inner.cancel(ref));
  }

  refund(ref: PaymentRef, amount: number, refundId: string): Promise<void> {
    return this.guard('refund', () => this.inner.refund(ref, amount, refundId));
  }

  query(ref: PaymentRef): Promise<PaymentUpdate | null> {
    return this.guard('query', () => this.inner.query(ref));
  }

  parseWebhook(webhook: IncomingWebhook): Promise<PaymentUpdate | null> {
    return this.inner.parseWebhook(webhook);
  }

  /** Stops the breaker's statistics timers (they are unref'd; this is for tidy tests and shutdown). */
  shutdown(): void {
    this.breaker.shutdown();
  }

  private async guard<T>(method: Method, call: () => Promise<T>): Promise<T> {
    try {
      return (await this.breaker.fire(() => withTimeout(call(), this.opts.timeoutMs[method], method))) as T;
    } catch (err) {
      if (isBusinessAnswer(err)) throw err;
      const why =
        (err as { code?: string }).code === 'EOPENBREAKER'
          ? 'circuit open after repeated failures'
          : err instanceof CallTimedOut
            ? err.message
            : `call failed: ${(err as Error).message}`;
      const unavailable = new PaymentProviderUnavailable(this.name, `${this.name} ${method}: ${why}`);
      (unavailable as { cause?: unknown }).cause = err;
      throw unavailable;
    }
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number, method: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new CallTimedOut(`${method} timed out after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timedOut]).finally(() => clearTimeout(timer));
}
