// The in-process Bus (embedded mode, tests): per topic an append-only log with per-group
// offsets, so it keeps Kafka's contract — every group gets every event, one member per group
// handles each, `earliest` replays, at-least-once with retry, per-subject order — in one process.
import { randomUUID } from 'node:crypto';
import type { Logger } from '../logger';
import type { Bus, DeadLetterSink, EventHandler, SubscribeOptions, Subscription } from './bus';
import { sampleConsumerLag } from './consumer-lag';
import type { DomainEvent } from './envelope';
import {
  DEFAULT_HANDLER_BACKOFF,
  DEFAULT_MAX_ATTEMPTS,
  deliverUntilHandled,
  setAside,
  type BackoffOptions,
} from './retry';

export interface InProcessBusOptions {
  logger: Logger;
  /** Events kept per topic for `earliest` replay; older ones are dropped (Kafka's retention). */
  retainPerTopic?: number;
  /** Events a group may have handed out and not yet finished (back-pressure on a slow group). */
  maxInFlightPerGroup?: number;
  /** Back-off between attempts when a handler throws. */
  retry?: BackoffOptions;
  /** Attempts at one event before it is set aside (SubscribeOptions.deadLetters). */
  maxAttempts?: number;
}

/** One topic: events are kept as JSON so every delivery is a fresh copy, as on a real transport. */
class TopicLog {
  private readonly entries: { subject: string; json: string }[] = [];
  private base = 0;
  readonly groups = new Map<string, ConsumerGroup>();

  constructor(private readonly retain: number) {}

  get start(): number {
    return this.base;
  }

  get end(): number {
    return this.base + this.entries.length;
  }

  subjectAt(offset: number): string {
    return this.entries[offset - this.base]!.subject;
  }

  eventAt(offset: number): DomainEvent {
    return JSON.parse(this.entries[offset - this.base]!.json) as DomainEvent;
  }

  append(events: readonly DomainEvent[]): void {
    // Serialise first so a value JSON cannot carry (BigInt) fails the publish, as it would on Kafka.
    const encoded = events.map((e) => ({ subject: e.subject, json: JSON.stringify(e) }));
    for (const entry of encoded) this.entries.push(entry);
    // Trim in chunks, not per event, so splice stays cheap.
    if (this.entries.length > this.retain + Math.ceil(this.retain / 10)) {
      const drop = this.entries.length - this.retain;
      this.entries.splice(0, drop);
      this.base += drop;
    }
  }
}

/** A subscriber; its abort signal cuts short the retries of an event it could not handle. */
class Member {
  private readonly abort = new AbortController();
  private readonly inFlight = new Set<Promise<boolean>>();

  constructor(
    private readonly handler: EventHandler,
    private readonly retry: BackoffOptions,
    private readonly logger: Logger,
    private readonly giveUp: { topic: string; consumer: string; maxAttempts: number; deadLetters?: DeadLetterSink },
  ) {}

  deliver(event: DomainEvent): Promise<boolean> {
    if (this.abort.signal.aborted) return Promise.resolve(false);
    const { topic, consumer, maxAttempts, deadLetters } = this.giveUp;
    const delivery = deliverUntilHandled(event, this.handler, {
      signal: this.abort.signal,
      backoff: this.retry,
      logger: this.logger,
      maxAttempts,
      giveUp: setAside(event, { topic, consumer, deadLetters, logger: this.logger }),
    });
    this.inFlight.add(delivery);
    void delivery.finally(() => this.inFlight.delete(delivery));
    return delivery;
  }

  /** Stops retries and waits for a handler that is running right now to return. */
  async close(): Promise<void> {
    this.abort.abort();
    await Promise.allSettled([...this.inFlight]);
  }
}

/**
 * A consumer group's position in one topic. Events of one subject are handled one after
 * another (a queue per subject); different subjects run concurrently, spread round-robin
 * over the members.
 */
class ConsumerGroup {
  private readonly members: Member[] = [];
  /** Offsets waiting per subject; the head is the one being handled. */
  private readonly bySubject = new Map<string, number[]>();
  /** Handed out, not yet handled: the committed position is the smallest of these. */
  private readonly unacked = new Set<number>();
  /** Bumped when the last member leaves, so work started for the old members is dropped. */
  private generation = 0;
  private turn = 0;

  constructor(
    private readonly log: TopicLog,
    private next: number,
    private readonly maxInFlight: number,
    private readonly logger: Logger,
  ) {}

  join(member: Member): void {
    this.members.push(member);
    this.pump();
  }

  /** Events not yet handled: appended and not handed out, plus handed out and not finished. */
  get lag(): number {
    return Math.max(0, this.log.end - Math.max(this.next, this.log.start)) + this.unacked.size;
  }

