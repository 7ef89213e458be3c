// Requests per client per minute: a sliding-window counter (the current and the previous
// fixed minute, the previous one weighted by how much of it still overlaps the last 60 s),
// kept in this process, or in Redis when REDIS_URL is set so every gateway replica shares
// one budget per client.
import type { Config, Logger } from '@grocery/platform';
import { Redis } from 'ioredis';
import { LRUCache } from 'lru-cache';

export interface RateLimitVerdict {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Seconds until a refused client may expect to be let through again. */
  retryAfterSeconds: number;
}

export interface RateLimiter {
  /** Counts one request for `clientKey` when it is within the budget. */
  hit(clientKey: string): Promise<RateLimitVerdict>;
  close(): Promise<void>;
}

const WINDOW_MS = 60_000;

/** The shared arithmetic: estimate = previous * overlap + current, refuse at the limit. */
function verdict(limit: number, now: number, previous: number, current: number, counted: boolean): RateLimitVerdict {
  const overlap = 1 - (now % WINDOW_MS) / WINDOW_MS;
  const estimate = previous * overlap + current;
  const remaining = Math.max(0, Math.floor(limit - estimate));
  let retryAfterSeconds = 0;
  if (!counted) {
    // When will `previous * overlap + current + 1 <= limit` hold? As the previous window
    // slides out; if the current one alone is full, at the next window.
    const needed = estimate + 1 - limit;
    const untilNextWindow = WINDOW_MS - (now % WINDOW_MS);
    const ms = previous > 0 && needed <= previous * overlap ? (needed / previous) * WINDOW_MS : untilNextWindow;
    retryAfterSeconds = Math.max(1, Math.ceil(ms / 1000));
  }
  return { allowed: counted, limit, remaining, retryAfterSeconds };
}

export class InMemoryRateLimiter implements RateLimiter {
  private readonly windows = new LRUCache<string, { window: number; current: number; previous: number }>({
    max: 100_000,
    ttl: 2 * WINDOW_MS,
  });

  constructor(
    private readonly limit: number,
    private readonly now: () => number = Date.now,
  ) {}

  async hit(clientKey: string): Promise<RateLimitVerdict> {
    const now = this.now();
    const window = Math.floor(now / WINDOW_MS);
    let w = this.windows.get(clientKey);
    if (!w || w.window < window - 1) w = { window, current: 0, previous: 0 };
    else if (w.window === window - 1) w = { window, current: 0, previous: w.current };
    const overlap = 1 - (now % WINDOW_MS) / WINDOW_MS;
    const allowed = w.previous * overlap + w.current + 1 <= this.limit;
    if (allowed) w.current += 1;
    this.windows.set(clientKey, w);
    return verdict(this.limit, now, w.previous, w.current, allowed);
  }

  async close(): Promise<void> {
    this.windows.clear();
  }
}

// Check and count in one round trip, atomically, so replicas cannot both take the last slot.
const HIT_SCRIPT = `
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
local previous = tonumber(redis.call('GET', KEYS[2]) or '0')
if previous * tonumber(ARGV[2]) + current + 1 > tonumber(ARGV[1]) then
  return {0, current, previous}
end
current = redis.call('INCR', KEYS[1])
if current == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[3]) end
return {1, current, previous}
`;

export class RedisRateLimiter implements RateLimiter {
  constructor(
    private readonly redis: Redis,
    private readonly limit: number,
    private readonly prefix: string,
    private readonly logger: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  async hit(clientKey: string): Promise<RateLimitVerdict> {
    const now = this.now();
    const window = Math.floor(now / WINDOW_MS);
    const overlap = 1 - (now % WINDOW_MS) / WINDOW_MS;
    // The hash tag keeps both windows of one client in one Redis Cluster slot.
    const key = (w: number) => `${this.prefix}ratelimit:{${clientKey}}:${w}`;
    try {
      const [counted, current, previous] = (await this.redis.eval(
        HIT_SCRIPT,
        2,
        key(window),
        key(window - 1),
        this.limit,
        overlap,
        2 * WINDOW_MS,
      )) as [number, number, number];
      return verdict(this.limit, now, previous, current, counted === 1);
    } catch (err) {
      // Redis down: serve rather than refuse everyone; the body and operation limits still hold.
      this.logger.warn({ err }, 'rate limiter: redis unavailable, letting the request through');
      return { allowed: true, limit: this.limit, remaining: this.limit, retryAfterSeconds: 0 };
    }
  }

  async close(): Promise<void> {
    if (this.redis.status === 'ready') await this.redis.quit().catch(() => this.redis.disconnect());
    else this.redis.disconnect();
  }
}

export function createRateLimiter(config: Config, logger: Logger): RateLimiter {
  if (!config.REDIS_URL) return new InMemoryRateLimiter(config.RATE_LIMIT_PER_MINUTE);
  const redis = new Redis(config.REDIS_URL, {
    connectionName: 'gateway-rate-limit',
    // Fail fast rather than queue requests behind a dead connection.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    retryStrategy: (times) => Math.min(times * 100, 2_000),
  });
  redis.on('error', (err) => logger.debug({ err }, 'rate limiter redis error'));
  return new RedisRateLimiter(redis, config.RATE_LIMIT_PER_MINUTE, config.REDIS_PREFIX, logger);
}
