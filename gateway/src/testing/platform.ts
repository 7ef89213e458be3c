// Starts the whole platform for a test: a fresh database, the real gateway on a free port,
// real subgraphs — in-process (embedded) or each behind its own HTTP server (distributed,
// TEST_MODE=distributed) — and a client that calls it the way apps do.
import '../telemetry-off';
import { composeSupergraph } from '@grocery/schema';
import {
  createTestDatabase,
  createTestDomainRoles,
  type TestDatabase,
  type TestDomainRoles,
} from '@grocery/platform/testing';
import {
  createBus,
  createCacheFactory,
  createLogger,
  createPeerClient,
  loadConfig,
  type Config,
  type PeerClient,
  type SubgraphModule,
} from '@grocery/platform';
import { randomBytes } from 'node:crypto';
import type { JWTVerifyGetKey } from 'jose';
import { gatewayFeatures } from '../features';
import { startPlatform, type Platform } from '../host';
import { SUBGRAPHS, type SubgraphName } from '../registry';
import { startSubgraphServices, type SubgraphServices } from '../subgraph-services';
import { subgraphFactories, subgraphSchemas, tokenIssuerOf } from '../registry';

export { testTokens, type TestTokens } from './tokens';
export { eventually } from './eventually';

export type TestMode = 'embedded' | 'distributed';

/**
 * `env` for a suite that changes rows with SQL behind the platform's back (no events), which the
 * gateway's response cache would only notice after its TTL; that cache has its own suite
 * (gateway/test/response-cache.test.ts), so in such a suite every read reaches the subgraphs.
 */
export const NO_RESPONSE_CACHE = { RESPONSE_CACHE: 'off' } as const;

export interface GraphQLResult<T = Record<string, any>> {
  status: number;
  data?: T | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: { code?: string; [k: string]: unknown } }[];
}

export interface CallOptions {
  token?: string;
  lang?: string;
  headers?: Record<string, string>;
}

export interface TestPlatform {
  mode: TestMode;
  url: string;
  wsUrl: string;
  baseUrl: string;
  config: Config;
  database: TestDatabase;
  platform: Platform;
  /** The subgraph modules, wherever they run (in the gateway or behind their own servers). */
  modules: Platform['modules'];
  /** Distributed: the subgraph services behind their own HTTP servers (stop one to simulate an outage). */
  services?: SubgraphServices;
  /**
   * Creates an account with these roles (through the users module, like the admin CLI) and
   * logs it in through the gateway; returns its access token and refresh token.
   */
  signIn(
    roles?: ('customer' | 'staff' | 'admin')[],
  ): Promise<{ accessToken: string; refreshToken: string; email: string }>;
  /**
   * Another instance of a subgraph (a second replica) on the same database and bus, with its
   * own cache instance; stopped with the platform.
   */
  createReplica(name: SubgraphName): Promise<SubgraphModule>;
  /**
   * Calls subgraphs as service `self` would (PeerClient): for operations only services may call
   * (@inaccessible at the gateway), in process or over signed HTTP as the mode says.
   */
  peerClient(self: string): PeerClient;
  /** POSTs an operation to /graphql; never throws on GraphQL errors. */
  gql<T = Record<string, any>>(
    query: string,
    variables?: Record<string, unknown>,
    opts?: CallOptions,
  ): Promise<GraphQLResult<T>>;
  /** Raw HTTP to the gateway (for malformed bodies, health checks). */
  fetch(path: string, init?: RequestInit): Promise<Response>;
  stop(): Promise<void>;
}

export interface TestPlatformOptions {
  subgraphs?: SubgraphName[];
  env?: Record<string, string>;
  mode?: TestMode;
  verificationKeys?: JWTVerifyGetKey;
  /** Load this many seeded SKUs (with stores and stock) before the gateway starts. */
  seedSkus?: number;
  /** Also load the seeded promotions (off by default: most suites assume regular prices). */
  seedPromotions?: boolean;
  /**
   * Each subgraph connects with its own PostgreSQL role, allowed only its own schema (what
   * `pnpm db:roles` sets up in production); seeding and the test's own SQL stay on the owner.
   */
  databaseRoles?: boolean;
}

export function testMode(): TestMode {
  return process.env.TEST_MODE === 'distributed' ? 'distributed' : 'embedded';
}

