// Per-key event logs over a sliding window, for throttles inside subgraphs ("at most 10 refused
// coupon codes per client per 15 minutes"): in this process, or in Redis when REDIS_URL is set so
// every replica counts against one budget. Taking is check-and-add in one step (a Lua script in
// Redis), so concurrent requests cannot all slip under the limit; what turned out not to count
// is given back.
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { LRUCache } from 'lru-cache';
import { whenReady } from '../events/redis-connection';
import type { Logger } from '../logger';

export interface WindowTake {
  /** False when `n` more would pass the limit; nothing was added then. */
  taken: boolean;
  /** Handles of the added events, for giveBack. */
  ids: string[];
  /** Events in the window now (after adding, when taken). */
  count: number;
  /** When refused: until enough events leave the window for `n` more to fit. */
  retryAfterMs: number;
}

export interface SlidingWindow {
  readonly max: number;
  readonly windowMs: number;
  /** Adds `n` events for `key` if the events of the last window plus `n` stay within `max`. */
  take(key: string, n: number): Promise<WindowTake>;
  /** Removes events added by take that turned out not to count. */
  giveBack(key: string, ids: readonly string[]): Promise<void>;
}

export interface SlidingWindowOptions {
  max: number;
  windowSeconds: number;
}

const newIds = (n: number) => Array.from({ length: n }, () => randomUUID());

export class MemorySlidingWindow implements SlidingWindow {
  readonly max: number;
  readonly windowMs: number;
  private readonly logs: LRUCache<string, { at: number; id: string }[]>;

  constructor(
    options: SlidingWindowOptions,
    private readonly now: () => number = Date.now,
  ) {
    this.max = options.max;
    this.windowMs = options.windowSeconds * 1000;
    // Bounded: a flood of distinct keys forgets the least recent clients, not the process's memory.
    this.logs = new LRUCache({ max: 100_000, ttl: this.windowMs });
  }

  async take(key: string, n: number): Promise<WindowTake> {
    const now = this.now();
    const log = (this.logs.get(key) ?? []).filter((e) => e.at > now - this.windowMs);
    if (log.length + n > this.max) {
      this.logs.set(key, log);
      const leaving = log[log.length + n - this.max - 1];
      return {
        taken: false,
        ids: [],
        count: log.length,
        retryAfterMs: leaving ? leaving.at + this.windowMs - now : this.windowMs,
      };
    }
    const ids = newIds(n);
    log.push(...ids.map((id) => ({ at: now, id })));
    this.logs.set(key, log);
    return { taken: true, ids, count: log.length, retryAfterMs: 0 };
  }

  async giveBack(key: string, ids: readonly string[]): Promise<void> {
    const log = this.logs.get(key);
    if (!log || ids.length === 0) return;
    const returned = new Set(ids);
    this.logs.set(
      key,
      log.filter((e) => !returned.has(e.id)),
    );
  }
}

// A sorted set per key, scored by Redis's own clock (one clock for every replica).
// ARGV: window ms, n, max, then the n member ids.
const TAKE_SCRIPT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local window = tonumber(ARGV[1])
local n = tonumber(ARGV[2])
local max = tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
local count = redis.call('ZCARD', KEYS[1])
if count + n > max then
  local leaving = redis.call('ZRANGE', KEYS[1], count + n - max - 1, count + n - max - 1, 'WITHSCORES')
  local retry = window
  if leaving[2] then retry = tonumber(leaving[2]) + window - now end
  return {0, count, retry}
end
for i = 1, n do redis.call('ZADD', KEYS[1], now, ARGV[3 + i]) end
redis.call('PEXPIRE', KEYS[1], window)
return {1, count + n, 0}
`;

export class RedisSlidingWindow implements SlidingWindow {
  readonly max: number;
  readonly windowMs: number;
  /** The first takes wait (together, up to 2 s) for the connection to come up; later ones fail fast. */
  private startup: Promise<unknown> | undefined;

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    options: SlidingWindowOptions,
    private readonly logger: Logger,
  ) {
    this.max = options.max;
    this.windowMs = options.windowSeconds * 1000;
  }

  // The hash tag keeps one key's log in one Redis Cluster slot.
  private keyOf(key: string): string {
    return `${this.prefix}:{${key}}`;
  }

  async take(key: string, n: number): Promise<WindowTake> {
    const ids = newIds(n);
    try {
      this.startup ??= whenReady(this.redis, 2_000).catch(() => undefined);
      await this.startup;
      const [taken, count, retryAfterMs] = (await this.redis.eval(
        TAKE_SCRIPT,
        1,
        this.keyOf(key),
        this.windowMs,
        n,
        this.max,
        ...ids,
      )) as [number, number, number];
      return taken === 1
        ? { taken: true, ids, count, retryAfterMs: 0 }
        : { taken: false, ids: [], count, retryAfterMs: Math.max(1, retryAfterMs) };
    } catch (err) {
      // Redis down: serve rather than refuse everyone, as the gateway's rate limit does.
      this.logger.warn({ err, key }, 'sliding window: redis unavailable, not counting');
      return { taken: true, ids: [], count: 0, retryAfterMs: 0 };
    }
  }

  async giveBack(key: string, ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    try {
      await this.redis.zrem(this.keyOf(key), ...ids);
    } catch (err) {
      this.logger.warn({ err, key }, 'sliding window: could not give events back');
    }
  }
}
