// One federated query traced end to end with an in-memory exporter: the gateway's span, a
// gateway.fetch span for each subgraph it asked (products, then stock for `availability`), and SQL
// spans under each fetch — through the subgraph services' own server spans in distributed mode
// (TEST_MODE=distributed: the traceparent crosses HTTP). The JSON log lines written meanwhile
// (slow fetch / slow query, thresholds at 0 so every one is logged) carry the trace id and the
// operation; /metrics shows the SQL durations and the pools' use.
import { PassThrough } from 'node:stream';
import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { configureSlowLogs, createLogger, startTracing, traceFields, type Tracing } from '@grocery/platform';
import { insertCatalog } from '../../subgraphs/stock/src/through-gateway/catalog-fixture';
import { eventually, startTestPlatform, type TestPlatform } from '../src/testing/platform';
import { scrape } from './prometheus-text';

const SKU = 'T-TRACE-RICE';
const QUERY = `query TraceProduct($sku: String!) { product(sku: $sku) { sku name availability { available } } }`;

/** Jasmine rice, 7 on hand at one store. */
const insertRice = (url: string) =>
  insertCatalog(url, {
    products: [{ sku: SKU, nameEn: 'Jasmine rice', nameVi: 'Gạo lài', price: 120000 }],
    locations: [{ id: 'T-TRACE-STORE', nameEn: 'Store', nameVi: 'Cửa hàng', kind: 'STORE', city: 'Hồ Chí Minh' }],
    levels: [{ sku: SKU, locationId: 'T-TRACE-STORE', onHand: 7 }],
  });

const idOf = (s: ReadableSpan) => s.spanContext().spanId;
const traceOf = (s: ReadableSpan) => s.spanContext().traceId;
const parentOf = (s: ReadableSpan) => s.parentSpanContext?.spanId;

/** The chain of spans from `s` up to its trace's root (s excluded). */
function ancestors(s: ReadableSpan, all: ReadableSpan[]): ReadableSpan[] {
  const byId = new Map(all.map((x) => [idOf(x), x]));
  const chain: ReadableSpan[] = [];
  for (let p = parentOf(s) && byId.get(parentOf(s)!); p; p = parentOf(p) ? byId.get(parentOf(p)!) : undefined)
    chain.push(p);
  return chain;
}

