// The Kafka Bus (kafkajs): an idempotent producer keyed by subject, so one aggregate's events
// land in one partition in order, and one consumer per group subscription that commits an
// offset only after the handler succeeded. Written against kafkajs 2.2's documented API.
import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, type Admin, type Consumer, type logCreator, type Producer } from 'kafkajs';
import type { Logger } from '../logger';
import type { Bus, EventHandler, SubscribeOptions, Subscription } from './bus';
import { sampleConsumerLag } from './consumer-lag';
import type { DomainEvent } from './envelope';
import {
  DEFAULT_HANDLER_BACKOFF,
  DEFAULT_MAX_ATTEMPTS,
  deliverUntilHandled,
  setAside,
  type BackoffOptions,
} from './retry';

export interface KafkaBusOptions {
  brokers: string[];
  clientId: string;
  logger: Logger;
  /** Partitions of topics this bus creates: the most members a group can usefully have. */
  numPartitions?: number;
  /** Replicas of topics this bus creates (-1: the broker's default). */
  replicationFactor?: number;
  /**
   * Producer retries before publish rejects. Finite on purpose: the outbox relay keeps the
   * rows and retries the batch itself, and consumers are idempotent, so a rare duplicate
   * after an outage is fine while a send that never settles would hold the relay forever.
   */
  producerRetries?: number;
  /** Back-off between attempts when a handler throws. */
  retry?: BackoffOptions;
  /** Attempts at one event before it is set aside (SubscribeOptions.deadLetters). */
  maxAttempts?: number;
  /** How long healthy() waits for the cluster. */
  healthTimeoutMs?: number;
  /**
   * How long the group waits for a member that stopped heartbeating (a crashed replica) before
   * its partitions, and the events it had taken but not finished, go to the others (kafkajs:
   * 30 s; the broker accepts 6–300 s by default).
   */
  sessionTimeoutMs?: number;
}

/** kafkajs logs through our logger; its chatty INFO level becomes debug. */
function kafkaLogs(logger: Logger): logCreator {
  return () =>
    ({ namespace, level, log }) => {
      const { message, ...fields } = log;
      const entry = { ...fields, kafka: namespace };
      if (level === logLevel.ERROR) logger.error(entry, message);
      else if (level === logLevel.WARN) logger.warn(entry, message);
      else if (level === logLevel.INFO) logger.debug(entry, message);
      else logger.trace(entry, message);
    };
}

/** Runs `connect` once; a failed attempt is forgotten so the next call tries again. */
function connectOnce(connect: () => Promise<void>): () => Promise<void> {
  let connecting: Promise<void> | undefined;
  return () =>
    (connecting ??= connect().catch((err: unknown) => {
      connecting = undefined;
      throw err;
    }));
}

/** How long an idle fetch waits on the broker for new messages (the Java client's fetch.max.wait.ms). */
const FETCH_MAX_WAIT_MS = 500;

/**
 * kafkajs error types that mean "not yet": a partition's leader is being elected or not yet
 * known, or a group's coordinator is loading or has moved.
 */
const NOT_READY = new Set([
  'NOT_LEADER_FOR_PARTITION',
  'LEADER_NOT_AVAILABLE',
  'UNKNOWN_TOPIC_OR_PARTITION',
  'GROUP_LOAD_IN_PROGRESS',
  'GROUP_COORDINATOR_NOT_AVAILABLE',
  'NOT_COORDINATOR_FOR_GROUP',
]);

function decodeMessage(value: Buffer | null): DomainEvent | undefined {
  if (!value) return undefined;
  try {
    return JSON.parse(value.toString('utf8')) as DomainEvent;
  } catch {
    return undefined;
  }
}

export class KafkaBus implements Bus {
  readonly kind = 'kafka' as const;
  private readonly kafka: Kafka;
  private readonly producer: Producer;
  private readonly admin: Admin;
  private readonly producerReady: () => Promise<void>;
  private readonly adminReady: () => Promise<void>;
  private readonly topicsReady = new Map<string, () => Promise<void>>();
  private readonly subscriptions = new Set<Subscription>();
  private readonly logger: Logger;
  private readonly retry: BackoffOptions;

