// Budgets per key over a sliding window: a sliding-window counter (the current and the previous
// fixed window, the previous one weighted by how much of it still overlaps the last window's
// length), each hit charging a cost (1 for a request, an operation's estimated cost, ...). Kept in
// this process, or in Redis so every replica shares one budget per key; while Redis cannot be
// reached, each replica keeps counting on its own rather than letting everything through.
import type { Redis } from 'ioredis';
import { LRUCache } from 'lru-cache';
import type { Logger } from '../logger';

export interface RateLimitVerdict {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Seconds until a refused caller may expect to be let through again (0 when allowed). */
  retryAfterSeconds: number;
}

export interface RateLimiter {
  /** Charges `cost` (default 1) to `key` when it fits the budget; a refused hit charges nothing. */
  hit(key: string, cost?: number): Promise<RateLimitVerdict>;
  /** Gives back `cost` charged by an earlier hit that turned out not to count (e.g. a coupon code that applied). */
  refund(key: string, cost: number): Promise<void>;
  /** Forgets what `key` spent (e.g. a successful log-in clears its failures). */
  reset(key: string): Promise<void>;
  close(): Promise<void>;
}

export interface SlidingWindowOptions {
  /** Cost allowed per window. */
  limit: number;
  windowMs: number;
  /** Keeps this limiter's keys apart from others' in a shared store, e.g. "login:email". */
  name: string;
}

/** Atomic check-and-charge over two fixed windows: where the counts live. */
export interface WindowCounter {
  /**
   * Adds `cost` to `current` unless `previous * overlap + current + cost > limit`; returns
   * whether it did and both counts (current after adding).
   */
  charge(
    current: string,
    previous: string,
    cost: number,
    limit: number,
    overlap: number,
    ttlMs: number,
  ): Promise<{ charged: boolean; current: number; previous: number }>;
  delete(keys: readonly string[]): Promise<void>;
  close(): Promise<void>;
}

export class MemoryWindowCounter implements WindowCounter {
  private readonly counts = new LRUCache<string, number>({ max: 100_000 });

  async charge(current: string, previous: string, cost: number, limit: number, overlap: number, ttlMs: number) {
    const now = this.counts.get(current) ?? 0;
    const before = this.counts.get(previous) ?? 0;
    if (before * overlap + now + cost > limit) return { charged: false, current: now, previous: before };
    // The window's key expires when the window stops mattering, however often it is charged.
    // A refund (negative cost) never takes a window below nothing.
    const after = Math.max(0, now + cost);
    this.counts.set(current, after, { ttl: ttlMs, noUpdateTTL: true });
    return { charged: true, current: after, previous: before };
  }

  async delete(keys: readonly string[]): Promise<void> {
    for (const key of keys) this.counts.delete(key);
  }

  async close(): Promise<void> {
    this.counts.clear();
  }
}

// Check and charge in one round trip, atomically, so replicas cannot both take the last of a budget.
const CHARGE_SCRIPT = `
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
local previous = tonumber(redis.call('GET', KEYS[2]) or '0')
local cost = tonumber(ARGV[4])
if previous * tonumber(ARGV[2]) + current + cost > tonumber(ARGV[1]) then
  return {0, current, tostring(previous)}
end
current = redis.call('INCRBY', KEYS[1], cost)
if current < 0 then
  redis.call('SET', KEYS[1], 0, 'KEEPTTL')
  current = 0
end
if redis.call('PTTL', KEYS[1]) < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[3]) end
return {1, current, tostring(previous)}
`;

/**
 * Counts in Redis; falls back to counting in this process while Redis fails (logged once per
 * outage), so an outage weakens the limit to per-replica instead of lifting it.
 */
export class RedisWindowCounter implements WindowCounter {
  private readonly fallback = new MemoryWindowCounter();
  private degraded = false;

