// The gateway's per-client budgets: requests per minute (the cheap gate before any parsing),
// estimated operation cost per minute (charged once an operation's cost is known), both shared
// by every replica through Redis when REDIS_URL is set; and operations in flight at once, per
// replica. A client is its clientKey (token subject, else address).
import {
  MemoryWindowCounter,
  RedisWindowCounter,
  SlidingWindowRateLimiter,
  type Config,
  type Logger,
  type RateLimiter,
  type RateLimitVerdict,
  type WindowCounter,
} from '@grocery/platform';
import { Redis } from 'ioredis';

export type { RateLimiter, RateLimitVerdict };

const MINUTE_MS = 60_000;

export interface GatewayRateLimits {
  /** RATE_LIMIT_PER_MINUTE: every HTTP request, WebSocket connection and subscribe counts 1. */
  requests: RateLimiter;
  /** RATE_LIMIT_COST_PER_MINUTE: each operation charges its estimated cost (at least 1). */
  cost: RateLimiter;
  /** MAX_CONCURRENT_OPERATIONS_PER_CLIENT, in this process. */
  inFlight: InFlightLimit;
  close(): Promise<void>;
}

export function createRateLimits(config: Config, logger: Logger): GatewayRateLimits {
  let counter: WindowCounter;
  if (config.REDIS_URL) {
    const redis = new Redis(config.REDIS_URL, {
      connectionName: 'gateway-rate-limit',
      // Fail fast rather than queue requests behind a dead connection (the counter then counts locally).
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      retryStrategy: (times) => Math.min(times * 100, 2_000),
    });
    redis.on('error', (err) => logger.debug({ err }, 'rate limiter redis error'));
    counter = new RedisWindowCounter(redis, logger, true);
  } else counter = new MemoryWindowCounter();
  const prefix = config.REDIS_PREFIX;
  return {
    requests: new SlidingWindowRateLimiter(counter, {
      name: 'requests',
      limit: config.RATE_LIMIT_PER_MINUTE,
      windowMs: MINUTE_MS,
      prefix,
    }),
    cost: new SlidingWindowRateLimiter(counter, {
      name: 'cost',
      limit: config.RATE_LIMIT_COST_PER_MINUTE,
      windowMs: MINUTE_MS,
      prefix,
    }),
    inFlight: new InFlightLimit(config.MAX_CONCURRENT_OPERATIONS_PER_CLIENT),
    close: () => counter.close(),
  };
}

/**
 * Operations one client may have in flight at once in this process. Not shared across
 * replicas: a slot held in Redis by a replica that died would never be given back, while the
 * per-minute budgets above already bound a client across replicas.
 */
export class InFlightLimit {
  private readonly running = new Map<string, number>();

  constructor(readonly max: number) {}

  /** A release function when `key` has a free slot, else undefined. Release exactly once. */
  acquire(key: string): (() => void) | undefined {
    const now = this.running.get(key) ?? 0;
    if (now >= this.max) return undefined;
    this.running.set(key, now + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.running.get(key) ?? 1) - 1;
      if (left > 0) this.running.set(key, left);
      else this.running.delete(key);
    };
  }

  /** Clients with at least one operation in flight (for /status). */
  get clients(): number {
    return this.running.size;
  }
}
