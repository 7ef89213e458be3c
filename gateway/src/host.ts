// Composition root: brings up the database, bus, caches and subgraphs for the configured
// mode, then the gateway in front of them. `pnpm start` and the tests both come through here.
import './telemetry-off';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { GraphQLDataSource } from '@apollo/gateway';
import {
  createBus,
  createCacheFactory,
  configureSlowLogsFromConfig,
  createLogger,
  createTokenVerifier,
  gatewaySigner,
  migrateAll,
  ownDomainDatabaseUrl,
  remoteKeys,
  repoRoot,
  startEmbeddedPostgres,
  type Config,
  type EmbeddedPostgres,
  type Logger,
  type SubgraphDeps,
  type SubgraphModule,
  type TokenVerifier,
} from '@grocery/platform';
import { Supergraph } from '@apollo/federation-internals';
import { errors as joseErrors, type JWTVerifyGetKey } from 'jose';
import type { GatewayContext } from './context';
import { DeduplicatedSubgraph } from './datasources/deduplicated-subgraph';
import { GuardedSubgraph, guardOptionsFromConfig } from './datasources/guarded-subgraph';
import { HttpSubgraph } from './datasources/http-subgraph';
import { InProcessSubgraph } from './datasources/in-process-subgraph';
import { proxyPublicRoutes } from './public-route-proxy';
import {
  SUBGRAPHS,
  subgraphDefinition,
  tokenIssuerOf,
  type SubgraphFactory,
  type SubgraphName,
  type TokenIssuer,
} from './registry';
import { startGatewayServer, type GatewayServer, type GatewayServerOptions } from './server';

export interface PlatformOptions {
  config: Config;
  logger?: Logger;
  /** Subgraphs to run in this process (those without a *_URL); the rest must be remote. */
  factories: Partial<Record<SubgraphName, SubgraphFactory>>;
  /** Overrides where access-token keys come from (tests). Default: the users module, else JWKS_URL. */
  verificationKeys?: JWTVerifyGetKey;
  supergraphSdl?: string;
  /** Apply migrations at start (default true; tests clone an already-migrated template). */
  migrate?: boolean;
  /** Runs once the database is migrated, before the gateway listens (seed data). */
  onDatabaseReady?: (databaseUrl: string, logger: Logger) => Promise<void>;
  /** Extra gateway features (limits, GraphiQL, subscriptions), wired by the caller. */
  features?: (ctx: FeatureContext) => Partial<GatewayServerOptions>;
}

export interface FeatureContext {
  config: Config;
  logger: Logger;
  modules: Partial<Record<SubgraphName, SubgraphModule>>;
  verifier: TokenVerifier;
  supergraphSdl: string;
  subgraphs: Record<string, GraphQLDataSource<GatewayContext>>;
  deps: SubgraphDeps;
}

export interface Platform {
  url: string;
  mode: 'embedded' | 'distributed' | 'mixed';
  databaseUrl?: string;
  modules: Partial<Record<SubgraphName, SubgraphModule & Partial<TokenIssuer>>>;
  server: GatewayServer;
  /** What in-process subgraphs were given (bus, caches, database). */
  deps: SubgraphDeps;
  stop(): Promise<void>;
}

export function readCommittedSupergraph(): string {
  return readFileSync(path.join(repoRoot, 'schema', 'supergraph.graphql'), 'utf8');
}