  constructor(private readonly options: KafkaBusOptions) {
    this.logger = options.logger;
    this.retry = options.retry ?? DEFAULT_HANDLER_BACKOFF;
    this.kafka = new Kafka({
      clientId: options.clientId,
      brokers: options.brokers,
      logLevel: logLevel.INFO,
      logCreator: kafkaLogs(options.logger),
    });
    this.producer = this.kafka.producer({
      idempotent: true,
      // One request in flight keeps a retried batch from overtaking the next one.
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      retry: { retries: options.producerRetries ?? 5 },
    });
    this.admin = this.kafka.admin();
    this.producerReady = connectOnce(() => this.producer.connect());
    this.adminReady = connectOnce(() => this.admin.connect());
  }

  async publish(topic: string, events: DomainEvent[]): Promise<void> {
    if (events.length === 0) return;
    const messages = events.map((e) => ({
      key: e.subject,
      value: JSON.stringify(e),
      headers: { ce_specversion: '1.0', ce_id: e.id, ce_type: e.type, ce_source: e.source },
    }));
    await this.ensureTopic(topic);
    await this.producerReady();
    await this.producer.send({ topic, acks: -1, messages });
  }

  async subscribe(topic: string, options: SubscribeOptions, handler: EventHandler): Promise<Subscription> {
    const from = options.from ?? 'latest';
    const ephemeral = options.ephemeral ?? false;
    // An ephemeral subscription is a group of its own, deleted on close.
    const groupId = ephemeral ? `${options.group}.${randomUUID()}` : options.group;
    await this.ensureTopic(topic);
    const pinTo =
      from === 'latest' && (ephemeral || (await this.isNewGroup(groupId, topic))) ? await this.endOffsets(topic) : [];

    options.deadLetters?.adopt?.(options.group, handler);
    const consumer: Consumer = this.kafka.consumer({
      groupId,
      allowAutoTopicCreation: false,
      // kafkajs heartbeats, rejoins after a rebalance and stops on disconnect() only between
      // fetches, and an idle fetch waits maxWaitTimeInMs on the broker (kafkajs: 5 s). The Java
      // client's 500 ms keeps rebalances and shutdowns short (measured on Kafka 4.1: close()
      // took up to 5 s per subscription, a platform with replicas over 60 s to stop).
      maxWaitTimeInMs: FETCH_MAX_WAIT_MS,
      ...(this.options.sessionTimeoutMs === undefined ? {} : { sessionTimeout: this.options.sessionTimeoutMs }),
    });
    const abort = new AbortController();
    await consumer.connect();
    try {
      if (pinTo.length > 0) {
        // A new group's "latest" is otherwise resolved at its first fetch, a moment after
        // run() returns, and events published in between would be skipped. Pinning the
        // partitions this member gets at its first join to the end offsets seen now means
        // every event published after subscribe() resolves is delivered.
        const stopListening = consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
          stopListening();
          for (const partition of payload.memberAssignment[topic] ?? []) {
            const end = pinTo.find((p) => p.partition === partition);
            if (end) consumer.seek({ topic, partition, offset: end.high });
          }
        });
      }
      await consumer.subscribe({ topics: [topic], fromBeginning: from === 'earliest' });
      await consumer.run({
        eachBatchAutoResolve: false,
        eachBatch: async ({ batch, resolveOffset, heartbeat, isRunning, isStale }) => {
          for (const message of batch.messages) {
            if (!isRunning() || isStale() || abort.signal.aborted) return;
            const event = decodeMessage(message.value);
            if (!event) {
              this.logger.error(
                { topic, partition: batch.partition, offset: message.offset },
                'unreadable Kafka message; skipping it',
              );
              resolveOffset(message.offset);
              continue;
            }
            const handled = await deliverUntilHandled(event, handler, {
              signal: abort.signal,
              backoff: this.retry,
              logger: this.logger,
              // Keeps the group from deciding this member died while it retries.
              beforeRetry: heartbeat,
              maxAttempts: this.options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
              giveUp: setAside(event, {
                topic,
                consumer: options.group,
                deadLetters: options.deadLetters,
                logger: this.logger,
              }),
            });
            // Unresolved offsets are not committed, so an event cut short by close() is redelivered.
            if (!handled) return;
            resolveOffset(message.offset);
            await heartbeat();
          }
        },
      });
    } catch (err) {
      await consumer.disconnect().catch(() => undefined);
      throw err;
    }

    const stopSampling = sampleConsumerLag('kafka', topic, options.group, () =>
      this.groupLag(groupId, topic, from, pinTo),
    );
    const subscription: Subscription = {
      close: async () => {
        if (!this.subscriptions.delete(subscription)) return;
        stopSampling();
        abort.abort();
        await consumer.disconnect(); // commits the offsets resolved so far
        if (!ephemeral) return;
        try {
          await this.adminReady();
          await this.admin.deleteGroups([groupId]);
        } catch (err) {
          this.logger.warn({ err, groupId }, 'could not delete an ephemeral consumer group');
        }
      },
    };
    this.subscriptions.add(subscription);
    return subscription;
  }

  async healthy(): Promise<boolean> {
    const timeoutMs = this.options.healthTimeoutMs ?? 2_000;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
    });
    const probe = (async () => {
      await this.adminReady();
      const cluster = await this.admin.describeCluster();
      return cluster.brokers.length > 0;
    })().catch(() => false);
    try {
      return await Promise.race([probe, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  async close(): Promise<void> {
    await Promise.all([...this.subscriptions].map((s) => s.close()));
    await Promise.allSettled([this.producer.disconnect(), this.admin.disconnect()]);
  }

  /**
   * Messages of the topic past the group's committed offsets, summed over partitions. A
   * partition the group has not committed on yet counts from where the group starts on it:
   * the end offset pinned at subscribe (a new "latest" group), the oldest retained message
   * ("earliest"), or else its end (an existing group's "latest", resolved by kafkajs at fetch).
   */
  private async groupLag(
    groupId: string,
    topic: string,
    from: 'earliest' | 'latest',
    pinned: readonly { partition: number; high: string }[],
  ): Promise<number> {
    await this.adminReady();
    const [ends, [committed]] = await Promise.all([
      this.admin.fetchTopicOffsets(topic),
      this.admin.fetchOffsets({ groupId, topics: [topic] }),
    ]);
    let lag = 0;
    for (const end of ends) {
      const offset = committed?.partitions.find((p) => p.partition === end.partition)?.offset ?? '-1';
      const start =
        offset !== '-1'
          ? offset
          : (pinned.find((p) => p.partition === end.partition)?.high ?? (from === 'earliest' ? end.low : end.high));
      lag += Math.max(0, Number(end.high) - Number(start));
    }
    return lag;
  }

  /** The end offsets of the topic's partitions. */
  private endOffsets(topic: string): ReturnType<Admin['fetchTopicOffsets']> {
    return this.whileNotReady(() => this.admin.fetchTopicOffsets(topic), { topic });
  }

  /**
   * Runs an admin request, again while the cluster says it is not ready for it yet. kafkajs's
   * admin gives up at once on those answers, which a real broker gives (seen on Kafka 4.1 and
   * 4.4): a topic just created is not yet known to the broker, or its partitions have no ready
   * leader (also when another process created it, and createTopics did not wait), and a group's
   * offsets read on a fresh cluster reach a coordinator still loading. Tried for up to ~10 s.
   */
  private async whileNotReady<T>(request: () => Promise<T>, context: Record<string, unknown>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await request();
      } catch (err) {
        const type = (err as { type?: string }).type ?? '';
        if (!NOT_READY.has(type) || attempt >= 25) throw err;
        this.logger.debug({ ...context, type, attempt }, 'Kafka not ready for this request yet; retrying');
        await new Promise((resolve) => setTimeout(resolve, Math.min(50 * attempt, 500)));
      }
    }
  }

  /** True when the group has committed no offset for the topic (it has never consumed it). */
  private async isNewGroup(groupId: string, topic: string): Promise<boolean> {
    const [offsets] = await this.whileNotReady(() => this.admin.fetchOffsets({ groupId, topics: [topic] }), {
      groupId,
      topic,
    });
    return !offsets || offsets.partitions.every((p) => p.offset === '-1');
  }

  /** Creates the topic once per process (a no-op when it exists) so partitions are ours to choose. */
  private ensureTopic(topic: string): Promise<void> {
    let ready = this.topicsReady.get(topic);
    if (!ready) {
      ready = connectOnce(async () => {
        await this.adminReady();
        // kafkajs waits for the new partitions' leaders but gives up when the broker does not
        // know the topic yet (UNKNOWN_TOPIC_OR_PARTITION, seen on Kafka 4.4); created again, an
        // existing topic is a no-op.
        await this.whileNotReady(
          () =>
            this.admin.createTopics({
              topics: [
                {
                  topic,
                  numPartitions: this.options.numPartitions ?? 6,
                  replicationFactor: this.options.replicationFactor ?? -1,
                },
              ],
              waitForLeaders: true,
            }),
          { topic },
        );
      });
      this.topicsReady.set(topic, ready);
    }
    return ready();
  }
}
