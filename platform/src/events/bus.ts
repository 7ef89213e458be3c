// The Bus: one interface over Kafka, Redis Streams and an in-process transport.
import type { DomainEvent } from './envelope';

export type EventHandler = (event: DomainEvent) => Promise<void>;

export interface SubscribeOptions {
  /**
   * Consumer group. Within a group each event goes to one member (work sharing);
   * every group gets every event.
   */
  group: string;
  /**
   * Where a group with no committed position starts: "earliest" replays the retained
   * history, "latest" sees only events published after it subscribed (live fan-out).
   * Default "latest", as in Kafka. A group that has a position resumes from it either way.
   */
  from?: 'earliest' | 'latest';
  /**
   * An ephemeral group belongs to one process (e.g. subscription fan-out per gateway
   * replica): it is removed when the subscription closes.
   */
  ephemeral?: boolean;
  /**
   * Where events this consumer keeps failing on go after the bus's maximum attempts
   * (EVENT_MAX_ATTEMPTS), so the events behind them are not stalled: a durable consumer passes
   * its domain's dead-letter store, which staff list and replay. Without one, such an event is
   * logged (with its body) and dropped: right for live work (cache eviction, subscription push)
   * that the next event or a TTL repairs.
   */
  deadLetters?: DeadLetterSink;
}

/** What a failed event is stored with. */
export interface DeadLetter {
  /** The consumer group that gave up on it. */
  consumer: string;
  topic: string;
  event: DomainEvent;
  /** The last attempt's error. */
  error: string;
  attempts: number;
}

export interface DeadLetterSink {
  /** Stores the event durably (it is acknowledged on the bus once this resolves); throws when it cannot. */
  add(letter: DeadLetter): Promise<void>;
  /** Told the handler of each consumer that uses it, so a replay runs the same code. */
  adopt?(consumer: string, handler: EventHandler): void;
}

export interface Subscription {
  close(): Promise<void>;
}

export interface Bus {
  readonly kind: 'in-process' | 'redis' | 'kafka';
  /**
   * Publishes events to a topic, in order. Resolves once the transport has accepted them
   * durably (Kafka acks, Redis XADD); rejects when the transport is unreachable.
   * Events with the same subject stay in order for every consumer.
   */
  publish(topic: string, events: DomainEvent[]): Promise<void>;
  /**
   * Delivers events to `handler` at least once. A handler that throws gets the event
   * again (after a short back-off), so handlers must be idempotent (see `idempotent`).
   */
  subscribe(topic: string, options: SubscribeOptions, handler: EventHandler): Promise<Subscription>;
  /** True when the transport is reachable (used by /readyz). */
  healthy(): Promise<boolean>;
  close(): Promise<void>;
}
