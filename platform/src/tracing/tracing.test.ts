// Tracing's two states: no endpoint, nothing registered and nothing sent; an OTLP endpoint (a
// local HTTP server standing in for the collector), spans arrive there as OTLP/HTTP with this
// service's name, children in their parent's trace, and log ids follow the active span.
import { execFile } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { trace } from '@opentelemetry/api';
import { loadConfig } from '../config';
import { repoRoot } from '../db/migrate';
import { createLogger } from '../logger';
import { startTracingFromConfig, tracesEndpoint } from './from-config';
import { inSpan, traceFields, tracingEnabled } from './tracing';

const silent = createLogger('silent');
const run = promisify(execFile);

describe('tracing from configuration', () => {
  it('is off, with nothing registered, when no endpoint is set', async () => {
    const tracing = await startTracingFromConfig(loadConfig({}), 'gateway', silent);
    expect(tracing.enabled).toBe(false);
    expect(tracingEnabled()).toBe(false);
    await inSpan('work', {}, async (span) => {
      expect(span).toBeUndefined();
      expect(traceFields()).toEqual({});
      expect(trace.getActiveSpan()).toBeUndefined();
    });
  });

  it('takes the traces endpoint, else the base endpoint with /v1/traces', () => {
    expect(tracesEndpoint(loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/' }))).toBe(
      'http://collector:4318/v1/traces',
    );
    expect(
      tracesEndpoint(
        loadConfig({
          OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318',
          OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://traces:9999/otlp',
        }),
      ),
    ).toBe('http://traces:9999/otlp');
    expect(() => loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'not a url' })).toThrow(/OTEL_EXPORTER_OTLP_ENDPOINT/);
    expect(() => loadConfig({ TRACE_SAMPLE_RATIO: '2' })).toThrow(/TRACE_SAMPLE_RATIO/);
  });

  // In a child Node process on the built platform: the OTLP exporter loads node:http with a
  // dynamic import, which jest's module sandbox refuses.
  it('sends spans to the configured collector as OTLP/HTTP', async () => {
    const received: { path: string; body: string }[] = [];
    const collector = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString('latin1')));
      req.on('end', () => {
        received.push({ path: req.url ?? '', body });
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
    const { port } = collector.address() as AddressInfo;
    const probe = `
      const p = require(${JSON.stringify(path.join(repoRoot, 'platform', 'dist', 'index.js'))});
      (async () => {
        const config = p.loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:${port}', TRACE_SAMPLE_RATIO: '1' });
        const tracing = await p.startTracingFromConfig(config, 'products', p.createLogger('silent'));
        const ids = {};
        await p.inSpan('outer-work', {}, async () => {
          ids.outer = p.traceFields();
          await p.inSpan('inner-work', {}, async () => { ids.inner = p.traceFields(); });
        });
        await tracing.shutdown();
        console.log(JSON.stringify({ enabled: tracing.enabled, ids }));
      })().catch((err) => { console.error(err); process.exit(1); });`;
    try {
      const { stdout } = await run(process.execPath, ['-e', probe], { timeout: 30_000 });
      const { enabled, ids } = JSON.parse(stdout.trim().split('\n').pop()!);
      expect(enabled).toBe(true);
      expect(ids.outer.trace_id).toMatch(/^[0-9a-f]{32}$/);
      expect(ids.inner.trace_id).toBe(ids.outer.trace_id);
      expect(ids.inner.span_id).not.toBe(ids.outer.span_id);
      // Shut down only after the batch was sent.
      expect(received.length).toBeGreaterThan(0);
      expect(received[0]!.path).toBe('/v1/traces');
      const all = received.map((r) => r.body).join('');
      for (const text of ['products', 'outer-work', 'inner-work', ids.outer.span_id]) expect(all).toContain(text);
    } finally {
      collector.close();
    }
  });
});
