// `pnpm bench subscription`: how long from a stock change to the subscriber's event, 1,000
// times, through our gateway (stockChanged with the product's name and price from the products
// subgraph, resolved per event through the federated plan) and — the baseline, same events,
// same run — straight from the stock subgraph (stock fields only): its own graphql-ws endpoint
// in distributed mode (default: every subgraph its own HTTP/WebSocket service, as in
// production), graphql's `subscribe` on its schema with BENCH_MODE=embedded (all in-process).
import '@grocery/gateway/dist/telemetry-off';
import { generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import {
  composeFromCode,
  gatewayFeatures,
  startPlatform,
  startSubgraphServices,
  subgraphFactories,
  SUBGRAPHS,
} from '@grocery/gateway';
import {
  createLogger,
  GATEWAY_SIGNATURE_HEADER,
  GatewaySigner,
  loadConfig,
  newGatewaySigningSecret,
  WEBSOCKET_SIGNATURE_METHOD,
} from '@grocery/platform';
import { createTestDatabase } from '@grocery/platform/testing';
import { loadSeed, LOCATIONS } from '@grocery/seed';
import { parse, subscribe, type ExecutionResult } from 'graphql';
import { createClient, type Client } from 'graphql-ws/client';
import WebSocket from 'ws';

const SKU = 'SKU-000001';

/** ES256 access tokens of the bench's own (no users service round trip needed). */
function benchTokens(issuer: string, audience: string) {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const b64 = (v: string | Buffer) => Buffer.from(v).toString('base64url');
  return {
    verificationKeys: async () => publicKey,
    sign(sub: string, roles: string[]): string {
      const now = Math.floor(Date.now() / 1000);
      const head = b64(JSON.stringify({ alg: 'ES256', typ: 'JWT' }));
      const body = b64(JSON.stringify({ sub, roles, iss: issuer, aud: audience, iat: now, exp: now + 3600 }));
      const signature = sign('sha256', Buffer.from(`${head}.${body}`), { key: privateKey, dsaEncoding: 'ieee-p1363' });
      return `${head}.${body}.${b64(signature)}`;
    },
  };
}

type Sink = { next(result: { errors?: unknown }): void; error(err: unknown): void };

/** A graphql-ws subscription as a sink-driven source. */
const overWebSocket =
  (client: Client, query: string, variables: Record<string, unknown>) =>
  (sink: Sink): (() => void) =>
    client.subscribe({ query, variables }, { ...sink, complete: () => undefined });

/** An in-process subscription (graphql's subscribe) as a sink-driven source. */
const inProcess =
  (open: () => Promise<AsyncIterable<ExecutionResult> | ExecutionResult>) =>
  (sink: Sink): (() => void) => {
    let iterator: AsyncIterator<ExecutionResult> | undefined;
    void (async () => {
      const result = await open();
      if (!(Symbol.asyncIterator in result)) return sink.error(result.errors);
      iterator = result[Symbol.asyncIterator]();
      for (let step = await iterator.next(); !step.done; step = await iterator.next()) sink.next(step.value);
    })().catch((err) => sink.error(err));
    return () => void iterator?.return?.();
  };

/** Arrival times of a subscription's events, and a way to wait for the n-th. */
function recordArrivals(source: (sink: Sink) => () => void) {
  const arrivals: number[] = [];
  const waiters = new Map<number, () => void>();
  let failure: unknown;
  const unsubscribe = source({
    next: (result) => {
      if (result.errors) failure ??= result.errors;
      arrivals.push(performance.now());
      waiters.get(arrivals.length)?.();
    },
    error: (err) => (failure = err),
  });
  return {
    arrivals,
    unsubscribe,
    async nth(n: number, timeoutMs = 10_000): Promise<number> {
      if (failure) throw new Error(`subscription failed: ${JSON.stringify(failure)}`);
      if (arrivals.length >= n) return arrivals[n - 1]!;
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`event ${n} did not arrive within ${timeoutMs} ms`)),
          timeoutMs,
        );
        waiters.set(n, () => {
          clearTimeout(timer);
          resolve();
        });
      });
      return arrivals[n - 1]!;
    },
  };
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