/** A supergraph from SUPERGRAPH_PATH and its subgraphs' URLs (join__graph), validated. */
function readForeignSupergraph(file: string): { sdl: string; urls: Record<string, string> } {
  let sdl: string;
  try {
    sdl = readFileSync(file, 'utf8');
  } catch (err) {
    throw new Error(`SUPERGRAPH_PATH: cannot read ${file}: ${(err as Error).message}`);
  }
  let supergraph: Supergraph;
  try {
    supergraph = Supergraph.build(sdl);
  } catch (err) {
    throw new Error(`SUPERGRAPH_PATH: ${file} is not a valid composed supergraph: ${(err as Error).message}`);
  }
  const urls: Record<string, string> = {};
  for (const subgraph of supergraph.subgraphs()) {
    if (!/^https?:\/\//.test(subgraph.url))
      throw new Error(
        `SUPERGRAPH_PATH: subgraph ${subgraph.name} has no http(s) URL in join__graph ("${subgraph.url}")`,
      );
    urls[subgraph.name] = subgraph.url;
  }
  return { sdl, urls };
}

/** Without JWKS_URL a gateway in front of foreign subgraphs serves anonymous callers only. */
const refuseEveryToken: JWTVerifyGetKey = async () => {
  throw new joseErrors.JWKSNoMatchingKey('this gateway has no JWKS_URL to verify access tokens with');
};

/** <NAME>_URL: the subgraph runs elsewhere and the gateway reaches it over HTTP. */
function remoteUrl(config: Config, name: SubgraphName): string | undefined {
  return config.subgraphUrls[name];
}

export async function startPlatform(opts: PlatformOptions): Promise<Platform> {
  const { config } = opts;
  const logger = opts.logger ?? createLogger(config.LOG_LEVEL, 'gateway');
  configureSlowLogsFromConfig(config, logger);
  // SUPERGRAPH_PATH: any composed supergraph, every subgraph remote at its join__graph URL.
  const foreign = config.SUPERGRAPH_PATH ? readForeignSupergraph(config.SUPERGRAPH_PATH) : undefined;
  const remote = (name: string) => (foreign ? foreign.urls[name] : remoteUrl(config, name as SubgraphName));
  const names: string[] = foreign
    ? Object.keys(foreign.urls)
    : SUBGRAPHS.filter((n) => remoteUrl(config, n) || opts.factories[n]);
  const local = names.filter((n) => !remote(n)) as SubgraphName[];
  const cleanups: (() => Promise<void>)[] = [];
  const stopAll = async () => {
    for (const c of cleanups.reverse()) await c().catch((err) => logger.warn({ err }, 'error while stopping'));
    cleanups.length = 0;
  };

  try {
    let databaseUrl = config.DATABASE_URL;
    if (local.length > 0 && !databaseUrl) {
      const pg: EmbeddedPostgres = await startEmbeddedPostgres({
        dataDir: config.DATA_DIR,
        port: config.EMBEDDED_PG_PORT,
        logger,
      });
      cleanups.push(() => pg.stop());
      databaseUrl = pg.url;
    }
    if (local.length > 0) {
      if (opts.migrate !== false) await migrateAll(local, databaseUrl!);
      await opts.onDatabaseReady?.(databaseUrl!, logger);
    }

    const bus = await createBus(config, logger);
    cleanups.push(() => bus.close());
    const caches = createCacheFactory(config, logger);
    cleanups.push(() => caches.close());
    const modules: Platform['modules'] = {};
    // Peers in this process are called in process; the others at their URLs (looked up per call).
    const peers = { module: (name: string) => modules[name as SubgraphName], url: (name: string) => remote(name) };
    const deps: SubgraphDeps = { config, logger, databaseUrl: databaseUrl ?? '', bus, caches, peers };

    const subgraphs: Record<string, GraphQLDataSource<GatewayContext>> = {};
    const deduplicated = (name: string, ds: GraphQLDataSource<GatewayContext>) =>
      config.QUERY_DEDUPLICATION === 'on' ? new DeduplicatedSubgraph(name, ds) : ds;
    const guarded: GuardedSubgraph[] = [];
    for (const name of names) {
      const url = remote(name);
      if (url) {
        // Subgraphs outside this platform are signed for only when a secret is configured.
        const signer = foreign && !config.GATEWAY_SIGNING_SECRET ? undefined : gatewaySigner(config);
        const http = new HttpSubgraph(name, url, signer, config.SUBGRAPH_CONNECTIONS);
        cleanups.push(() => http.close());
        const guard = new GuardedSubgraph(name, http, guardOptionsFromConfig(config, logger));
        guarded.push(guard);
        subgraphs[name] = deduplicated(name, guard);
        continue;
      }
      // A domain's own role (<DOMAIN>_DATABASE_URL) when given; the database is migrated as the owner above.
      const mod = await opts.factories[name as SubgraphName]!({
        ...deps,
        databaseUrl: ownDomainDatabaseUrl(config, name) ?? deps.databaseUrl,
      });
      await mod.start();
      cleanups.push(() => mod.stop());
      modules[name as SubgraphName] = mod;
      subgraphs[name] = deduplicated(name, new InProcessSubgraph(mod, logger));
    }

    const keys =
      opts.verificationKeys ??
      tokenIssuerOf(modules)?.verificationKeys ??
      (config.JWKS_URL ? remoteKeys(config.JWKS_URL) : undefined) ??
      (foreign ? refuseEveryToken : undefined);
    if (!keys) throw new Error('users runs remotely: set JWKS_URL so the gateway can verify access tokens');
    const verifier = createTokenVerifier({ keys, issuer: config.JWT_ISSUER, audience: config.JWT_AUDIENCE });

    const issuer = tokenIssuerOf(modules);
    if (config.SEED_ADMIN_EMAIL && config.SEED_ADMIN_PASSWORD && issuer) {
      await issuer.ensureAccount({
        email: config.SEED_ADMIN_EMAIL,
        password: config.SEED_ADMIN_PASSWORD,
        name: 'Administrator',
        roles: ['admin', 'staff'],
      });
    }

    const supergraphSdl = foreign?.sdl ?? opts.supergraphSdl ?? readCommittedSupergraph();
    const features = opts.features?.({ config, logger, modules, verifier, supergraphSdl, subgraphs, deps }) ?? {};
    // Remote subgraphs' public routes (payment webhooks) through the one public entry.
    const forwarded = proxyPublicRoutes(
      names.flatMap((name) => {
        const url = remote(name);
        const paths = foreign ? undefined : subgraphDefinition(name as SubgraphName).publicPaths;
        return url && paths?.length ? [{ name, url, paths }] : [];
      }),
      logger,
    );
    const featureRoutes = features.routes;
    features.routes = (app) => {
      featureRoutes?.(app);
      forwarded(app);
    };
    const server = await startGatewayServer(
      {
        config,
        logger,
        supergraphSdl,
        subgraphs,
        verifier,
        // Only what this process cannot serve without: a remote subgraph being down degrades
        // answers (see /status) but must not take the gateway out of rotation.
        readiness: async () => {
          const checks: Record<string, boolean> = { bus: await bus.healthy() };
          for (const [name, mod] of Object.entries(modules)) checks[name] = await mod.healthy();
          return checks;
        },
        ...features,
        status: {
          subgraphs: async () => {
            const entries = await Promise.all([
              ...guarded.map(async (g) => [g.name, await g.status()] as const),
              ...Object.entries(modules).map(
                async ([name, mod]) =>
                  [name, { location: 'in-process', reachable: await mod.healthy().catch(() => false) }] as const,
              ),
            ]);
            return Object.fromEntries(
              entries.map(([name, status]) => {
                const ds = subgraphs[name];
                return [name, ds instanceof DeduplicatedSubgraph ? { ...status, deduplication: ds.stats } : status];
              }),
            );
          },
          ...features.status,
        },
      },
      config.PORT,
      config.HOST,
    );
    cleanups.push(() => server.stop());
    for (const mod of Object.values(modules)) mod?.listening?.(server.url.replace(/\/graphql$/, ''));
    const mode = local.length === names.length ? 'embedded' : local.length === 0 ? 'distributed' : 'mixed';
    logger.info({ url: server.url, mode }, 'gateway ready');
    return { url: server.url, mode, databaseUrl, modules, server, deps, stop: stopAll };
  } catch (err) {
    await stopAll();
    throw err;
  }
}
