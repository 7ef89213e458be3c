// Transactional outbox, read side: moves committed outbox rows to the bus in seq order and
// marks them published. A crash anywhere between commit and mark only causes a resend
// (at-least-once); rows are never skipped or reordered.
// Writers: append the event after writing the aggregate's row. The row lock then makes a
// second writer of the same aggregate wait for the first to commit before it takes its seq,
// so seq order is commit order for every subject.
import type { SqlClient, TransactionalSqlClient } from '../db/prisma';
import type { Logger } from '../logger';
import { counter, sampledGauge } from '../metrics/registry';
import type { Bus } from './bus';
import type { DomainEvent } from './envelope';
import { backoffDelay, type BackoffOptions } from './retry';

export interface OutboxRelayOptions {
  /** The domain's Prisma client (its search_path is the domain schema). */
  db: TransactionalSqlClient;
  bus: Bus;
  logger: Logger;
  /** Poll interval when idle; `wake()` publishes sooner. */
  pollMs?: number;
  /** Rows published per pass (and per transaction). */
  batchSize?: number;
  /** Back-off while the bus is unreachable (defaults: pollMs doubling up to 30 s). */
  backoff?: BackoffOptions;
  /** Published rows older than this are deleted. */
  keepPublishedHours?: number;
  /** How often that clean-up runs. */
  cleanupEveryMs?: number;
}

interface OutboxRow {
  /** bigint: a string from node-postgres, a BigInt from Prisma. */
  seq: string | bigint;
  topic: string;
  payload: string;
}

const published = counter({
  name: 'outbox_published_events_total',
  help: 'Outbox rows published to the bus, by topic.',
  labelNames: ['topic'],
});
// Read at scrape time (one indexed count per relay): what is committed but not yet on the bus.
const backlog = sampledGauge({
  name: 'outbox_unpublished_events',
  help: 'Outbox rows committed and not yet published, by domain (PostgreSQL schema).',
  labelNames: ['domain'],
  combine: 'max',
});
const backlogAge = sampledGauge({
  name: 'outbox_oldest_unpublished_age_seconds',
  help: 'Age of the oldest unpublished outbox row, by domain (0 when none wait).',
  labelNames: ['domain'],
  combine: 'max',
});

/** Transaction-scoped advisory lock: one relay per domain schema publishes at a time. */
const TAKE_RELAY_LOCK = `SELECT pg_try_advisory_xact_lock(hashtext('grocery.outbox_relay'), hashtext(current_schema())) AS locked`;

export class OutboxRelay {
  private readonly db: TransactionalSqlClient;
  private readonly bus: Bus;
  private readonly logger: Logger;
  private readonly pollMs: number;
  private readonly batchSize: number;
  private readonly backoff: BackoffOptions;
  private readonly keepPublishedMs: number;
  private readonly cleanupEveryMs: number;
  private running = false;
  private timer?: NodeJS.Timeout;
  private pass?: Promise<void>;
  /** A wake() arrived during a pass: run another right after it. */
  private wokenDuringPass = false;
  private failures = 0;
  private lastCleanup = 0;
  private stopSampling: (() => void)[] = [];
  private sampling?: { at: number; result: Promise<{ domain: string; rows: number; ageSeconds: number }> };

  constructor(options: OutboxRelayOptions) {
    this.db = options.db;
    this.bus = options.bus;
    this.logger = options.logger;
    this.pollMs = options.pollMs ?? 200;
    this.batchSize = options.batchSize ?? 500;
    this.backoff = options.backoff ?? { initialMs: this.pollMs, maxMs: 30_000 };
    this.keepPublishedMs = (options.keepPublishedHours ?? 24) * 3_600_000;
    this.cleanupEveryMs = options.cleanupEveryMs ?? 10 * 60_000;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.stopSampling = [
      backlog.add(async () => {
        const b = await this.backlog();
        return [{ labels: { domain: b.domain }, value: b.rows }];
      }),
      backlogAge.add(async () => {
        const b = await this.backlog();
        return [{ labels: { domain: b.domain }, value: b.ageSeconds }];
      }),
    ];
    this.schedule(0);
  }

  /** Unpublished rows now (one query shared by both gauges of a scrape). */
  backlog(): Promise<{ domain: string; rows: number; ageSeconds: number }> {
    const now = Date.now();
    if (!this.sampling || now - this.sampling.at > 1_000) {
      const result = this.db
        .$queryRawUnsafe<{ domain: string; rows: number; age: number }[]>(
          // created_at is written by DEFAULT now() on a TimeZone=UTC session: compare in the same clock.
          `SELECT current_schema() AS domain, count(*)::int AS rows,
                  COALESCE(EXTRACT(EPOCH FROM localtimestamp - min(created_at)), 0)::float8 AS age
             FROM outbox_event WHERE published_at IS NULL`,
        )
        .then(([r]) => ({ domain: r!.domain, rows: r!.rows, ageSeconds: Math.max(0, r!.age) }));
      this.sampling = { at: now, result };
    }
    return this.sampling.result;
  }

