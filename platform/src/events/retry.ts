// Capped exponential back-off, and the at-least-once delivery loop every transport shares:
// a handler that throws gets the same event again until it succeeds or the subscription closes.
import type { Logger } from '../logger';
import type { DomainEvent } from './envelope';
import type { EventHandler } from './bus';

export interface BackoffOptions {
  /** First delay after a failure. */
  initialMs: number;
  /** Ceiling; the delay doubles per failure until it reaches this. */
  maxMs: number;
}

export const DEFAULT_HANDLER_BACKOFF: BackoffOptions = { initialMs: 50, maxMs: 5_000 };

/** Delay before retry number `attempt` (0-based), with jitter so replicas don't retry in lockstep. */
export function backoffDelay(attempt: number, { initialMs, maxMs }: BackoffOptions): number {
  const ceiling = Math.min(maxMs, initialMs * 2 ** Math.min(attempt, 30));
  // Half fixed, half random: spreads retries without ever collapsing to a busy loop.
  return ceiling / 2 + (Math.random() * ceiling) / 2;
}

/** Resolves after `ms`, or as soon as `signal` aborts (never rejects). */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

export interface DeliveryOptions {
  signal: AbortSignal;
  backoff: BackoffOptions;
  logger: Logger;
  /** Runs before each retry, e.g. to tell the transport the event is still being worked on. */
  beforeRetry?: () => Promise<void>;
}

/**
 * Calls `handler` until it succeeds (true) or `signal` aborts (false: the event stays
 * unacknowledged so the transport redelivers it). Retrying in place, rather than moving on,
 * is what keeps a subject's later events behind the one that failed.
 */
export async function deliverUntilHandled(
  event: DomainEvent,
  handler: EventHandler,
  { signal, backoff, logger, beforeRetry }: DeliveryOptions,
): Promise<boolean> {
  for (let attempt = 0; !signal.aborted; attempt++) {
    try {
      await handler(event);
      return true;
    } catch (err) {
      logger.warn(
        { err, eventId: event.id, type: event.type, subject: event.subject, attempt },
        'event handler failed; will retry',
      );
    }
    await sleep(backoffDelay(attempt, backoff), signal);
    if (signal.aborted) break;
    try {
      await beforeRetry?.();
    } catch (err) {
      logger.warn({ err, eventId: event.id }, 'could not extend the claim on a retried event');
    }
  }
  return false;
}
