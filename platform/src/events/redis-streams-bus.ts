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
import type { Bus, DeadLetterSink, EventHandler, SubscribeOptions, Subscription } from './bus';
import { sampleConsumerLag } from './consumer-lag';
import type { DomainEvent } from './envelope';
import { closeRedis, connectRedis, whenReady } from './redis-connection';
import {
  backoffDelay,
  DEFAULT_HANDLER_BACKOFF,
  DEFAULT_MAX_ATTEMPTS,
  deliverUntilHandled,
  setAside,
  sleep,
  type BackoffOptions,
} from './retry';

export interface RedisStreamsBusOptions {
  url: string;
  logger: Logger;
  /**
   * How long a stream keeps entries every group has acknowledged (ms): history for a new
   * group's "earliest". Entries some group has not acknowledged stay past it, up to maxLen.
   */
  retentionMs?: number;
  /**
   * Cap on a stream's length (XADD MAXLEN ~): what memory may hold even for a group that
   * stopped reading. Groups that lose entries to it are named in an error log.
   */
  maxLen?: number;
  /** Least time between two trims of one stream by this publisher (ms). */
  trimEveryMs?: number;
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
  /** Attempts at one event before it is set aside (SubscribeOptions.deadLetters). */
  maxAttempts?: number;
  /** Prepended to every stream name (REDIS_PREFIX): deployments sharing a Redis stay apart. */
  keyPrefix?: string;
}

type StreamEntry = [id: string, fields: string[] | null];
type ReadReply = [stream: string, entries: StreamEntry[]][] | null;
type AutoclaimReply = [next: string, entries: StreamEntry[], deleted?: string[]];

const EVENT_FIELD = 'event';
/** Most entries read to count a group's lag when Redis does not report it. */
const LAG_COUNT_CAP = 1_000;

/** XINFO's flat [key, value, key, value, …] reply as an object. */
function parseInfo(reply: unknown[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (let i = 0; i + 1 < reply.length; i += 2) out[String(reply[i])] = reply[i + 1];
  return out;
}

function parseInfoList(reply: unknown[]): Record<string, unknown>[] {
  return reply.map((r) => parseInfo(r as unknown[]));
}

/** Orders stream ids ("ms-seq") numerically. */
export function compareIds(a: string, b: string): number {
  const [am, as = '0'] = a.split('-');
  const [bm, bs = '0'] = b.split('-');
  const byMs = BigInt(am!) - BigInt(bm!);
  if (byMs !== 0n) return byMs < 0n ? -1 : 1;
  const bySeq = BigInt(as) - BigInt(bs);
  return bySeq === 0n ? 0 : bySeq < 0n ? -1 : 1;
}

/** The smallest id after `id`. */
function nextId(id: string): string {
  const [ms, seq = '0'] = id.split('-');
  return `${ms}-${BigInt(seq) + 1n}`;
}

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
  maxAttempts: number;
}

/** One subscription: a named consumer in a group, reading on its own blocking connection. */
class StreamConsumer implements Subscription {
  private readonly abort = new AbortController();
  private reader?: Redis;
  private loop?: Promise<void>;
  private stopSampling?: () => void;

  constructor(
    private readonly ctx: ConsumerContext,
    readonly topic: string,
    readonly group: string,
    readonly name: string,
    private readonly ephemeral: boolean,
    private readonly handler: EventHandler,
    private readonly onClosed: () => void,
    /** The topic and group as the subscriber named them (no key prefix, no ephemeral suffix). */
    private readonly setAsideTo: { topic: string; consumer: string; deadLetters?: DeadLetterSink },
  ) {}

  async start(from: 'earliest' | 'latest'): Promise<void> {
    await this.createGroup(from === 'earliest' ? '0' : '$');
    this.stopSampling = sampleConsumerLag('redis', this.setAsideTo.topic, this.setAsideTo.consumer, () => this.lag());
    // No per-command retry limit: during an outage the read waits for the reconnect.
    this.reader = connectRedis(this.ctx.url, this.ctx.logger, `bus-reader:${this.name}`, {
      maxRetriesPerRequest: null,
    });
    this.loop = this.run(this.reader);
  }

