// Dead letters: events a durable consumer gave up on after EVENT_MAX_ATTEMPTS, kept in the
// consuming domain's database (table dead_letter_event in its schema) so the events behind
// them are not stalled and nothing is lost. Staff list them and ask for a replay
// (`pnpm ops dead-letters`); the process that runs the consumer picks the request up, runs the
// consumer's own handler on the stored event, and marks the letter resolved, or records the
// new failure. Handlers are idempotent and out-of-order safe (the bus redelivers anyway), so a
// replay after later events of the same subject is applied or ignored as they decide.
import type { Logger } from '../logger';
import type { SqlClient } from '../db/prisma';
import { counter, sampledGauge } from '../metrics/registry';
import type { DeadLetter, DeadLetterSink, EventHandler } from './bus';
import type { DomainEvent } from './envelope';

/** A stored dead letter as staff see it. */
export interface DeadLetterRecord {
  id: string;
  consumer: string;
  topic: string;
  eventId: string;
  type: string;
  subject: string;
  error: string;
  attempts: number;
  failedAt: Date;
  replayRequestedAt: Date | null;
  resolvedAt: Date | null;
  /** "replayed" or "discarded" once resolved. */
  resolution: string | null;
  event: DomainEvent;
}

/** Runs one parameterised statement and returns its rows (Prisma's $queryRawUnsafe, or pg's query). */
export type RunSql = <T = Record<string, unknown>>(sql: string, params: unknown[]) => Promise<T[]>;

export function runSqlOn(db: SqlClient): RunSql {
  return (sql, params) => db.$queryRawUnsafe(sql, ...params);
}

const MAX_ERROR_LENGTH = 2_000;
/** Replays picked up per poll and per process. */
const REPLAY_BATCH = 20;

const table = (schema: string) => `"${schema.replace(/"/g, '')}"."dead_letter_event"`;
const COLUMNS = `id::text AS id, consumer, topic, event_id AS "eventId", type, subject, error, attempts,
  failed_at AS "failedAt", replay_requested_at AS "replayRequestedAt", resolved_at AS "resolvedAt", resolution, event`;
const UTC_NOW = `(now() AT TIME ZONE 'UTC')`;

const stored = counter({
  name: 'dead_letters_total',
  help: 'Events a consumer gave up on and stored as dead letters, by domain and consumer group.',
  labelNames: ['domain', 'consumer'],
});
const unresolved = sampledGauge({
  name: 'dead_letters_unresolved',
  help: 'Dead letters neither replayed nor discarded, by domain and consumer group (read at scrape time).',
  labelNames: ['domain', 'consumer'],
  combine: 'max',
});

/** One domain's dead letters: the sink its durable consumers pass to the bus, and their replays. */
export class DeadLetterStore implements DeadLetterSink {
  private readonly handlers = new Map<string, EventHandler>();
  private readonly run: RunSql;
  private timer?: NodeJS.Timeout;
  private polling?: Promise<void>;
  private closed = false;
  private readonly stopSampling: () => void;

  constructor(
    private readonly opts: {
      db: SqlClient;
      /** The domain's PostgreSQL schema, which holds dead_letter_event. */
      schema: string;
      logger: Logger;
      /** How often this process looks for replay requests of its consumers (ms). */
      pollMs?: number;
    },
  ) {
    this.run = runSqlOn(opts.db);
    this.stopSampling = unresolved.add(async () => {
      const rows = await this.run<{ consumer: string; n: number }>(
        `SELECT consumer, count(*)::int AS n FROM ${table(opts.schema)} WHERE resolved_at IS NULL GROUP BY consumer`,
        [],
      );
      return rows.map((r) => ({ labels: { domain: opts.schema, consumer: r.consumer }, value: r.n }));
    });
  }

  async add(letter: DeadLetter): Promise<void> {
    const { event } = letter;
    // Stored again (say, after a replay that failed once more): the latest error, attempts added up.
    await this.run(
      `INSERT INTO ${table(this.opts.schema)} AS d
         (consumer, topic, event_id, type, subject, event, error, attempts, failed_at)
       VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7, $8, ${UTC_NOW})
       ON CONFLICT (consumer, event_id) DO UPDATE
         SET error = excluded.error, attempts = d.attempts + excluded.attempts, failed_at = excluded.failed_at,
             replay_requested_at = NULL, resolved_at = NULL, resolution = NULL
       RETURNING id`,
      [
        letter.consumer,
        letter.topic,
        event.id,
        event.type,
        event.subject,
        JSON.stringify(event),
        letter.error.slice(0, MAX_ERROR_LENGTH),
        letter.attempts,
      ],
    );
    stored.inc({ domain: this.opts.schema, consumer: letter.consumer });
  }

