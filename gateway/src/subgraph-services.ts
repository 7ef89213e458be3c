// Distributed mode in one process: each subgraph behind its own HTTP server, with its own
// bus and cache connections, answering only gateway-signed requests, exactly as its main.ts runs
// it. Used by tests and benchmarks (production runs one process per subgraph:
// subgraphs/<name>/dist/main.js).
import {
  createBus,
  createCacheFactory,
  createTokenVerifier,
  gatewayTrust,
  newGatewaySigningSecret,
  ownDomainDatabaseUrl,
  remoteKeys,
  serveSubgraph,
  subgraphUrlVariable,
  type Config,
  type Logger,
  type SubgraphModule,
} from '@grocery/platform';
import type { JWTVerifyGetKey } from 'jose';
import { subgraphFactories, TOKEN_ISSUERS, type SubgraphName, type TokenIssuer } from './registry';

export interface SubgraphServices {
  /** GraphQL URL of each service. */
  urls: Partial<Record<SubgraphName, string>>;
  /** The users service's JWKS URL (when users runs). */
  jwksUrl?: string;
  modules: Partial<Record<SubgraphName, SubgraphModule & Partial<TokenIssuer>>>;
  /**
   * Config env entries that point a gateway at these services (PRODUCTS_URL, …, JWKS_URL) and
   * let it call them (GATEWAY_SIGNING_SECRET).
   */
  env: Record<string, string>;
  /** Stops one service's HTTP server (its module keeps running): an outage, as callers see it. */
  stopServer(name: SubgraphName): Promise<void>;
  /** Serves a stopped service again on the same port. */
  restartServer(name: SubgraphName): Promise<void>;
  stop(): Promise<void>;
}

export async function startSubgraphServices(opts: {
  names: readonly SubgraphName[];
  /** Without GATEWAY_SIGNING_SECRET, a fresh one is made for these services (returned in `env`). */
  config: Config;
  logger: Logger;
  /** Each service connects with its own <DOMAIN>_DATABASE_URL from config when set, else this. */
  databaseUrl: string;
  /** Keys that verify access tokens; default: the users service's JWKS. */
  verificationKeys?: JWTVerifyGetKey;
}): Promise<SubgraphServices> {
  const { logger } = opts;
  const secret = opts.config.GATEWAY_SIGNING_SECRET ?? newGatewaySigningSecret();
  const config: Config = { ...opts.config, GATEWAY_SIGNING_SECRET: secret };
  const trust = gatewayTrust(config, 'subgraph services');
  const servers = new Map<SubgraphName, { stop(): Promise<void> } | undefined>();
  const serve = new Map<SubgraphName, () => Promise<{ url: string; stop(): Promise<void> }>>();
  const result: SubgraphServices = {
    urls: {},
    modules: {},
    env: { GATEWAY_SIGNING_SECRET: secret },
    async stopServer(name) {
      const server = servers.get(name);
      servers.set(name, undefined);
      await server?.stop();
    },
    async restartServer(name) {
      if (servers.get(name)) return;
      servers.set(name, await serve.get(name)!());
    },
    stop: async () => undefined,
  };
  const stops: (() => Promise<void>)[] = [];
  result.stop = async () => {
    for (const s of stops.reverse()) await s().catch((err) => logger.warn({ err }, 'stopping a subgraph service'));
  };
  let keys = opts.verificationKeys;
  // The token issuer (users) first: the others verify tokens with its keys.
  const issues = (n: SubgraphName) => Number(TOKEN_ISSUERS.includes(n));
  const order = [...opts.names].sort((a, b) => issues(b) - issues(a));
  try {
    for (const name of order) {
      const bus = await createBus(config, logger);
      const caches = createCacheFactory(config, logger);
      const databaseUrl = ownDomainDatabaseUrl(config, name) ?? opts.databaseUrl;
      // Each service calls the others over HTTP, signed, as in production (URLs known once all listen).
      const peers = { module: () => undefined, url: (peer: string) => result.urls[peer as SubgraphName] };
      const mod = await subgraphFactories[name]({ config, logger, databaseUrl, bus, caches, peers });
      await mod.start();
      const verificationKeys = keys ?? mod.verificationKeys;
      if (!verificationKeys) throw new Error('start the users service first, or pass verificationKeys');
      const verifier = createTokenVerifier({
        keys: verificationKeys,
        issuer: config.JWT_ISSUER,
        audience: config.JWT_AUDIENCE,
      });
      const listen = (port: number) =>
        serveSubgraph(mod, {
          port,
          host: '127.0.0.1',
          logger,
          maxBodyBytes: config.MAX_BODY_BYTES,
          trust,
          routes: mod.routes,
          verifier,
          metrics: config.METRICS === 'on',
        });
      const server = await listen(0);
      servers.set(name, server);
      serve.set(name, () => listen(Number(new URL(server.url).port)));
      stops.push(async () => {
        await servers.get(name)?.stop();
        await mod.stop();
        await caches.close();
        await bus.close();
      });
      result.modules[name] = mod;
      result.urls[name] = server.url;
      result.env[subgraphUrlVariable(name)] = server.url;
      if (TOKEN_ISSUERS.includes(name)) {
        result.jwksUrl = server.url.replace(/\/graphql$/, '/.well-known/jwks.json');
        result.env.JWKS_URL = result.jwksUrl;
        keys ??= remoteKeys(result.jwksUrl);
      }
    }
    return result;
  } catch (err) {
    await result.stop();
    throw err;
  }
}
