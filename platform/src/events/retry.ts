// Capped exponential back-off, and the at-least-once delivery loop every transport shares:
// a handler that throws gets the same event again until it succeeds or the subscription closes.
import type { Logger } from '../logger';
import type { DomainEvent } from './envelope';
import type { DeadLetterSink, EventHandler } from './bus';

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
  /**
   * Attempts after which a failing event is given up (`giveUp`); unbounded when absent. Every
   * attempt after the limit that fails tries `giveUp` again, so an event is only set aside once
   * the place it goes to has taken it (a dead-letter table in a database that is up).
   */
  maxAttempts?: number;
  /** Sets the event aside (stores it as a dead letter, or logs and drops it); throws when it could not. */
  giveUp?: (error: unknown, attempts: number) => Promise<void>;
}

/**
 * Calls `handler` until it succeeds (true), the event is given up after `maxAttempts` (true:
 * it was set aside, the transport may acknowledge it), or `signal` aborts (false: the event
 * stays unacknowledged so the transport redelivers it). Retrying in place, rather than moving
 * on, is what keeps a subject's later events behind the one that failed.
 */
export async function deliverUntilHandled(
  event: DomainEvent,
  handler: EventHandler,
  { signal, backoff, logger, beforeRetry, maxAttempts, giveUp }: DeliveryOptions,
): Promise<boolean> {
  for (let attempt = 0; !signal.aborted; attempt++) {
    try {
      await handler(event);
      return true;
    } catch (err) {
      const attempts = attempt + 1;
      if (giveUp && maxAttempts !== undefined && attempts >= maxAttempts) {
        try {
          await giveUp(err, attempts);
          return true;
        } catch (giveUpErr) {
          logger.error(
            { err: giveUpErr, eventId: event.id, type: event.type, attempts },
            'could not set a failing event aside; retrying it',
          );
        }
      } else {
        logger.warn(
          { err, eventId: event.id, type: event.type, subject: event.subject, attempt },
          'event handler failed; will retry',
        );
      }
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

export const DEFAULT_MAX_ATTEMPTS = 10;

/**
 * What a transport does with an event its consumer gave up on: into the consumer's dead-letter
 * store when it has one, else logged with its body and dropped.
 */
export function setAside(
  event: DomainEvent,
  {
    topic,
    consumer,
    deadLetters,
    logger,
  }: { topic: string; consumer: string; deadLetters?: DeadLetterSink; logger: Logger },
): (error: unknown, attempts: number) => Promise<void> {
  return async (err, attempts) => {
    const error = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
    if (deadLetters) {
      await deadLetters.add({ consumer, topic, event, error, attempts });
      logger.error(
        { eventId: event.id, type: event.type, subject: event.subject, consumer, attempts, error },
        'event stored as a dead letter after its last attempt; the consumer goes on (pnpm ops dead-letters)',
      );
      return;
    }
    logger.error(
      { event, consumer, topic, attempts, error },
      'event dropped after its last attempt (this consumer keeps no dead letters)',
    );
  };
}
