// The pool wrapper on a real PostgreSQL: Prisma-style (promise) calls on the pool and on a
// checked-out client are timed and logged when slow, with the operation of the request scope;
// pg-pool's own callback calls are not counted twice; the pool's use is sampled until it ends.
import { PassThrough } from 'node:stream';
import { Pool } from 'pg';
import { createLogger } from '../logger';
import { metricsRegistry } from '../metrics/registry';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import type { ApolloServerPlugin } from '@apollo/server';
import { operationScopePlugin, runInScope } from '../tracing/request-scope';
import { inSpan, startTracing } from '../tracing/tracing';
import { configureSlowLogs } from '../tracing/slow-log';
import { observePool, statementKind } from './observed-pool';

const URL = process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

async function count(domain: string, statement: string): Promise<number> {
  const metric = await metricsRegistry.getSingleMetric('db_query_duration_seconds')!.get();
  const sample = metric.values.find(
    (v) =>
      v.labels.domain === domain &&
      v.labels.statement === statement &&
      String((v as { metricName?: string }).metricName).endsWith('_count'),
  );
  return Number(sample?.value ?? 0);
}

describe('observed pool', () => {
  const lines: Record<string, unknown>[] = [];
  let pool: Pool;

  beforeAll(() => {
    const out = new PassThrough();
    out.on('data', (c: Buffer) =>
      c
        .toString()
        .split('\n')
        .filter(Boolean)
        .forEach((l) => lines.push(JSON.parse(l))),
    );
    configureSlowLogs({ logger: createLogger('warn', 'test', out), slowQueryMs: 40 });
    pool = new Pool({ connectionString: URL, max: 2 });
    observePool(pool, 'testdomain');
  });
  afterAll(async () => {
    configureSlowLogs({ logger: undefined, slowQueryMs: 300 });
    await pool.end();
  });

  it('names statement kinds from a short list', () => {
    expect(statementKind('  select 1')).toBe('SELECT');
    expect(statementKind('INSERT INTO x')).toBe('INSERT');
    expect(statementKind('DROP TABLE x')).toBe('OTHER');
    expect(statementKind('')).toBe('OTHER');
  });

  it('times promise calls once each, on the pool and on a checked-out client', async () => {
    const before = await count('testdomain', 'SELECT');
    await pool.query('SELECT 1');
    await pool.query({ text: 'SELECT $1::int', values: [2] });
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      await client.query('SELECT 3');
      await client.query('COMMIT');
    } finally {
      client.release();
    }
    // A callback call is pg-pool's own use of a client (pool.query): passed through, not counted.
    const viaCallback = await pool.connect();
    await new Promise<void>((resolve, reject) =>
      viaCallback.query('SELECT 4', (err: Error | null) => (err ? reject(err) : resolve())),
    );
    viaCallback.release();
    expect((await count('testdomain', 'SELECT')) - before).toBe(3);
    expect(await count('testdomain', 'BEGIN')).toBeGreaterThanOrEqual(1);
  });

  it('logs a statement slower than the threshold; with tracing on, with its operation and span', async () => {
    lines.length = 0;
    await pool.query('SELECT pg_sleep(0.08)');
    await pool.query('SELECT 5');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ msg: 'slow query', domain: 'testdomain', statement: 'SELECT pg_sleep(0.08)' });
    expect(lines[0]!.ms).toBeGreaterThanOrEqual(80);
    expect(lines[0]!.operation).toBeUndefined(); // tracing off, nothing in flight

    // Tracing off, one operation answering meanwhile: named as the one running all along.
    const plugin = operationScopePlugin() as ApolloServerPlugin<object>;
    const hooks = (await plugin.requestDidStart!({} as never)) as unknown as {
      didResolveOperation(rc: unknown): Promise<void>;
      willSendResponse(rc: unknown): Promise<void>;
    };
    await hooks.didResolveOperation({ operation: { operation: 'query' }, operationName: 'Browse' });
    lines.length = 0;
    await pool.query('SELECT pg_sleep(0.06)');
    await hooks.willSendResponse({});
    expect(lines).toHaveLength(1);
    expect(lines[0]!.operation).toBe('query Browse');

    const exporter = new InMemorySpanExporter();
    const tracing = await startTracing({ serviceName: 'test', exporter });
    try {
      lines.length = 0;
      await inSpan('request', {}, () =>
        runInScope({ operation: 'query SlowOne' }, () => pool.query('SELECT pg_sleep(0.06)')),
      );
      await pool.query('SELECT pg_sleep(0.06)'); // outside any request: logged, not traced
      expect(lines.map((l) => l.operation)).toEqual(['query SlowOne', undefined]);
      const sql = exporter.getFinishedSpans().filter((s) => s.name === 'SELECT testdomain');
      expect(sql).toHaveLength(1);
      expect(lines[0]!.span_id).toBe(sql[0]!.spanContext().spanId);
      expect(sql[0]!.attributes['db.query.text']).toBe('SELECT pg_sleep(0.06)');
    } finally {
      await tracing.shutdown();
    }
  });

  it('reports the pool use while it runs and nothing once it ended', async () => {
    const client = await pool.connect();
    const during = await metricsRegistry.metrics();
    client.release();
    expect(during).toContain('db_pool_connections{domain="testdomain",state="busy"} 1');
    expect(during).toContain('db_pool_max_connections{domain="testdomain"} 2');
    const other = new Pool({ connectionString: URL, max: 1 });
    observePool(other, 'otherdomain');
    await other.query('SELECT 1');
    expect(await metricsRegistry.metrics()).toContain('db_pool_max_connections{domain="otherdomain"} 1');
    await other.end();
    expect(await metricsRegistry.metrics()).not.toContain('db_pool_max_connections{domain="otherdomain"}');
  });
});
