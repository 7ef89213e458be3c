// `pnpm bench gateway`: a product-page query (products + stock) under 50 concurrent
// connections, through our gateway and through a stock @apollo/gateway (defaults, no tuning)
// in front of the SAME subgraph services, in the same run. Prints RPS, p50, p99 and ratios.
import '@grocery/gateway/dist/telemetry-off';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { gatewayFeatures, startPlatform, subgraphFactories, composeFromCode, SUBGRAPHS } from '@grocery/gateway';
import {
  createBus,
  createCacheFactory,
  createLogger,
  createTokenVerifier,
  loadConfig,
  serveSubgraph,
} from '@grocery/platform';
import { createTestDatabase } from '@grocery/platform/testing';
import { loadSeed } from '@grocery/seed';
import autocannon from 'autocannon';

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

async function load(name: string, url: string, skus: string[], seconds: number): Promise<Figures> {
  let i = 0;
  const result = await autocannon({
    url,
    connections: 50,
    duration: seconds,
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

export async function runGatewayBench(): Promise<void> {
  const seconds = Number(process.env.BENCH_SECONDS ?? 20);
  const skuCount = Number(process.env.BENCH_SKUS ?? 2000);
  const db = await createTestDatabase();
  const env = { ...process.env, DATABASE_URL: db.url, LOG_LEVEL: 'warn', PORT: '0', HOST: '127.0.0.1', SEED_SKUS: '0' };
  const config = loadConfig(env);
  const logger = createLogger('warn', 'bench');
  const cleanups: (() => Promise<void>)[] = [];
  try {
    console.log(`seeding ${skuCount} SKUs…`);
    await loadSeed({ databaseUrl: db.url, skus: skuCount });
    const skus = Array.from({ length: skuCount }, (_, k) => `SKU-${String(k + 1).padStart(6, '0')}`);

    // The subgraphs as HTTP services, shared by both gateways.
    const urls: Record<string, string> = {};
    let keys;
    for (const name of ['users', ...SUBGRAPHS.filter((n) => n !== 'users')] as const) {
      const bus = await createBus(config, logger);
      const caches = createCacheFactory(config, logger);
      const mod = await subgraphFactories[name]({ config, logger, databaseUrl: db.url, bus, caches });
      await mod.start();
      keys ??= mod.verificationKeys;
      const server = await serveSubgraph(mod, {
        port: 0,
        host: '127.0.0.1',
        logger,
        routes: mod.routes,
        verifier: createTokenVerifier({ keys: keys!, issuer: config.JWT_ISSUER, audience: config.JWT_AUDIENCE }),
      });
      urls[name] = server.url;
      cleanups.push(async () => {
        await server.stop();
        await mod.stop();
        await caches.close();
        await bus.close();
      });
    }
    const { supergraphSdl } = await composeFromCode();

    const ours = await startPlatform({
      config: loadConfig({ ...env, PRODUCTS_URL: urls.products, STOCK_URL: urls.stock, USERS_URL: urls.users }),
      logger,
      factories: {},
      supergraphSdl,
      verificationKeys: keys,
      features: gatewayFeatures,
    });
    cleanups.unshift(() => ours.stop());

    // Subgraph URLs in the composed supergraph are placeholders: point the stock gateway at
    // the real services through its own (default) data sources.
    const stock = new ApolloServer({
      gateway: new ApolloGateway({
        supergraphSdl: supergraphSdl.replace(/http:\/\/(\w+)\.subgraph\.invalid\/graphql/g, (_m, n: string) => urls[n]),
      }),
    });
    const { url: stockUrl } = await startStandaloneServer(stock, { listen: { port: 0, host: '127.0.0.1' } });
    cleanups.unshift(() => stock.stop());

    // Warm both (plans, caches, connections) before measuring.
    await load('warm-up ours', ours.url, skus, 3);
    await load('warm-up stock', stockUrl, skus, 3);
    const rows = [
      await load('our gateway', ours.url, skus, seconds),
      await load('stock @apollo/gateway', stockUrl, skus, seconds),
    ];
    const [o, s] = rows;
    console.log(`\nproduct page (products + stock), 50 connections, ${seconds}s each, ${skuCount} SKUs`);
    console.table(
      rows.map((r) => ({
        gateway: r.name,
        rps: r.rps.toFixed(0),
        'p50 ms': r.p50,
        'p99 ms': r.p99,
        errors: r.errors,
        non2xx: r.non2xx,
      })),
    );
    console.log(
      `ours/stock: RPS ×${(o.rps / s.rps).toFixed(2)}, p50 ×${(o.p50 / s.p50).toFixed(2)}, p99 ×${(o.p99 / s.p99).toFixed(2)}`,
    );
  } finally {
    for (const c of cleanups) await c().catch(() => undefined);
    await db.drop();
  }
}