describe('tracing', () => {
  const exporter = new InMemorySpanExporter();
  let tracing: Tracing;
  let p: TestPlatform;
  const lines: Record<string, unknown>[] = [];

  beforeAll(async () => {
    tracing = await startTracing({ serviceName: 'test', exporter });
    p = await startTestPlatform({ subgraphs: ['users', 'products', 'stock'], env: { RESPONSE_CACHE: 'off' } });
    await insertRice(p.database.url);
    const out = new PassThrough();
    out.on('data', (chunk: Buffer) => {
      for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line));
    });
    // After the platform started (it sets the process's slow-log settings from its config).
    configureSlowLogs({ logger: createLogger('warn', 'test', out), slowQueryMs: 0, slowFetchMs: 0 });
  });
  afterAll(async () => {
    configureSlowLogs({ logger: undefined, slowQueryMs: 300, slowFetchMs: 800 });
    await p?.stop();
    await tracing?.shutdown();
  });

  it('has a span for the gateway, one for each subgraph fetch, and SQL spans under each fetch', async () => {
    exporter.reset();
    // A client's traceparent does not choose the gateway's trace.
    const chosen = '0af7651916cd43dd8448eb211c80319c';
    const r = await p.gql(QUERY, { sku: SKU }, { headers: { traceparent: `00-${chosen}-b7ad6b7169203331-01` } });
    expect(r.errors).toBeUndefined();
    expect(r.data?.product).toEqual({ sku: SKU, name: 'Jasmine rice', availability: { available: 7 } });

    // The server span ends when the response is closed, just after the client has it.
    const root = await eventually(
      async () => exporter.getFinishedSpans().find((s) => s.name === 'query TraceProduct'),
      (s) => s !== undefined,
      'the gateway span',
    );
    expect(parentOf(root!)).toBeUndefined();
    expect(traceOf(root!)).not.toBe(chosen);
    expect(root!.attributes).toMatchObject({
      'graphql.operation.name': 'TraceProduct',
      'graphql.operation.type': 'query',
      'http.response.status_code': 200,
    });
    const spans = exporter.getFinishedSpans().filter((s) => traceOf(s) === traceOf(root!));

    const fetches = spans.filter((s) => s.name === 'gateway.fetch');
    expect(fetches.map((f) => f.attributes.service).sort()).toEqual(['products', 'stock']);
    for (const fetch of fetches) expect(ancestors(fetch, spans)).toContain(root);

    const sql = spans.filter((s) => s.attributes['db.system.name'] === 'postgresql');
    for (const domain of ['products', 'stock']) {
      const fetch = fetches.find((f) => f.attributes.service === domain)!;
      const own = sql.filter((q) => q.attributes['db.namespace'] === domain);
      expect(own.length).toBeGreaterThan(0);
      for (const q of own) {
        expect(q.name).toMatch(new RegExp(`^(SELECT|WITH) ${domain}$`));
        expect(String(q.attributes['db.query.text'])).not.toContain(SKU); // parameters are never in the text
        expect(ancestors(q, spans)).toContain(fetch);
      }
      if (p.mode === 'distributed') {
        // The subgraph service's own span, continued from the gateway's traceparent.
        const server = spans.find((s) => s.name.startsWith(`query TraceProduct__${domain}__`));
        expect(server).toBeDefined();
        expect(parentOf(server!)).toBe(idOf(fetch));
        for (const q of own) expect(ancestors(q, spans)).toContain(server);
      }
    }

    // The log lines written for this request carry its trace and operation.
    const fetchLines = lines.filter((l) => l.msg === 'slow subgraph fetch' && l.trace_id === traceOf(root!));
    expect(fetchLines.map((l) => l.subgraph).sort()).toEqual(['products', 'stock']);
    for (const l of fetchLines) {
      expect(l.operation).toBe('query TraceProduct');
      expect(l.fetch).toMatch(/^TraceProduct__(products|stock)__\d+$/);
    }
    const queryLines = lines.filter((l) => l.msg === 'slow query' && l.trace_id === traceOf(root!));
    expect(new Set(queryLines.map((l) => l.domain))).toEqual(new Set(['products', 'stock']));
    for (const l of queryLines) {
      // Embedded: the gateway's operation; distributed: the subgraph service's (its fetch).
      expect(l.operation).toMatch(/^query TraceProduct(__(products|stock)__\d+)?$/);
      expect(sql.map(idOf)).toContain(l.span_id);
    }
  });

  it('shows the SQL durations and the domain pools on /metrics', async () => {
    expect((await p.gql(QUERY, { sku: SKU })).errors).toBeUndefined();
    const m = await scrape(`${p.baseUrl}/metrics`);
    expect(m.value('db_query_duration_seconds_count', { domain: 'products', statement: 'SELECT' })).toBeGreaterThan(0);
    expect(m.value('db_pool_max_connections', { domain: 'products' })).toBe(10);
    expect(m.value('db_pool_connections', { domain: 'stock' })).toBeGreaterThan(0); // busy + idle
    expect(m.value('db_pool_waiting_requests', { domain: 'stock' })).toBe(0);
  });

  it('records nothing and adds no ids to log lines once tracing is off', async () => {
    await tracing.shutdown();
    const before = exporter.getFinishedSpans().length;
    lines.length = 0;
    expect((await p.gql(QUERY, { sku: SKU })).errors).toBeUndefined();
    expect(exporter.getFinishedSpans()).toHaveLength(before);
    expect(traceFields()).toEqual({});
    // The product is in the subgraphs' caches by now (no SQL); the fetches are still logged.
    const slow = lines.filter((l) => l.msg === 'slow subgraph fetch');
    expect(slow.map((l) => l.subgraph).sort()).toEqual(['products', 'stock']);
    for (const l of slow) {
      expect(l.trace_id).toBeUndefined();
      expect(l.operation).toBe('query TraceProduct');
    }
  });
});
