// Cache store for replicated services: a small in-process LRU in front of Redis. Evictions
// delete from Redis and are broadcast on a pub/sub channel every instance listens to, so no
// replica's LRU keeps serving an evicted entry; the short LRU TTL bounds the damage of a
// broadcast that was missed.
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { LRUCache } from 'lru-cache';
import type { Logger } from '../logger';
import { closeRedis, connectRedis, whenReady } from '../events/redis-connection';
import type { CacheStore } from './cache-store';

export interface RedisStoreOptions {
  url: string;
  logger: Logger;
  /** Entries the in-process LRU holds (all namespaces together). */
  lruEntries: number;
  /** Longest an entry is served from the LRU without asking Redis. */
  lruTtlMs: number;
  /** Pub/sub channel that carries evicted keys to every instance. */
  channel: string;
  /** How long ready() and delete() wait for a connection. */
  connectTimeoutMs?: number;
}

interface Invalidation {
  from: string;
  keys: string[];
}

export class RedisStore implements CacheStore {
  readonly kind = 'redis' as const;
  /** Tells this instance's own broadcasts apart from other instances'. */
  private readonly instanceId = randomUUID();
  private readonly local: LRUCache<string, string>;
  private readonly commands: Redis;
  private readonly subscriber: Redis;
  private readonly subscribed: Promise<unknown>;
  /**
   * Counts evictions seen. A read that started before an eviction may carry the old value
   * back from Redis; it is still returned, but not kept in the LRU.
   */
  private evictions = 0;
  private readonly logger: Logger;
  private readonly connectTimeoutMs: number;

  constructor(private readonly options: RedisStoreOptions) {
    this.logger = options.logger;
    this.connectTimeoutMs = options.connectTimeoutMs ?? 2_000;
    this.local = new LRUCache<string, string>({ max: options.lruEntries });
    // No offline queue: while Redis is down, reads and writes skip it at once instead of waiting.
    this.commands = connectRedis(options.url, options.logger, 'cache', {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      commandTimeout: 2_000,
    });
    // The subscriber keeps its queue so SUBSCRIBE goes out once connected, and ioredis
    // resubscribes after every reconnect.
    this.subscriber = connectRedis(options.url, options.logger, 'cache-invalidation');
    this.subscriber.on('message', (channel: string, message: string) => this.onInvalidation(channel, message));
    let connectedBefore = false;
    this.subscriber.on('ready', () => {
      // Evictions broadcast while we were disconnected are lost: start the LRU afresh.
      if (connectedBefore) this.forgetLocal();
      connectedBefore = true;
    });
    this.subscribed = this.subscriber.subscribe(options.channel);
    this.subscribed.catch((err: unknown) => this.logger.warn({ err }, 'cache invalidation subscribe failed'));
  }

  /** The command connection (fails fast while Redis is down), for other structures than entries. */
  get connection(): Redis {
    return this.commands;
  }

  async getMany(keys: readonly string[]): Promise<(string | undefined)[]> {
    // Without the invalidation feed, the LRU may hold evicted entries: go to Redis instead.
    const trustLocal = this.subscriber.status === 'ready';
    const values: (string | undefined)[] = new Array(keys.length);
    const missed: number[] = [];
    keys.forEach((key, i) => {
      const hit = trustLocal ? this.local.get(key) : undefined;
      if (hit === undefined) missed.push(i);
      else values[i] = hit;
    });
    if (missed.length === 0 || this.commands.status !== 'ready') return values;

    const evictionsBefore = this.evictions;
    let fetched: (string | null)[];
    try {
      fetched = await this.commands.mget(missed.map((i) => keys[i]!));
    } catch (err) {
      this.logger.debug({ err }, 'cache read from redis failed; treating as a miss');
      return values;
    }
    const keep = trustLocal && this.evictions === evictionsBefore;
    missed.forEach((i, j) => {
      const json = fetched[j];
      if (json == null) return;
      values[i] = json;
      if (keep) this.local.set(keys[i]!, json, { ttl: this.options.lruTtlMs });
    });
    return values;
  }

  async setMany(entries: ReadonlyArray<readonly [string, string]>, ttlMs: number): Promise<void> {
    const localTtl = Math.min(ttlMs, this.options.lruTtlMs);
    for (const [key, json] of entries) this.local.set(key, json, { ttl: localTtl });
    if (this.commands.status !== 'ready') return;
    const pipeline = this.commands.pipeline();
    for (const [key, json] of entries) pipeline.set(key, json, 'PX', ttlMs);
    try {
      const results = (await pipeline.exec()) ?? [];
      const failed = results.find(([err]) => err);
      if (failed) this.logger.debug({ err: failed[0] }, 'cache write to redis failed');
    } catch (err) {
      this.logger.debug({ err }, 'cache write to redis failed');
    }
  }

  async delete(keys: readonly string[]): Promise<void> {
    for (const key of keys) this.local.delete(key);
    this.evictions++;
    await whenReady(this.commands, this.connectTimeoutMs);
    const message: Invalidation = { from: this.instanceId, keys: [...keys] };
    // One MULTI: the entries are gone from Redis before any replica hears about it.
    const results = await this.commands
      .multi()
      .del(...keys)
      .publish(this.options.channel, JSON.stringify(message))
      .exec();
    if (!results) throw new Error('redis aborted the cache eviction');
    for (const [err] of results) if (err) throw err;
  }

  async ready(): Promise<void> {
    await Promise.all([whenReady(this.commands, this.connectTimeoutMs), this.subscribed]);
  }

  async close(): Promise<void> {
    await Promise.all([closeRedis(this.commands), closeRedis(this.subscriber)]);
    this.local.clear();
  }

  private onInvalidation(channel: string, message: string): void {
    if (channel !== this.options.channel) return;
    let parsed: Invalidation;
    try {
      parsed = JSON.parse(message) as Invalidation;
    } catch {
      this.logger.warn({ channel }, 'unreadable cache invalidation message; clearing the local cache');
      this.forgetLocal();
      return;
    }
    if (parsed.from === this.instanceId) return; // already evicted locally before broadcasting
    for (const key of parsed.keys) this.local.delete(key);
    this.evictions++;
  }

  private forgetLocal(): void {
    this.local.clear();
    this.evictions++;
  }
}
