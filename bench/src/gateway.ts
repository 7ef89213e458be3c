// `pnpm bench gateway`: a product-page query (products + stock) under 50 concurrent
// connections for 20 s, through our gateway and through a stock @apollo/gateway (defaults, no
// tuning) in front of the SAME subgraph services, in the same run; each gateway in its own
// process, the subgraphs in another, the load generator in this one. Prints RPS, p50, p99 and
// ratios. Two scenarios per gateway: "rotating" (every request another of BENCH_SKUS products)
// and "hot key" (every request the same product: a flash sale), where query deduplication
// shares identical in-flight subgraph fetches. More rows: ours with deduplication off, with the
// response cache on, with tracing on, and our default embedded mode (subgraphs inside the
// gateway process).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { repoRoot } from '@grocery/platform';
import { createTestDatabase } from '@grocery/platform/testing';
import { loadSeed } from '@grocery/seed';
import autocannon from 'autocannon';
import { serviceEnv, startProcess, type Running } from './processes';

const QUERY = `query ProductPage($sku: String!) {
  product(sku: $sku) {
    sku name unit brand isPerishable
    price { amount currency }
    category { id name }
    availability { available inStock byLocation { location { id name } available } }
  }
}`;

interface Figures {
  name: string;
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
}

interface Scenario {
  name: 'rotating' | 'hot key';
  skus: string[];
}

/** `seconds` of load, or exactly one request per SKU when `seconds` is 0 (warming caches). */
async function load(name: string, url: string, skus: string[], seconds: number): Promise<Figures> {
  let i = 0;
  const result = await autocannon({
    url,
    connections: 50,
    ...(seconds > 0 ? { duration: seconds } : { amount: skus.length }),
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    requests: [
      {
        setupRequest: (req) => ({
          ...req,
          body: JSON.stringify({ query: QUERY, variables: { sku: skus[i++ % skus.length] } }),
        }),
      },
    ],
  });
  return {
    name,
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors,
    non2xx: result.non2xx,
  };
}

const dist = (file: string) => path.join(__dirname, file);
const urlOf = (line: string) => /(http:\/\/\S+\/graphql)/.exec(line)?.[1] ?? line.trim();

async function measure(
  name: string,
  started: Promise<Running>,
  scenarios: Scenario[],
  seconds: number,
): Promise<(Figures & { scenario: Scenario['name'] })[]> {
  const proc = await started;
  try {
    const url = urlOf(proc.line);
    // Every SKU once first: both gateways then meet the same warm subgraph caches, and the
    // order in which they run does not favour the second.
    await load(`warm-up ${name}`, url, scenarios[0]!.skus, 0);
    const figures = [];
    for (const scenario of scenarios)
      figures.push({ ...(await load(name, url, scenario.skus, seconds)), scenario: scenario.name });
    return figures;
  } finally {
    await proc.stop();
  }
}

export async function runGatewayBench(): Promise<void> {
  const seconds = Number(process.env.BENCH_SECONDS ?? 20);
  const skuCount = Number(process.env.BENCH_SKUS ?? 2000);
  const db = await createTestDatabase();
  const base = serviceEnv({
    // Like for like with the stock gateway (which has none); measured with it on separately.
    RESPONSE_CACHE: 'off',
    ...(process.env.REDIS_URL ? { REDIS_URL: process.env.REDIS_URL } : {}),
  });
  let services: Running | undefined;
  try {
    console.log(`seeding ${skuCount} SKUs…`);
    await loadSeed({ databaseUrl: db.url, skus: skuCount });
    const skus = Array.from({ length: skuCount }, (_, k) => `SKU-${String(k + 1).padStart(6, '0')}`);
    const scenarios: Scenario[] = [
      { name: 'rotating', skus },
      { name: 'hot key', skus: [skus[0]!] },
    ];
    const remote = (extra: NodeJS.ProcessEnv = {}) =>
      startProcess(
        path.join(repoRoot, 'gateway', 'dist', 'main.js'),
        { ...base, ...servicesEnv, ...extra },
        /ready at/,
      );

    services = await startProcess(dist('subgraph-services.js'), { ...base, DATABASE_URL: db.url }, /^\{/);
    const { urls, env: servicesEnv } = JSON.parse(services.line) as {
      urls: Record<string, string>;
      env: Record<string, string>;
    };
    const supergraphFile = path.join(repoRoot, 'schema', 'supergraph.graphql');

    const ours = await measure('our gateway', remote(), scenarios, seconds);
    const oursNoDedup = await measure(
      'our gateway, deduplication off',
      remote({ QUERY_DEDUPLICATION: 'off' }),
      scenarios,
      seconds,
    );
    const oursCached = await measure(
      'our gateway, response cache on',
      remote({ RESPONSE_CACHE: 'on' }),
      scenarios,
      seconds,
    );
    // Tracing on, every request sampled, spans batched over OTLP/HTTP to a sink in this process
    // that accepts and drops them: what tracing costs the gateway and the subgraph services'
    // share is not in it (they run untraced here).
    const sink = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end('{}'));
    });
    await new Promise<void>((resolve) => sink.listen(0, '127.0.0.1', resolve));
    const traced = await measure(
      'our gateway, tracing on (all sampled)',
      remote({
        OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${(sink.address() as AddressInfo).port}`,
        TRACE_SAMPLE_RATIO: '1',
      }),
      scenarios,
      seconds,
    ).finally(() => sink.close());
    const stock = await measure(
      'stock @apollo/gateway',
      startProcess(
        dist('stock-gateway.js'),
        { ...base, SUBGRAPH_URLS: JSON.stringify(urls), SUPERGRAPH_FILE: supergraphFile },
        /^http/,
      ),
      scenarios,
      seconds,
    );
    await services.stop();
    services = undefined;
    const embedded = await measure(
      'our gateway, embedded subgraphs',
      startProcess(path.join(repoRoot, 'gateway', 'dist', 'main.js'), { ...base, DATABASE_URL: db.url }, /ready at/),
      scenarios,
      seconds,
    );

    const rows = [...ours, ...oursNoDedup, ...oursCached, ...traced, ...stock, ...embedded];
    console.log(`\nproduct page (products + stock), 50 connections, ${seconds}s each, ${skuCount} SKUs`);
    console.table(
      rows.map((r) => ({
        scenario: r.scenario,
        gateway: r.name,
        rps: Math.round(r.rps),
        'p50 ms': r.p50,
        'p99 ms': r.p99,
        errors: r.errors,
        non2xx: r.non2xx,
      })),
    );
    scenarios.forEach((scenario, i) => {
      const [o, d, c, s, t] = [ours[i]!, oursNoDedup[i]!, oursCached[i]!, stock[i]!, traced[i]!];
      console.log(
        `${scenario.name}: ours/stock (same subgraph services) RPS ×${(o.rps / s.rps).toFixed(2)}, ` +
          `p50 ×${(o.p50 / s.p50).toFixed(2)}, p99 ×${(o.p99 / s.p99).toFixed(2)}; ` +
          `deduplication on/off RPS ×${(o.rps / d.rps).toFixed(2)}; ` +
          `tracing on/off RPS ×${(t.rps / o.rps).toFixed(2)}; ` +
          `with the response cache RPS ×${(c.rps / s.rps).toFixed(2)}, p50 ×${(c.p50 / s.p50).toFixed(2)}, ` +
          `p99 ×${(c.p99 / s.p99).toFixed(2)} (every SKU is requested again within the TTL)`,
      );
    });
  } finally {
    await services?.stop();
    await db.drop();
  }
}
