// Every SQL statement a domain's Prisma client sends, observed where it reaches the pg driver:
// its duration (db_query_duration_seconds, by statement kind), a slow-query log line with the
// GraphQL operation it served (tracing/slow-log.ts), and, when tracing is on, a span under the
// subgraph fetch that caused it. The pool's use (busy, idle, waiting) is read when Prometheus
// scrapes. Wraps the pool Prisma's adapter created, not Prisma: no engine tracing needed.
import type { Pool, PoolClient } from 'pg';
import { histogram, sampledGauge } from '../metrics/registry';
import { reportQuery } from '../tracing/slow-log';
import { inSpan, SpanKind } from '../tracing/tracing';

const queryDuration = histogram({
  name: 'db_query_duration_seconds',
  help: 'Time a SQL statement took on its connection (seconds), by domain and statement kind.',
  labelNames: ['domain', 'statement'],
});
const connections = sampledGauge({
  name: 'db_pool_connections',
  help: 'Connections of each domain pool, busy (checked out) or idle.',
  labelNames: ['domain', 'state'],
  combine: 'sum',
});
const maxConnections = sampledGauge({
  name: 'db_pool_max_connections',
  help: 'The size limit of each domain pool.',
  labelNames: ['domain'],
  combine: 'sum',
});
const waiting = sampledGauge({
  name: 'db_pool_waiting_requests',
  help: 'Requests waiting for a connection of a domain pool (the pool is exhausted).',
  labelNames: ['domain'],
  combine: 'sum',
});

const KINDS = new Set(['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'WITH', 'BEGIN', 'COMMIT', 'ROLLBACK', 'SET']);

/** The statement's first keyword when it is one of a few (a bounded label), else OTHER. */
export function statementKind(text: string): string {
  const word = /^\s*([A-Za-z]+)/.exec(text)?.[1]?.toUpperCase() ?? '';
  return KINDS.has(word) ? word : 'OTHER';
}

type QueryFn = (...args: unknown[]) => unknown;

function textOf(arg: unknown): string {
  if (typeof arg === 'string') return arg;
  const text = (arg as { text?: unknown } | null)?.text;
  return typeof text === 'string' ? text : '';
}

function observed(domain: string, args: unknown[], run: () => unknown): Promise<unknown> {
  const text = textOf(args[0]);
  const kind = statementKind(text);
  return inSpan(
    `${kind} ${domain}`,
    {
      kind: SpanKind.CLIENT,
      childOnly: true,
      attributes: {
        'db.system.name': 'postgresql',
        'db.namespace': domain,
        'db.operation.name': kind,
        // Prisma sends parameters separately: the text holds $1 placeholders, never values.
        'db.query.text': text.slice(0, 2_000),
      },
    },
    async () => {
      const started = performance.now();
      try {
        return await (run() as Promise<unknown>);
      } finally {
        const ms = performance.now() - started;
        queryDuration.observe({ domain, statement: kind }, ms / 1000);
        // Inside the span: the log line carries the statement's own span id.
        reportQuery(ms, { domain, statement: text, started });
      }
    },
  );
}

/**
 * Whether a call is one this wrapper observes: promise-style (Prisma's, and pool.query's below).
 * Callback-style calls and submittables (cursors, streams) are passed through.
 */
function promiseStyle(args: unknown[]): boolean {
  const last = args[args.length - 1];
  return typeof last !== 'function' && typeof (args[0] as { submit?: unknown } | null)?.submit !== 'function';
}

const clients = new WeakSet<PoolClient>();
const pools = new WeakSet<Pool>();

function observeClient(client: PoolClient, domain: string): void {
  if (clients.has(client)) return;
  clients.add(client);
  const query = client.query.bind(client) as QueryFn;
  client.query = ((...args: unknown[]) =>
    promiseStyle(args) ? observed(domain, args, () => query(...args)) : query(...args)) as PoolClient['query'];
}

export function observePool(pool: Pool, domain: string): void {
  if (pools.has(pool)) return;
  pools.add(pool);
  // Every statement is observed on the client that runs it: timed on its connection, not while
  // it waits for one (an exhausted pool shows in db_pool_waiting_requests, not as slow SQL).
  // Transactions check a client out and send BEGIN … COMMIT on it; a single statement goes the
  // way pg-pool's own query does (check out, run, release — with the error, which discards the
  // connection), through the observed connect.
  const query = pool.query.bind(pool) as QueryFn;
  pool.query = ((...args: unknown[]) => {
    if (!promiseStyle(args)) return query(...args);
    return pool.connect().then(async (client) => {
      try {
        const result = await (client.query as QueryFn)(...args);
        client.release();
        return result;
      } catch (err) {
        client.release(err as Error);
        throw err;
      }
    });
  }) as Pool['query'];
  const connect = pool.connect.bind(pool) as (cb?: unknown) => unknown;
  pool.connect = ((cb?: unknown) => {
    if (typeof cb === 'function') return connect(cb);
    return (connect() as Promise<PoolClient>).then((client) => {
      observeClient(client, domain);
      return client;
    });
  }) as Pool['connect'];

  const stops = [
    connections.add(() => [
      { labels: { domain, state: 'busy' }, value: pool.totalCount - pool.idleCount },
      { labels: { domain, state: 'idle' }, value: pool.idleCount },
    ]),
    maxConnections.add(() => [{ labels: { domain }, value: pool.options.max ?? 10 }]),
    waiting.add(() => [{ labels: { domain }, value: pool.waitingCount }]),
  ];
  const end = pool.end.bind(pool) as (cb?: unknown) => unknown;
  pool.end = ((cb?: unknown) => {
    for (const stop of stops) stop();
    return end(cb);
  }) as Pool['end'];
}
