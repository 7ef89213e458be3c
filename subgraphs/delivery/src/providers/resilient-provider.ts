// Wraps any DeliveryProvider so a courier's outage costs a shipment a bounded wait: each call
// has a timeout, and one circuit breaker per courier (opossum) fails fast while it is down,
// letting one probe call through after the reset time. Only outages count against the breaker
// (timeouts, unreachable, 5xx, refused credentials, unreadable answers); a DeliveryOperationRefused
// (outside its area, cancel after pickup, …) is the courier answering, passes through unchanged
// and does not count. Everything else surfaces as DeliveryProviderUnavailable, which is what the
// fallback moves on for. parseWebhook is not wrapped: it is local work on a request the courier
// sent us. Mirrors subgraphs/orders/src/payments/resilient-provider.ts.
import CircuitBreaker from 'opossum';
import {
  DeliveryOperationRefused,
  DeliveryProviderUnavailable,
  DeliveryWebhookRejected,
  type BookRequest,
  type Booking,
  type DeliveryProvider,
  type DeliveryProviderName,
  type IncomingWebhook,
  type Quote,
  type QuoteRequest,
  type ShipmentRef,
  type ShipmentUpdate,
  type WebhookOutcome,
} from './delivery-provider';

type Method = 'quote' | 'book' | 'cancel' | 'track' | 'bookReturn';

export interface DeliveryResilienceOptions {
  /** Per call; a call that takes longer fails with DeliveryProviderUnavailable. */
  timeoutMs: number;
  /** Percentage of failed calls in the rolling window that opens the breaker. */
  errorThresholdPercentage: number;
  /** How long the open breaker fails fast before letting one probe call through (half-open). */
  resetTimeoutMs: number;
  /** Calls in the window before the breaker may open at all. */
  volumeThreshold: number;
  /** The rolling window the percentage is taken over. Default 10 s (opossum's). */
  rollingCountTimeoutMs?: number;
}

/** Answers about the shipment, not about the courier's health. */
const isBusinessAnswer = (err: unknown): boolean =>
  err instanceof DeliveryOperationRefused || err instanceof DeliveryWebhookRejected;

class CallTimedOut extends Error {}

export class ResilientDeliveryProvider implements DeliveryProvider {
  readonly name: DeliveryProviderName;
  private readonly breaker: CircuitBreaker<[() => Promise<unknown>], unknown>;

  constructor(
    readonly inner: DeliveryProvider,
    private readonly opts: DeliveryResilienceOptions,
  ) {
    this.name = inner.name;
    this.breaker = new CircuitBreaker((call: () => Promise<unknown>) => call(), {
      name: `delivery:${inner.name}`,
      timeout: false, // ours, below, so a timeout carries the method's name
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

  quote(req: QuoteRequest): Promise<Quote> {
    return this.guard('quote', () => this.inner.quote(req));
  }

  book(req: BookRequest): Promise<Booking> {
    return this.guard('book', () => this.inner.book(req));
  }

  cancel(ref: ShipmentRef): Promise<void> {
    return this.guard('cancel', () => this.inner.cancel(ref));
  }

  track(ref: ShipmentRef): Promise<ShipmentUpdate> {
    return this.guard('track', () => this.inner.track(ref));
  }

  bookReturn(req: BookRequest): Promise<Booking> {
    return this.guard('bookReturn', () => this.inner.bookReturn(req));
  }

  parseWebhook(webhook: IncomingWebhook): Promise<WebhookOutcome> {
    return this.inner.parseWebhook(webhook);
  }

  /** Stops the breaker's statistics timers and the courier's own (the simulator's clock). */
  shutdown(): void {
    this.breaker.shutdown();
    this.inner.shutdown?.();
  }

  private async guard<T>(method: Method, call: () => Promise<T>): Promise<T> {
    try {
      return (await this.breaker.fire(() => withTimeout(call(), this.opts.timeoutMs, method))) as T;
    } catch (err) {
      if (isBusinessAnswer(err)) throw err;
      const why =
        (err as { code?: string }).code === 'EOPENBREAKER'
          ? 'circuit open after repeated failures'
          : err instanceof CallTimedOut || err instanceof DeliveryProviderUnavailable
            ? err.message
            : `call failed: ${(err as Error).message}`;
      const unavailable = new DeliveryProviderUnavailable(this.name, `${this.name} ${method}: ${why}`);
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