  /** Stops polling and waits for a pass in progress to finish. */
  async stop(): Promise<void> {
    this.running = false;
    for (const stop of this.stopSampling.splice(0)) stop();
    clearTimeout(this.timer);
    await this.pass;
  }

  /**
   * Called right after a commit that appended events, so they go out now rather than at the
   * next poll. Ignored while backing off from a bus failure, so a burst of writes during an
   * outage cannot turn into a burst of doomed publishes.
   */
  wake(): void {
    if (!this.running || this.failures > 0) return;
    if (this.pass) {
      this.wokenDuringPass = true;
      return;
    }
    this.schedule(0);
  }

  /**
   * One pass: publishes up to `batchSize` unpublished rows and marks them. Returns how many
   * were published (0 when another relay holds the lock). Rejects when the bus does; the
   * transaction then rolls back and the rows stay unpublished.
   */
  publishBatch(): Promise<number> {
    return this.db.$transaction(
      async (tx) => {
        const [lock] = await tx.$queryRawUnsafe<{ locked: boolean }[]>(TAKE_RELAY_LOCK);
        if (!lock?.locked) return 0;
        const rows = await tx.$queryRawUnsafe<OutboxRow[]>(
          // seq stays a bigint here: ORDER BY would otherwise bind to a text alias of it ("10" < "9").
          `SELECT seq, topic, payload::text AS payload FROM outbox_event
           WHERE published_at IS NULL ORDER BY seq LIMIT $1::int`,
          this.batchSize,
        );
        if (rows.length === 0) return 0;
        for (const [topic, events] of groupByTopic(rows)) await this.bus.publish(topic, events);
        await markPublished(tx, rows);
        for (const r of rows) published.inc({ topic: r.topic });
        return rows.length;
      },
      // The publish happens inside the transaction (that is what makes it all-or-nothing), so
      // allow it more than Prisma's 5 s default; a bus that hangs longer rolls the pass back.
      { timeout: 60_000, maxWait: 10_000 },
    );
  }

  /** Deletes rows published longer ago than `keepPublishedHours`. */
  async deletePublished(): Promise<number> {
    return this.db.$executeRawUnsafe(
      `DELETE FROM outbox_event WHERE published_at < now() - ($1::double precision * interval '1 millisecond')`,
      this.keepPublishedMs,
    );
  }

  private schedule(delayMs: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.pass = this.runPass().finally(() => {
        this.pass = undefined;
      });
    }, delayMs);
    this.timer.unref();
  }

  private async runPass(): Promise<void> {
    this.wokenDuringPass = false;
    let next = this.pollMs;
    try {
      const published = await this.publishBatch();
      if (this.failures > 0) this.logger.info({ failures: this.failures }, 'outbox relay recovered');
      this.failures = 0;
      // A full batch means more are waiting: keep going without waiting for the poll.
      if (published === this.batchSize || this.wokenDuringPass) next = 0;
    } catch (err) {
      next = backoffDelay(this.failures, this.backoff);
      this.failures++;
      this.logger.warn(
        { err, failures: this.failures, retryInMs: Math.round(next) },
        'outbox relay could not publish; will retry',
      );
    }
    if (this.failures === 0) await this.cleanUpIfDue();
    if (this.running) this.schedule(next);
  }

  private async cleanUpIfDue(): Promise<void> {
    if (Date.now() - this.lastCleanup < this.cleanupEveryMs) return;
    this.lastCleanup = Date.now();
    try {
      const deleted = await this.deletePublished();
      if (deleted > 0) this.logger.debug({ deleted }, 'deleted published outbox rows');
    } catch (err) {
      this.logger.warn({ err }, 'could not delete published outbox rows');
    }
  }
}

/** Topic -> events in seq order (per topic is all the bus orders anyway). */
function groupByTopic(rows: readonly OutboxRow[]): Map<string, DomainEvent[]> {
  const byTopic = new Map<string, DomainEvent[]>();
  for (const row of rows) {
    const events = byTopic.get(row.topic) ?? [];
    events.push(JSON.parse(row.payload) as DomainEvent);
    byTopic.set(row.topic, events);
  }
  return byTopic;
}

function markPublished(tx: SqlClient, rows: readonly OutboxRow[]): Promise<number> {
  return tx.$executeRawUnsafe(
    `UPDATE outbox_event SET published_at = now() WHERE seq = ANY($1::bigint[])`,
    rows.map((r) => String(r.seq)),
  );
}