  async close(): Promise<void> {
    if (this.abort.signal.aborted) return;
    this.abort.abort();
    this.stopSampling?.();
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

  /**
   * Entries of the stream this group has not acknowledged: not yet delivered (XINFO GROUPS
   * `lag`, Redis 7+) plus delivered and pending. Where Redis cannot tell the undelivered count
   * (before 7, or `lag` null after deletions inside the stream), they are counted after the
   * group's last-delivered id, up to LAG_COUNT_CAP (then a lower bound).
   */
  async lag(): Promise<number | undefined> {
    const { commands } = this.ctx;
    const groups = parseInfoList((await commands.call('XINFO', 'GROUPS', this.topic)) as unknown[]);
    const group = groups.find((g) => String(g.name) === this.group);
    if (!group) return undefined;
    const pending = Number(group.pending ?? 0);
    const known = group.lag;
    if (known !== null && known !== undefined) return Number(known) + pending;
    const lastDelivered = String(group['last-delivered-id']);
    const undelivered = (await commands.xrange(this.topic, nextId(lastDelivered), '+', 'COUNT', LAG_COUNT_CAP)).length;
    return undelivered + pending;
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
        if (fields)
          logger.error(
            { topic: this.topic, id },
            'unreadable stream entry; acknowledging it so it cannot block the group',
          );
        // null fields: the entry was trimmed away while pending on this group (past hardMaxLen).
        else
          logger.error(
            { topic: this.topic, group: this.group, id },
            'a pending event was trimmed from the stream before this group handled it; rebuild its projection (pnpm ops rebuild)',
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
        maxAttempts: this.ctx.maxAttempts,
        giveUp: setAside(event, { ...this.setAsideTo, logger }),
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
  private readonly retentionMs: number;
  private readonly trimEveryMs: number;
  private readonly lastTrim = new Map<string, number>();
  private readonly reportedLoss = new Map<string, string>();
  private readonly connectTimeoutMs: number;
  private readonly context: ConsumerContext;
  private readonly keyPrefix: string;

  constructor(options: RedisStreamsBusOptions) {
    this.maxLen = options.maxLen ?? 1_000_000;
    this.retentionMs = options.retentionMs ?? 86_400_000;
    this.trimEveryMs = options.trimEveryMs ?? 10_000;
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
      maxAttempts: options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
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
    const now = Date.now();
    if (now - (this.lastTrim.get(stream) ?? 0) >= this.trimEveryMs) {
      this.lastTrim.set(stream, now);
      // After the publish, never in its way: a failed trim is retried on a later publish.
      void this.trimAcknowledged(stream).catch((err: unknown) =>
        this.context.logger.warn({ err, stream }, 'could not trim the stream'),
      );
    }
  }

  /**
   * Removes entries older than the retention that every group has acknowledged. A group needs
   * everything from its oldest pending entry, or after its last delivered one; entries it needs
   * are never trimmed here (only the maxLen cap on XADD can take them, and that is reported).
   */
  async trimAcknowledged(stream: string): Promise<void> {
    const { commands, logger } = this.context;
    const groups = parseInfoList((await commands.call('XINFO', 'GROUPS', stream).catch(() => [])) as unknown[]);
    const info = parseInfo((await commands.call('XINFO', 'STREAM', stream)) as unknown[]);
    // Entries gone from the head of the stream (the maxLen cap on XADD, or this trim).
    const trimmed = Number(info['entries-added'] ?? 0) - Number(info.length ?? 0);
    const firstEntry = (info['first-entry'] as [string, unknown] | null)?.[0];
    let cut = `${Math.max(0, Date.now() - this.retentionMs)}-0`;
    for (const group of groups) {
      const name = String(group.name);
      const lastDelivered = String(group['last-delivered-id']);
      let needed = nextId(lastDelivered);
      if (Number(group.pending) > 0) {
        const [, oldestPending] = (await commands.xpending(stream, name)) as [number, string | null, ...unknown[]];
        if (oldestPending && compareIds(oldestPending, needed) < 0) needed = oldestPending;
      }
      // A group lost entries when more left the head than it had read: exactly, from Redis 7's
      // read counter; when Redis cannot tell (null), when its position is before the first entry.
      const read = group['entries-read'];
      const lost =
        trimmed > 0 &&
        (read !== null && read !== undefined
          ? trimmed > Number(read)
          : firstEntry !== undefined && compareIds(lastDelivered, firstEntry) < 0);
      const key = `${stream}\u0000${name}`;
      if (lost && this.reportedLoss.get(key) !== String(trimmed)) {
        this.reportedLoss.set(key, String(trimmed));
        logger.error(
          { stream, group: name, lastDelivered, entriesRead: read ?? null, trimmed },
          'events were trimmed from the stream before this consumer group read them; rebuild what it feeds (pnpm ops rebuild)',
        );
      }
      if (compareIds(needed, cut) < 0) cut = needed;
    }
    if (compareIds(cut, '0-1') <= 0) return;
    await commands.xtrim(stream, 'MINID', '~', cut);
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
      { topic, consumer: options.group, deadLetters: options.deadLetters },
    );
    options.deadLetters?.adopt?.(options.group, handler);
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