  constructor(
    private readonly redis: Redis,
    private readonly logger: Logger,
    /** Whether close() also closes the connection (false when it is shared, e.g. the cache's). */
    private readonly ownsConnection = false,
  ) {}

  async charge(current: string, previous: string, cost: number, limit: number, overlap: number, ttlMs: number) {
    try {
      const [charged, now, before] = (await this.redis.eval(
        CHARGE_SCRIPT,
        2,
        current,
        previous,
        limit,
        overlap,
        ttlMs,
        cost,
      )) as [number, number, string];
      if (this.degraded) this.logger.info('rate limits: counting in redis again');
      this.degraded = false;
      return { charged: charged === 1, current: now, previous: Number(before) };
    } catch (err) {
      if (!this.degraded) this.logger.warn({ err }, 'rate limits: redis unavailable, counting in this process');
      this.degraded = true;
      return this.fallback.charge(current, previous, cost, limit, overlap, ttlMs);
    }
  }

  async delete(keys: readonly string[]): Promise<void> {
    await this.fallback.delete(keys);
    try {
      await this.redis.del(...keys);
    } catch (err) {
      this.logger.warn({ err }, 'rate limits: could not reset a key in redis');
    }
  }

  async close(): Promise<void> {
    await this.fallback.close();
    if (!this.ownsConnection) return;
    if (this.redis.status === 'ready') await this.redis.quit().catch(() => this.redis.disconnect());
    else this.redis.disconnect();
  }
}

export class SlidingWindowRateLimiter implements RateLimiter {
  constructor(
    private readonly counter: WindowCounter,
    private readonly options: SlidingWindowOptions & { prefix?: string },
    private readonly now: () => number = Date.now,
  ) {}

  async hit(key: string, cost = 1): Promise<RateLimitVerdict> {
    const { limit, windowMs } = this.options;
    const now = this.now();
    const window = Math.floor(now / windowMs);
    const overlap = 1 - (now % windowMs) / windowMs;
    const counts = await this.counter.charge(
      this.key(key, window),
      this.key(key, window - 1),
      cost,
      limit,
      overlap,
      2 * windowMs,
    );
    const estimate = counts.previous * overlap + counts.current;
    const remaining = Math.max(0, Math.floor(limit - estimate));
    if (counts.charged) return { allowed: true, limit, remaining, retryAfterSeconds: 0 };
    // When will `previous * overlap + current + cost <= limit` hold? As the previous window
    // slides out; if the current one alone is too full, at the next window (or, for a cost over
    // what a whole window allows, never: the caller must say so rather than promise a time).
    const needed = estimate + cost - limit;
    const untilNextWindow = windowMs - (now % windowMs);
    const ms =
      counts.previous > 0 && needed <= counts.previous * overlap
        ? (needed / counts.previous) * windowMs
        : untilNextWindow;
    return { allowed: false, limit, remaining, retryAfterSeconds: Math.max(1, Math.ceil(ms / 1000)) };
  }

  async refund(key: string, cost: number): Promise<void> {
    if (cost <= 0) return;
    const { windowMs } = this.options;
    const now = this.now();
    const window = Math.floor(now / windowMs);
    // Off the current window (never below nothing): at worst a refund of what was charged in the
    // previous window leaves a little of it counted until that window slides out.
    await this.counter.charge(
      this.key(key, window),
      this.key(key, window - 1),
      -cost,
      Number.MAX_SAFE_INTEGER,
      0,
      2 * windowMs,
    );
  }

  async reset(key: string): Promise<void> {
    const window = Math.floor(this.now() / this.options.windowMs);
    await this.counter.delete([this.key(key, window), this.key(key, window - 1)]);
  }

  close(): Promise<void> {
    return this.counter.close();
  }

  // The hash tag keeps both windows of one key in one Redis Cluster slot.
  private key(key: string, window: number): string {
    return `${this.options.prefix ?? ''}ratelimit:${this.options.name}:{${key}}:${window}`;
  }
}
