// Child process for benchmarks: the three subgraphs as HTTP services on one database, as in
// distributed mode. Prints one JSON line `{ urls, jwksUrl }` when ready; stops on SIGTERM.
import '@grocery/gateway/dist/telemetry-off';
import { SUBGRAPHS, subgraphFactories } from '@grocery/gateway';
import {
  createBus,
  createCacheFactory,
  createLogger,
  createTokenVerifier,
  loadConfig,
  serveSubgraph,
} from '@grocery/platform';
import type { JWTVerifyGetKey } from 'jose';

async function main(): Promise<void> {
  const config = loadConfig({ ...process.env, PORT: '0', HOST: '127.0.0.1' });
  const logger = createLogger(config.LOG_LEVEL, 'bench-subgraphs');
  const urls: Record<string, string> = {};
  const stops: (() => Promise<void>)[] = [];
  let keys: JWTVerifyGetKey | undefined;
  for (const name of ['users', ...SUBGRAPHS.filter((n) => n !== 'users')] as const) {
    const bus = await createBus(config, logger);
    const caches = createCacheFactory(config, logger);
    const mod = await subgraphFactories[name]({ config, logger, databaseUrl: config.DATABASE_URL!, bus, caches });
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
    stops.push(async () => {
      await server.stop();
      await mod.stop();
      await caches.close();
      await bus.close();
    });
  }
  process.stdout.write(
    JSON.stringify({ urls, jwksUrl: urls.users.replace(/\/graphql$/, '/.well-known/jwks.json') }) + '\n',
  );
  process.once('SIGTERM', async () => {
    for (const s of stops) await s().catch(() => undefined);
    process.exit(0);
  });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
