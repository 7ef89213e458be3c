// Distributed mode entry point shared by every subgraph's main.ts: config, the gateway's
// signing secret, migrations of its own schema (or, on its own domain role, a check that the
// owner applied them), bus, cache, the module, its HTTP server, and a clean stop on SIGINT/SIGTERM.
import { gatewayTrust } from '../auth/gateway-signature';
import { createTokenVerifier, remoteKeys } from '../auth/token-verifier';
import { createCacheFactory } from '../cache';
import { domainDatabaseUrl, domainDatabaseUrlVariable, loadConfig, ownDomainDatabaseUrl } from '../config';
import { migrateDomain } from '../db/migrate';
import { assertMigrated } from '../db/migration-status';
import { createBus } from '../events';
import { createLogger } from '../logger';
import { configureSlowLogsFromConfig, startTracingFromConfig } from '../tracing/from-config';
import type { SubgraphDefinition, SubgraphModule } from './module';
import { serveSubgraph } from './serve';

export async function runSubgraphService<M extends SubgraphModule>(opts: SubgraphDefinition<string, M>): Promise<void> {
  const config = loadConfig({ PORT: String(opts.defaultPort), ...process.env });
  const logger = createLogger(config.LOG_LEVEL, opts.name);
  configureSlowLogsFromConfig(config, logger);
  const tracing = await startTracingFromConfig(config, opts.name, logger);
  // Before anything else: a service that would answer anyone must not come up by accident.
  const trust = gatewayTrust(config, opts.name);
  if (trust === 'allow-unsigned')
    logger.warn('SUBGRAPH_ALLOW_UNSIGNED=true: this service answers anyone who can reach it (development only)');
  const databaseUrl = domainDatabaseUrl(config, opts.name);
  if (!databaseUrl)
    throw new Error(`${opts.name}: set ${domainDatabaseUrlVariable(opts.name)} or DATABASE_URL (distributed mode)`);
  // On its own role the service may not change its schema: the owner migrated it (pnpm db:roles).
  if (ownDomainDatabaseUrl(config, opts.name)) await assertMigrated(opts.name, databaseUrl);
  else await migrateDomain(opts.name, databaseUrl);
  const bus = await createBus(config, logger);
  const caches = createCacheFactory(config, logger);
  const peers = { module: () => undefined, url: (name: string) => config.peerUrls[name] };
  const module = await opts.create({ config, logger, databaseUrl, bus, caches, peers });
  await module.start();
  await opts.onServiceStarted?.(module, config);
  const keys = opts.serviceKeys?.(module) ?? (config.JWKS_URL ? remoteKeys(config.JWKS_URL) : undefined);
  if (!keys) throw new Error(`${opts.name}: set JWKS_URL (the users service's /.well-known/jwks.json)`);
  const server = await serveSubgraph(module, {
    port: config.PORT,
    host: config.HOST,
    logger,
    maxBodyBytes: config.MAX_BODY_BYTES,
    trust,
    verifier: createTokenVerifier({ keys, issuer: config.JWT_ISSUER, audience: config.JWT_AUDIENCE }),
    routes: module.routes,
    metrics: config.METRICS === 'on',
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
    await tracing.shutdown().catch((err: unknown) => logger.warn({ err }, 'flushing traces failed'));
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
}
