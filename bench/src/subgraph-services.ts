// Child process for benchmarks: the three subgraphs as HTTP services on one database, as in
// distributed mode. Prints one JSON line `{ urls, env }` when ready (env: what points a gateway at
// them: <NAME>_URL, JWKS_URL, the signing secret); stops on SIGTERM.
import '@grocery/gateway/dist/telemetry-off';
import { SUBGRAPHS, startSubgraphServices } from '@grocery/gateway';
import { createLogger, loadConfig } from '@grocery/platform';

async function main(): Promise<void> {
  const config = loadConfig({ ...process.env, PORT: '0', HOST: '127.0.0.1' });
  const services = await startSubgraphServices({
    names: SUBGRAPHS,
    config,
    logger: createLogger(config.LOG_LEVEL, 'bench-subgraphs'),
    databaseUrl: config.DATABASE_URL!,
  });
  process.stdout.write(JSON.stringify({ urls: services.urls, env: services.env }) + '\n');
  process.once('SIGTERM', () => void services.stop().then(() => process.exit(0)));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