export async function startTestPlatform(opts: TestPlatformOptions = {}): Promise<TestPlatform> {
  const mode = opts.mode ?? testMode();
  const names = opts.subgraphs ?? [...SUBGRAPHS];
  const database = await createTestDatabase();
  let roles: TestDomainRoles | undefined;
  const dropDatabase = async () => {
    await database.drop();
    await roles?.drop();
  };
  try {
    if (opts.databaseRoles) roles = await createTestDomainRoles(database);
  } catch (err) {
    await dropDatabase();
    throw err;
  }
  const baseEnv: Record<string, string | undefined> = {
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    HOST: '127.0.0.1',
    PORT: '0',
    DATABASE_URL: database.url,
    REDIS_URL: process.env.REDIS_URL,
    KAFKA_BROKERS: process.env.KAFKA_BROKERS,
    // Every test platform gets its own Redis keyspace, streams and channels.
    REDIS_PREFIX: `test:${randomBytes(5).toString('hex')}:`,
    OUTBOX_POLL_MS: '50',
    SEED_SKUS: '0',
    // Its own key per platform: nothing is written under DATA_DIR.
    SIGNING_KEY_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    ...roles?.env,
    ...opts.env,
  };
  const distributedModules: Platform['modules'] = {};
  let services: SubgraphServices | undefined;
  const cleanups: (() => Promise<void>)[] = [];
  try {
    const schemas = Object.fromEntries(
      await Promise.all(names.map(async (n) => [n, await subgraphSchemas[n]()] as const)),
    );
    const { supergraphSdl } = composeSupergraph(schemas);
    if (opts.seedSkus) {
      const { loadSeed } = await import('@grocery/seed');
      await loadSeed({ databaseUrl: database.url, skus: opts.seedSkus, promotions: opts.seedPromotions ?? false });
    }

    const env = { ...baseEnv };
    if (mode === 'distributed') {
      const config = loadConfig(env as NodeJS.ProcessEnv, { subgraphs: SUBGRAPHS });
      services = await startSubgraphServices({
        names,
        config,
        logger: createLogger(config.LOG_LEVEL, 'subgraph'),
        databaseUrl: database.url,
        verificationKeys: opts.verificationKeys,
      });
      const started = services;
      cleanups.push(() => started.stop());
      Object.assign(distributedModules, services.modules);
      Object.assign(env, services.env);
    }
    const config = loadConfig(env as NodeJS.ProcessEnv, { subgraphs: SUBGRAPHS });
    const platform = await startPlatform({
      config,
      factories: mode === 'embedded' ? Object.fromEntries(names.map((n) => [n, subgraphFactories[n]])) : {},
      supergraphSdl,
      verificationKeys: opts.verificationKeys,
      features: gatewayFeatures,
      migrate: false, // the test database is a clone of the migrated template
    });
    cleanups.unshift(() => platform.stop());
    const url = platform.url;
    const baseUrl = url.replace(/\/graphql$/, '');
    const modules = mode === 'embedded' ? platform.modules : distributedModules;
    let accounts = 0;
    const tp: TestPlatform = {
      mode,
      url,
      baseUrl,
      wsUrl: url.replace(/^http/, 'ws'),
      config,
      database,
      platform,
      modules,
      services,
      async createReplica(name) {
        const logger = createLogger(config.LOG_LEVEL, 'replica');
        const bus = mode === 'embedded' ? platform.deps.bus : await createBus(config, logger);
        const caches = createCacheFactory(config, logger);
        const peers =
          mode === 'embedded'
            ? platform.deps.peers
            : { module: () => undefined, url: (peer: string) => services?.urls[peer as SubgraphName] };
        const mod = await subgraphFactories[name]({
          config,
          logger,
          databaseUrl: database.url,
          bus,
          caches,
          peers,
        });
        await mod.start();
        cleanups.unshift(async () => {
          await mod.stop();
          await caches.close();
          if (bus !== platform.deps.bus) await bus.close();
        });
        return mod;
      },
      async signIn(roles = ['customer']) {
        const users = tokenIssuerOf(modules);
        if (!users) throw new Error('signIn needs the subgraph that issues tokens (users)');
        const email = `${roles.join('-')}-${++accounts}-${randomBytes(3).toString('hex')}@test.grocery.vn`;
        const password = `pw-${randomBytes(9).toString('hex')}`;
        await users.ensureAccount({ email, password, name: `Test ${roles.join(' ')}`, roles });
        const r = await tp.gql(
          `mutation ($e: String!, $p: String!) { logIn(input: { email: $e, password: $p }) { accessToken refreshToken } }`,
          { e: email, p: password },
        );
        if (!r.data?.logIn) throw new Error(`logIn failed: ${JSON.stringify(r.errors)}`);
        return { ...r.data.logIn, email };
      },
      async gql(query, variables, o = {}) {
        const res = await fetch(url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            ...(o.token ? { authorization: `Bearer ${o.token}` } : {}),
            ...(o.lang ? { 'accept-language': o.lang } : {}),
            ...o.headers,
          },
          body: JSON.stringify({ query, variables }),
        });
        const body = (await res.json()) as Omit<GraphQLResult, 'status'>;
        return { status: res.status, ...body } as GraphQLResult<any>;
      },
      peerClient: (self) =>
        createPeerClient({
          self,
          config,
          peers:
            mode === 'embedded'
              ? platform.deps.peers
              : { module: () => undefined, url: (peer: string) => services?.urls[peer as SubgraphName] },
        }),
      fetch: (path, init) => fetch(baseUrl + path, init),
      async stop() {
        for (const c of cleanups) await c();
        await dropDatabase();
      },
    };
    return tp;
  } catch (err) {
    for (const c of cleanups) await c().catch(() => undefined);
    await dropDatabase();
    throw err;
  }
}