function summary(name: string, values: number[]) {
  const s = [...values].sort((a, b) => a - b);
  const mean = s.reduce((a, b) => a + b, 0) / s.length;
  return {
    path: name,
    'p50 ms': +percentile(s, 50).toFixed(2),
    'p99 ms': +percentile(s, 99).toFixed(2),
    'mean ms': +mean.toFixed(2),
    'max ms': +s[s.length - 1]!.toFixed(2),
  };
}

const FANOUT_EVENTS = Number(process.env.BENCH_FANOUT_EVENTS ?? 20);

/**
 * N shoppers watch one SKU (one graphql-ws connection each): anonymous ones, which the gateway
 * serves from one shared group, or each signed in as a different customer (one group each;
 * only identical subgraph fetches are shared). Times, per stock change, the first and the
 * last subscriber's arrival.
 */
/** Heap in use after a full collection (gc exposed for the bench process at run time). */
function heapAfterGc(): number {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
  return process.memoryUsage().heapUsed;
}

/** Heap per open subscriber (bytes), by fan-out row. */
const memory = new Map<string, number>();

async function fanOut(opts: {
  url: string;
  subscribers: number;
  adjust: () => Promise<void>;
  signedIn: boolean;
  tokens?: ReturnType<typeof benchTokens>;
}) {
  const query =
    'subscription W($skus: [String!]!) { stockChanged(skus: $skus) { sku available product { name price { amount currency } } } }';
  const clients = Array.from({ length: opts.subscribers }, (_, i) =>
    createClient({
      url: opts.url.replace(/^http/, 'ws'),
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      connectionParams:
        opts.signedIn && opts.tokens ? { authorization: `Bearer ${opts.tokens.sign(`fan-${i}`, ['customer'])}` } : {},
    }),
  );
  let heapOpen = 0;
  try {
    const watchers = clients.map((c) => recordArrivals(overWebSocket(c, query, { skus: [SKU] })));
    // Every subscription is open once each has seen a change.
    while (watchers.some((w) => w.arrivals.length === 0)) {
      await opts.adjust();
      await new Promise((r) => setTimeout(r, 100));
    }
    await new Promise((r) => setTimeout(r, 300));
    heapOpen = heapAfterGc();
    const first: number[] = [];
    const last: number[] = [];
    for (let e = 0; e < FANOUT_EVENTS; e++) {
      const seen = watchers.map((w) => w.arrivals.length);
      const t0 = performance.now();
      await opts.adjust();
      const arrivals = await Promise.all(watchers.map((w, i) => w.nth(seen[i]! + 1, 30_000)));
      first.push(Math.min(...arrivals) - t0);
      last.push(Math.max(...arrivals) - t0);
    }
    watchers.forEach((w) => w.unsubscribe());
    const p50 = (xs: number[]) =>
      +percentile(
        [...xs].sort((a, b) => a - b),
        50,
      ).toFixed(1);
    return {
      subscribers: opts.subscribers,
      signedIn: opts.signedIn,
      'first p50 ms': p50(first),
      'last p50 ms': p50(last),
      'last max ms': +Math.max(...last).toFixed(1),
    };
  } finally {
    await Promise.all(clients.map((c) => c.dispose()));
    // Memory: the heap with every subscription open minus the heap once they are all closed and
    // the gateway has let go (a second to settle). Both ends live in this process — the client's
    // socket and graphql-ws client as well as the gateway's connection and subscription — so
    // this is an upper bound on the gateway's share.
    await new Promise((r) => setTimeout(r, 1_000));
    if (heapOpen > 0)
      memory.set(
        `${opts.subscribers}${opts.signedIn ? ' signed in' : ''}`,
        (heapOpen - heapAfterGc()) / opts.subscribers,
      );
  }
}