  leave(member: Member): void {
    const i = this.members.indexOf(member);
    if (i >= 0) this.members.splice(i, 1);
    if (this.members.length === 0) this.rewindToCommitted();
  }

  /** Hands out newly appended events (called after every publish and every handled event). */
  pump(): void {
    if (this.members.length === 0) return;
    if (this.next < this.log.start) {
      this.logger.warn(
        { lost: this.log.start - this.next },
        'in-process bus: events expired before this group read them',
      );
      this.next = this.log.start;
    }
    while (this.next < this.log.end && this.unacked.size < this.maxInFlight) {
      const offset = this.next++;
      const subject = this.log.subjectAt(offset);
      this.unacked.add(offset);
      const queue = this.bySubject.get(subject);
      if (queue) {
        queue.push(offset);
      } else {
        this.bySubject.set(subject, [offset]);
        const generation = this.generation;
        // Never run handlers inside the publisher's call stack.
        setImmediate(() => void this.drain(subject, generation));
      }
    }
  }

  private async drain(subject: string, generation: number): Promise<void> {
    while (generation === this.generation) {
      const queue = this.bySubject.get(subject);
      const head = queue?.[0];
      if (!queue || head === undefined) return;
      const member = this.nextMember();
      if (!member) return;
      const handled = await member.deliver(this.log.eventAt(head));
      if (generation !== this.generation) return;
      if (!handled) continue; // that member closed mid-retry: give the event to another one
      queue.shift();
      this.unacked.delete(head);
      if (queue.length === 0) this.bySubject.delete(subject);
      this.pump();
      if (queue.length === 0) return;
    }
  }

  private nextMember(): Member | undefined {
    if (this.members.length === 0) return undefined;
    return this.members[this.turn++ % this.members.length];
  }

  /**
   * With no members left, forget what was handed out and resume later from the oldest
   * unhandled event: at-least-once, like a Kafka group restarting from its committed offset.
   */
  private rewindToCommitted(): void {
    this.generation++;
    for (const offset of this.unacked) if (offset < this.next) this.next = offset;
    this.unacked.clear();
    this.bySubject.clear();
  }
}

export class InProcessBus implements Bus {
  readonly kind = 'in-process' as const;
  private readonly topics = new Map<string, TopicLog>();
  private readonly subscriptions = new Set<Subscription>();
  private readonly retain: number;
  private readonly maxInFlight: number;
  private readonly retry: BackoffOptions;
  private closed = false;

  constructor(private readonly options: InProcessBusOptions) {
    this.retain = options.retainPerTopic ?? 100_000;
    this.maxInFlight = options.maxInFlightPerGroup ?? 1_000;
    this.retry = options.retry ?? DEFAULT_HANDLER_BACKOFF;
  }

  async publish(topic: string, events: DomainEvent[]): Promise<void> {
    if (this.closed) throw new Error('in-process bus is closed');
    if (events.length === 0) return;
    const log = this.topic(topic);
    log.append(events);
    for (const group of log.groups.values()) group.pump();
  }

  async subscribe(topic: string, options: SubscribeOptions, handler: EventHandler): Promise<Subscription> {
    if (this.closed) throw new Error('in-process bus is closed');
    const log = this.topic(topic);
    // An ephemeral subscription is a group of its own, as on Kafka and Redis.
    const name = options.ephemeral ? `${options.group}.${randomUUID()}` : options.group;
    let group = log.groups.get(name);
    if (!group) {
      const start = (options.from ?? 'latest') === 'latest' ? log.end : log.start;
      group = new ConsumerGroup(log, start, this.maxInFlight, this.options.logger);
      log.groups.set(name, group);
    }
    const joined = group;
    options.deadLetters?.adopt?.(options.group, handler);
    const member = new Member(handler, this.retry, this.options.logger, {
      topic,
      consumer: options.group,
      maxAttempts: this.options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
      deadLetters: options.deadLetters,
    });
    const stopSampling = sampleConsumerLag(this.kind, topic, options.group, () => joined.lag);
    const subscription: Subscription = {
      close: async () => {
        if (!this.subscriptions.delete(subscription)) return;
        stopSampling();
        joined.leave(member);
        if (options.ephemeral) log.groups.delete(name);
        await member.close();
      },
    };
    this.subscriptions.add(subscription);
    joined.join(member);
    return subscription;
  }

  async healthy(): Promise<boolean> {
    return !this.closed;
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.subscriptions].map((s) => s.close()));
  }

  private topic(name: string): TopicLog {
    let log = this.topics.get(name);
    if (!log) {
      log = new TopicLog(this.retain);
      this.topics.set(name, log);
    }
    return log;
  }
}