  adopt(consumer: string, handler: EventHandler): void {
    this.handlers.set(consumer, handler);
    if (!this.timer && !this.closed) {
      this.timer = setInterval(() => {
        this.polling ??= this.replayRequested()
          .catch((err: unknown) => this.opts.logger.warn({ err }, 'could not replay dead letters'))
          .then(() => undefined)
          .finally(() => (this.polling = undefined));
      }, this.opts.pollMs ?? 2_000);
      this.timer.unref();
    }
  }

  /**
   * Replays the letters staff asked to replay for this process's consumers, a batch at a time:
   * claimed with SKIP LOCKED, so two replicas never run one letter at once. Returns how many ran.
   */
  async replayRequested(): Promise<number> {
    const consumers = [...this.handlers.keys()];
    if (consumers.length === 0) return 0;
    const claimed = await this.run<DeadLetterRecord>(
      `UPDATE ${table(this.opts.schema)} SET replay_requested_at = NULL
        WHERE id IN (SELECT id FROM ${table(this.opts.schema)}
                      WHERE replay_requested_at IS NOT NULL AND resolved_at IS NULL AND consumer = ANY($1::text[])
                      ORDER BY failed_at LIMIT ${REPLAY_BATCH} FOR UPDATE SKIP LOCKED)
        RETURNING ${COLUMNS}`,
      [consumers],
    );
    for (const letter of claimed) {
      if (this.closed) break;
      const handler = this.handlers.get(letter.consumer)!;
      try {
        await handler(letter.event);
        await this.run(
          `UPDATE ${table(this.opts.schema)} SET resolved_at = ${UTC_NOW}, resolution = 'replayed' WHERE id = $1::uuid RETURNING id`,
          [letter.id],
        );
        this.opts.logger.info(
          { id: letter.id, consumer: letter.consumer, eventId: letter.eventId },
          'dead letter replayed',
        );
      } catch (err) {
        const error = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
        await this.run(
          `UPDATE ${table(this.opts.schema)} SET error = $2, attempts = attempts + 1, failed_at = ${UTC_NOW}
            WHERE id = $1::uuid RETURNING id`,
          [letter.id, error.slice(0, MAX_ERROR_LENGTH)],
        );
        this.opts.logger.warn({ id: letter.id, consumer: letter.consumer, error }, 'dead letter replay failed again');
      }
    }
    return claimed.length;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.stopSampling();
    if (this.timer) clearInterval(this.timer);
    await this.polling;
  }
}

// What staff do with them (the ops CLI), on any connection to the domain's database.

export interface DeadLetterQuery {
  consumer?: string;
  /** Also the ones already replayed or discarded. */
  includeResolved?: boolean;
  /** At most this many, oldest failure first (bounded: 1–1000). */
  first?: number;
}

export async function listDeadLetters(
  run: RunSql,
  schema: string,
  query: DeadLetterQuery = {},
): Promise<DeadLetterRecord[]> {
  const first = Math.min(Math.max(query.first ?? 100, 1), 1_000);
  return run<DeadLetterRecord>(
    `SELECT ${COLUMNS} FROM ${table(schema)}
      WHERE ($1::text IS NULL OR consumer = $1) AND ($2::boolean OR resolved_at IS NULL)
      ORDER BY failed_at, id LIMIT ${first}`,
    [query.consumer ?? null, query.includeResolved ?? false],
  );
}

/** Which unresolved letters a replay or discard applies to: ids, or every one (of a consumer). */
export type DeadLetterSelection = { ids: string[] } | { all: true; consumer?: string };

function selectionWhere(selection: DeadLetterSelection): { where: string; params: unknown[] } {
  if ('ids' in selection)
    return { where: `resolved_at IS NULL AND id::text = ANY($1::text[])`, params: [selection.ids] };
  return { where: `resolved_at IS NULL AND ($1::text IS NULL OR consumer = $1)`, params: [selection.consumer ?? null] };
}

/** Asks the consumers' processes to run these letters again; returns the ids asked for. */
export async function requestReplay(run: RunSql, schema: string, selection: DeadLetterSelection): Promise<string[]> {
  const { where, params } = selectionWhere(selection);
  const rows = await run<{ id: string }>(
    `UPDATE ${table(schema)} SET replay_requested_at = ${UTC_NOW} WHERE ${where} RETURNING id::text AS id`,
    params,
  );
  return rows.map((r) => r.id);
}

/** Marks letters as dealt with by hand (they stay listed with --all, as a record). */
export async function discardDeadLetters(
  run: RunSql,
  schema: string,
  selection: DeadLetterSelection,
): Promise<string[]> {
  const { where, params } = selectionWhere(selection);
  const rows = await run<{ id: string }>(
    `UPDATE ${table(schema)} SET resolved_at = ${UTC_NOW}, resolution = 'discarded', replay_requested_at = NULL
      WHERE ${where} RETURNING id::text AS id`,
    params,
  );
  return rows.map((r) => r.id);
}
