// The Redis Streams Bus: one stream per topic, consumer groups for work sharing, explicit
// acknowledgement after the handler succeeds, and takeover of entries a crashed consumer
// left pending. Ordering: a stream is one ordered log and each consumer handles its entries
// one at a time, so a single-member group sees every subject in order. A group with several
// members shares entries freely (Redis has no partition key), so two events of one subject
// may then be handled concurrently; use Kafka where that matters.
import { randomBytes, randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Redis } from 'ioredis';
import type { Logger } from '../logger';
import type { Bus, EventHandler, SubscribeOptions, Subscription } from './bus';
import type { DomainEvent } from './envelope';
import { closeRedis, connectRedis, whenReady } from './redis-connection';
import { backoffDelay, DEFAULT_HANDLER_BACKOFF, deliverUntilHandled, sleep, type BackoffOptions } from './retry';

export interface RedisStreamsBusOptions {
  url: string;
  logger: Logger;
  /** Approximate cap on each stream's length (XADD MAXLEN ~): the retained history. */
  maxLen?: number;
  /** Entries fetched per XREADGROUP / XAUTOCLAIM call. */
  batchSize?: number;
  /** Longest XREADGROUP blocks waiting for new entries. */
  blockMs?: number;
  /** An entry pending this long on any consumer is taken over: its consumer is presumed dead. */
  claimIdleMs?: number;
  /** How long publish and subscribe wait for a connection before rejecting. */
  connectTimeoutMs?: number;
  /** Back-off between attempts when a handler throws, and after Redis errors. */
  retry?: BackoffOptions;
  /** Prepended to every stream name (REDIS_PREFIX): deployments sharing a Redis stay apart. */
  keyPrefix?: string;
}

type StreamEntry = [id: string, fields: string[] | null];
type ReadReply = [stream: string, entries: StreamEntry[]][] | null;
type AutoclaimReply = [next: string, entries: StreamEntry[], deleted?: string[]];

const EVENT_FIELD = 'event';

function decodeEntry(fields: string[] | null): DomainEvent | undefined {
  if (!fields) return undefined;
  for (let i = 0; i + 1 < fields.length; i += 2) {
    if (fields[i] !== EVENT_FIELD) continue;
    try {
      return JSON.parse(fields[i + 1]!) as DomainEvent;
    } catch {
      return undefined;
    }
  }
  return undefined;
}

interface ConsumerContext {
  url: string;
  commands: Redis;
  logger: Logger;
  batchSize: number;
  blockMs: number;
  claimIdleMs: number;
  retry: BackoffOptions;
}

/** One subscription: a named consumer in a group, reading on its own blocking connection. */
class StreamConsumer implements Subscription {
  private readonly abort = new AbortController();
  private reader?: Redis;
  private loop?: Promise<void>;

  constructor(
    private readonly ctx: ConsumerContext,
    readonly topic: string,
    readonly group: string,
    readonly name: string,
    private readonly ephemeral: boolean,
    private readonly handler: EventHandler,
    private readonly onClosed: () => void,
  ) {}

  async start(from: 'earliest' | 'latest'): Promise<void> {
    await this.createGroup(from === 'earliest' ? '0' : '$');
    // No per-command retry limit: during an outage the read waits for the reconnect.
    this.reader = connectRedis(this.ctx.url, this.ctx.logger, `bus-reader:${this.name}`, {
      maxRetriesPerRequest: null,
    });
    this.loop = this.run(this.reader);
  }

  async close(): Promise<void> {
    if (this.abort.signal.aborted) return;
    this.abort.abort();
    this.reader?.disconnect(); // interrupts a blocking XREADGROUP at once
    await this.loop;
    this.onClosed();
    const { commands, logger } = this.ctx;
    try {
      if (this.ephemeral) {
        await commands.xgroup('DESTROY', this.topic, this.group);
      } else {
        // Leave the group tidy, but never drop entries still pending on this consumer:
        // they must stay claimable by the group's other members.
        const pending = (await commands.xpending(this.topic, this.group, '-', '+', 1, this.name)) as unknown[];
        if (pending.length === 0) await commands.xgroup('DELCONSUMER', this.topic, this.group, this.name);
      }
    } catch (err) {
      logger.warn({ err, topic: this.topic, group: this.group }, 'could not clean up the consumer group on close');
    }
  }