export async function runSubscriptionBench(): Promise<void> {
  const events = Number(process.env.BENCH_EVENTS ?? 1000);
  const embedded = process.env.BENCH_MODE === 'embedded';
  const db = await createTestDatabase();
  const env = {
    ...process.env,
    DATABASE_URL: db.url,
    LOG_LEVEL: 'warn',
    PORT: '0',
    HOST: '127.0.0.1',
    SEED_SKUS: '0',
    RATE_LIMIT_PER_MINUTE: '1000000',
    RATE_LIMIT_COST_PER_MINUTE: '1000000000000',
    MAX_CONCURRENT_OPERATIONS_PER_CLIENT: '100000',
    // The fan-out scenario connects every shopper from this one address.
    MAX_WS_CONNECTIONS_PER_CLIENT: '100000',
    MAX_SUBSCRIPTIONS_PER_CLIENT: '100000',
    // The gateway signs what it sends the subgraph services; the baseline below signs as it does.
    GATEWAY_SIGNING_SECRET: newGatewaySigningSecret(),
    SIGNING_KEY_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
  };
  const config = loadConfig(env);
  const logger = createLogger('warn', 'bench');
  const tokens = benchTokens(config.JWT_ISSUER, config.JWT_AUDIENCE);
  const cleanups: (() => Promise<void>)[] = [];
  const clients: Client[] = [];
  try {
    await loadSeed({ databaseUrl: db.url, skus: 20 });
    const { supergraphSdl } = await composeFromCode();
    const urls: Record<string, string> = {};
    const servicesEnv: Record<string, string> = {};
    if (!embedded) {
      const services = await startSubgraphServices({
        names: SUBGRAPHS,
        config,
        logger,
        databaseUrl: db.url,
        verificationKeys: tokens.verificationKeys,
      });
      cleanups.push(() => services.stop());
      Object.assign(urls, services.urls);
      Object.assign(servicesEnv, services.env);
    }
    const gateway = await startPlatform({
      config: loadConfig({ ...env, ...servicesEnv }, { subgraphs: SUBGRAPHS }),
      logger,
      factories: embedded ? subgraphFactories : {},
      supergraphSdl,
      verificationKeys: tokens.verificationKeys,
      features: gatewayFeatures,
    });
    cleanups.unshift(() => gateway.stop());

    const staff = tokens.sign('bench-staff', ['staff']);
    const customer = tokens.sign('bench-customer', ['customer']);
    const location = LOCATIONS[0]!.id;
    let delta = 1;
    const adjust = async () => {
      delta = -delta; // +1, -1, ...: the level stays put however long the run
      const res = await fetch(gateway.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${staff}` },
        body: JSON.stringify({
          query: 'mutation A($input: AdjustStockInput!) { adjustStock(input: $input) { available } }',
          variables: { input: { sku: SKU, locationId: location, delta, reason: 'bench' } },
        }),
      });
      const body = (await res.json()) as { errors?: unknown };
      if (body.errors) throw new Error(`adjustStock failed: ${JSON.stringify(body.errors)}`);
    };
    const signer = new GatewaySigner(env.GATEWAY_SIGNING_SECRET);
    /** `signed`: a subgraph service, which answers only what the gateway signed. */
    const connect = (url: string, signed = false) => {
      const authorization = `Bearer ${customer}`;
      const c = createClient({
        url: url.replace(/^http/, 'ws'),
        webSocketImpl: WebSocket,
        connectionParams: () => ({
          authorization,
          ...(signed
            ? {
                [GATEWAY_SIGNATURE_HEADER]: signer.sign({
                  method: WEBSOCKET_SIGNATURE_METHOD,
                  path: new URL(url).pathname,
                  body: '',
                  forwarded: { authorization },
                }),
              }
            : {}),
        }),
      });
      clients.push(c);
      return c;
    };
    const viaGateway = recordArrivals(
      overWebSocket(
        connect(gateway.url),
        'subscription W($skus: [String!]!) { stockChanged(skus: $skus) { sku available product { name price { amount currency } } } }',
        { skus: [SKU] },
      ),
    );
    const stockOnly = 'subscription W($skus: [String!]!) { stockChanged(skus: $skus) { sku available } }';
    const stockModule = gateway.modules.stock;
    const direct = recordArrivals(
      embedded && stockModule
        ? inProcess(async () =>
            subscribe({
              schema: stockModule.schema,
              document: parse(stockOnly),
              variableValues: { skus: [SKU] },
              contextValue: stockModule.createContext({ locale: 'en' }),
            }),
          )
        : overWebSocket(connect(urls.stock!, true), stockOnly, { skus: [SKU] }),
    );

    // Both subscriptions open asynchronously: adjust until each has seen an event, then start counting.
    while (viaGateway.arrivals.length === 0 || direct.arrivals.length === 0) {
      await adjust();
      await new Promise((r) => setTimeout(r, 50));
    }
    await new Promise((r) => setTimeout(r, 200));
    for (let i = 0; i < 50; i++) {
      // warm-up: plans, connections, caches
      const g = viaGateway.arrivals.length,
        d = direct.arrivals.length;
      await adjust();
      await Promise.all([viaGateway.nth(g + 1), direct.nth(d + 1)]);
    }

    const throughGateway: number[] = [];
    const straight: number[] = [];
    const overhead: number[] = [];
    for (let i = 0; i < events; i++) {
      const g = viaGateway.arrivals.length,
        d = direct.arrivals.length;
      const t0 = performance.now();
      await adjust();
      const [tg, td] = await Promise.all([viaGateway.nth(g + 1), direct.nth(d + 1)]);
      throughGateway.push(tg - t0);
      straight.push(td - t0);
      overhead.push(tg - td);
    }
    viaGateway.unsubscribe();
    direct.unsubscribe();

    // Reference for the per-event cost: the same product fields asked as a query through the
    // gateway (one products fetch, as each event needs).
    const productQuery: number[] = [];
    for (let i = 0; i < Math.min(events, 200); i++) {
      const t0 = performance.now();
      await fetch(gateway.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: `{ product(sku: "${SKU}") { name price { amount currency } } }` }),
      }).then((r) => r.text());
      productQuery.push(performance.now() - t0);
    }

    const fanOutRows = [];
    for (const n of (process.env.BENCH_FANOUT ?? '1,100,1000').split(',').map(Number)) {
      fanOutRows.push(await fanOut({ url: gateway.url, subscribers: n, adjust, signedIn: false }));
      fanOutRows.push(await fanOut({ url: gateway.url, subscribers: n, adjust, tokens, signedIn: true }));
    }

    const rows = [
      summary('through our gateway (stock + products per event)', throughGateway),
      summary(`baseline: stock subgraph directly (${embedded ? 'in-process subscribe' : 'its graphql-ws'})`, straight),
      summary('gateway cost per event (gateway − direct)', overhead),
      summary('reference: product query through the gateway', productQuery),
    ];
    console.log(
      `\nstock change (adjustStock over HTTP) → subscriber receives the event, ${events} events, ${embedded ? 'embedded' : 'distributed'} mode`,
    );
    console.table(rows);
    console.log(
      `ours/baseline: p50 ×${(rows[0]!['p50 ms'] / rows[1]!['p50 ms']).toFixed(2)}, p99 ×${(rows[0]!['p99 ms'] / rows[1]!['p99 ms']).toFixed(2)}`,
    );
    console.log(
      `\nfan-out: one stock change → N subscribers of that SKU through the gateway (one WebSocket each), ${FANOUT_EVENTS} changes each; time from the change to the first and the last subscriber`,
    );
    console.table(fanOutRows);
    console.log(
      'heap per open subscriber, both ends in this process (heap open − heap after all closed, after full GCs): ' +
        [...memory].map(([row, bytes]) => `${row}: ${(bytes / 1024).toFixed(1)} KiB`).join('; '),
    );
    const one = fanOutRows.find((r) => r.subscribers === 1 && !r.signedIn);
    const most = fanOutRows.filter((r) => !r.signedIn).at(-1);
    if (one && most)
      console.log(
        `anonymous: ${most.subscribers} subscribers' last / 1 subscriber, p50 ×${(most['last p50 ms'] / one['last p50 ms']).toFixed(2)}`,
      );
  } finally {
    await Promise.all(clients.map((c) => c.dispose()));
    for (const c of cleanups) await c().catch(() => undefined);
    await db.drop();
  }
}
