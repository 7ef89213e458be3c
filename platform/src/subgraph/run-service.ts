// Distributed mode entry point shared by every subgraph's main.ts: config, the gateway's
// signing secret, migrations of its own schema, bus, cache, the module, its HTTP server, and a
// clean stop on SIGINT/SIGTERM.
import type { JWTVerifyGetKey } from 'jose';
import { gatewayTrust } from '../auth/gateway-signature';
import { createTokenVerifier, remoteKeys } from '../auth/token-verifier';
import { createCacheFactory } from '../cache';
import { loadConfig, type Config } from '../config';
import { migrateDomain } from '../db/migrate';
import { createBus } from '../events';
import { createLogger } from '../logger';
import type { SubgraphDeps, SubgraphModule } from './module';
import { serveSubgraph } from './serve';

export async function runSubgraphService<M extends SubgraphModule>(opts: {
  name: string;
  defaultPort: number;
  create: (deps: SubgraphDeps) => Promise<M>;
  /** Where access-token keys come from; default JWKS_URL. */
  keys?: (module: M) => JWTVerifyGetKey;
  /** Runs once the module has started, before the server listens (e.g. SEED_ADMIN_* for users). */
  onStarted?: (module: M, config: Config) => Promise<void>;
}): Promise<void> {
  const config = loadConfig({ PORT: String(opts.defaultPort), ...process.env });
  const logger = createLogger(config.LOG_LEVEL, opts.name);
  // Before anything else: a service that would answer anyone must not come up by accident.
  const trust = gatewayTrust(config, opts.name);
  if (trust === 'allow-unsigned')
    logger.warn('SUBGRAPH_ALLOW_UNSIGNED=true: this service answers anyone who can reach it (development only)');
  if (!config.DATABASE_URL) throw new Error(`${opts.name}: DATABASE_URL is required in distributed mode`);
  await migrateDomain(opts.name, config.DATABASE_URL);
  const bus = await createBus(config, logger);
  const caches = createCacheFactory(config, logger);
  const module = await opts.create({ config, logger, databaseUrl: config.DATABASE_URL, bus, caches });
  await module.start();
  await opts.onStarted?.(module, config);
  const keys = opts.keys?.(module) ?? (config.JWKS_URL ? remoteKeys(config.JWKS_URL) : undefined);
  if (!keys) throw new Error(`${opts.name}: set JWKS_URL (the users service's /.well-known/jwks.json)`);
  const server = await serveSubgraph(module, {
    port: config.PORT,
    host: config.HOST,
    logger,
    maxBodyBytes: config.MAX_BODY_BYTES,
    trust,
    verifier: createTokenVerifier({ keys, issuer: config.JWT_ISSUER, audience: config.JWT_AUDIENCE }),
    routes: module.routes,
  });
  logger.info({ url: server.url }, `${opts.name} subgraph ready`);
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping');
    await server.stop();
    await module.stop();
    await caches.close();
    await bus.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
}