  private get signal(): AbortSignal {
    return this.abort.signal;
  }

  private async createGroup(startId: '0' | '$'): Promise<void> {
    try {
      await this.ctx.commands.xgroup('CREATE', this.topic, this.group, startId, 'MKSTREAM');
    } catch (err) {
      if (!String((err as Error).message).includes('BUSYGROUP')) throw err;
    }
  }

  private async run(reader: Redis): Promise<void> {
    const { batchSize, claimIdleMs, retry, logger } = this.ctx;
    // Reclaim at least twice per idle period, and never block longer than that.
    const claimEveryMs = Math.max(50, Math.floor(claimIdleMs / 2));
    const blockMs = Math.min(this.ctx.blockMs, claimEveryMs);
    let nextClaimAt = 0;
    let failures = 0;
    // After an error, first re-read this consumer's own pending entries (id "0"), so what it
    // was handed before the failure is handled before anything newer: keeps subject order.
    let backlogFrom: string | undefined = '0';
    while (!this.signal.aborted) {
      try {
        if (Date.now() >= nextClaimAt) {
          nextClaimAt = Date.now() + claimEveryMs;
          await this.reclaimStale();
        }
        let reply: ReadReply;
        if (backlogFrom !== undefined) {
          reply = (await reader.xreadgroup(
            'GROUP',
            this.group,
            this.name,
            'COUNT',
            batchSize,
            'STREAMS',
            this.topic,
            backlogFrom,
          )) as ReadReply;
          const entries = reply?.[0]?.[1] ?? [];
          backlogFrom = entries.length > 0 ? entries[entries.length - 1]![0] : undefined;
        } else {
          reply = (await reader.xreadgroup(
            'GROUP',
            this.group,
            this.name,
            'COUNT',
            batchSize,
            'BLOCK',
            blockMs,
            'STREAMS',
            this.topic,
            '>',
          )) as ReadReply;
        }
        failures = 0;
        for (const [, entries] of reply ?? []) await this.handleEntries(entries);
      } catch (err) {
        if (this.signal.aborted) return;
        backlogFrom = '0';
        if (String((err as Error).message).includes('NOGROUP')) {
          // The stream or group vanished (Redis restarted without persistence, or it was
          // deleted): recreate it from the start of whatever the stream now holds.
          logger.warn({ topic: this.topic, group: this.group }, 'consumer group missing; recreating it');
          await this.createGroup('0').catch(() => undefined);
        } else {
          logger.warn({ err, topic: this.topic, group: this.group }, 'redis stream read failed; retrying');
        }
        await sleep(backoffDelay(failures++, retry), this.signal);
      }
    }
  }

  /** Takes over entries another consumer has held too long (it crashed or hangs), oldest first. */
  private async reclaimStale(): Promise<void> {
    const { commands, claimIdleMs, batchSize, logger } = this.ctx;
    let cursor = '0-0';
    do {
      const [next, entries] = (await commands.xautoclaim(
        this.topic,
        this.group,
        this.name,
        claimIdleMs,
        cursor,
        'COUNT',
        batchSize,
      )) as AutoclaimReply;
      if (entries.length > 0) {
        logger.info({ topic: this.topic, group: this.group, count: entries.length }, 'took over stale pending events');
      }
      await this.handleEntries(entries);
      cursor = next;
    } while (cursor !== '0-0' && !this.signal.aborted);
  }

