// Redis connections for the bus and the cache: named (visible in CLIENT LIST), reconnecting
// with a capped delay, and logging a lost connection once rather than on every retry.
import { Redis, type RedisOptions } from 'ioredis';
import type { Logger } from '../logger';

export function connectRedis(url: string, logger: Logger, name: string, options: RedisOptions = {}): Redis {
  const redis = new Redis(url, {
    connectionName: name,
    retryStrategy: (times) => Math.min(times * 100, 2_000),
    // ioredis waits this long for a socket to close on disconnect, even one that never
    // opened; its 2 s default holds up process exit while Redis is down.
    disconnectTimeout: 200,
    ...options,
  });
  let failing = false;
  redis.on('error', (err: Error) => {
    if (failing) return;
    failing = true;
    logger.warn({ err, connection: name }, 'redis connection failed; reconnecting');
  });
  redis.on('ready', () => {
    if (failing) logger.info({ connection: name }, 'redis connection restored');
    failing = false;
  });
  return redis;
}

/** Resolves once `redis` is connected; rejects after `timeoutMs` so callers fail fast when it is down. */
export function whenReady(redis: Redis, timeoutMs: number): Promise<void> {
  if (redis.status === 'ready') return Promise.resolve();
  if (redis.status === 'end') return Promise.reject(new Error('redis connection is closed'));
  return new Promise((resolve, reject) => {
    const settle = (err?: Error) => {
      clearTimeout(timer);
      redis.off('ready', onReady);
      redis.off('end', onEnd);
      if (err) reject(err);
      else resolve();
    };
    const onReady = () => settle();
    const onEnd = () => settle(new Error('redis connection is closed'));
    const timer = setTimeout(() => settle(new Error(`redis not reachable within ${timeoutMs} ms`)), timeoutMs);
    redis.once('ready', onReady);
    redis.once('end', onEnd);
  });
}

/** Closes a connection, politely when it is up and at once when it is not. */
export async function closeRedis(redis: Redis): Promise<void> {
  if (redis.status === 'end') return;
  if (redis.status === 'ready') {
    try {
      await redis.quit();
      return;
    } catch {
      // Fall through: the connection dropped while quitting.
    }
  }
  redis.disconnect();
}