  private async handleEntries(entries: StreamEntry[]): Promise<void> {
    const { commands, retry, logger } = this.ctx;
    for (const [id, fields] of entries) {
      if (this.signal.aborted) return; // the rest stay pending and will be claimed by another member
      const event = decodeEntry(fields);
      if (!event) {
        // null fields: trimmed by MAXLEN while pending (Redis 6.2 reports these); else garbage.
        if (fields)
          logger.error(
            { topic: this.topic, id },
            'unreadable stream entry; acknowledging it so it cannot block the group',
          );
        await commands.xack(this.topic, this.group, id);
        continue;
      }
      const handled = await deliverUntilHandled(event, this.handler, {
        signal: this.signal,
        backoff: retry,
        logger,
        // Resetting the idle time keeps other members from taking over an entry still being retried.
        beforeRetry: async () => {
          await commands.xclaim(this.topic, this.group, this.name, 0, id, 'JUSTID');
        },
      });
      if (!handled) return;
      await commands.xack(this.topic, this.group, id);
    }
  }
}

export class RedisStreamsBus implements Bus {
  readonly kind = 'redis' as const;
  private readonly commands: Redis;
  private readonly consumers = new Set<StreamConsumer>();
  /** Consumer names are unique per process (and per subscription within it). */
  private readonly processTag = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  private consumerCount = 0;
  private readonly maxLen: number;
  private readonly connectTimeoutMs: number;
  private readonly context: ConsumerContext;
  private readonly keyPrefix: string;

  constructor(options: RedisStreamsBusOptions) {
    this.maxLen = options.maxLen ?? 100_000;
    this.connectTimeoutMs = options.connectTimeoutMs ?? 2_000;
    this.keyPrefix = options.keyPrefix ?? '';
    // No offline queue and one retry: while Redis is down publish rejects promptly, so the
    // outbox relay keeps its rows and backs off instead of piling up queued commands.
    this.commands = connectRedis(options.url, options.logger, 'bus', {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      commandTimeout: 10_000,
    });
    this.context = {
      url: options.url,
      commands: this.commands,
      logger: options.logger,
      batchSize: options.batchSize ?? 100,
      blockMs: options.blockMs ?? 5_000,
      claimIdleMs: options.claimIdleMs ?? 30_000,
      retry: options.retry ?? DEFAULT_HANDLER_BACKOFF,
    };
  }

  async publish(topic: string, events: DomainEvent[]): Promise<void> {
    if (events.length === 0) return;
    const encoded = events.map((e) => JSON.stringify(e));
    await whenReady(this.commands, this.connectTimeoutMs);
    // MULTI makes the batch all-or-nothing, so a failed publish never leaves half a batch behind.
    const tx = this.commands.multi();
    const stream = this.keyPrefix + topic;
    for (const json of encoded) tx.xadd(stream, 'MAXLEN', '~', this.maxLen, '*', EVENT_FIELD, json);
    const results = await tx.exec();
    if (!results) throw new Error('redis aborted the publish transaction');
    for (const [err] of results) if (err) throw err;
  }

  async subscribe(topic: string, options: SubscribeOptions, handler: EventHandler): Promise<Subscription> {
    await whenReady(this.commands, this.connectTimeoutMs);
    // An ephemeral subscription is a group of its own, destroyed on close.
    const group = options.ephemeral ? `${options.group}.${randomUUID()}` : options.group;
    const consumer: StreamConsumer = new StreamConsumer(
      this.context,
      this.keyPrefix + topic,
      group,
      `${this.processTag}:${++this.consumerCount}`,
      options.ephemeral ?? false,
      handler,
      () => this.consumers.delete(consumer),
    );
    await consumer.start(options.from ?? 'latest');
    this.consumers.add(consumer);
    return consumer;
  }

  async healthy(): Promise<boolean> {
    try {
      await whenReady(this.commands, 1_000);
      return (await this.commands.ping()) === 'PONG';
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    await Promise.all([...this.consumers].map((c) => c.close()));
    await closeRedis(this.commands);
  }
}
