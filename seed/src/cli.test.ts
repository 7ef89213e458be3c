// The seed CLI as the README runs it: `pnpm seed -- --skus N` runs `node seed/dist/cli.js -- --skus N`
// (pnpm hands the "--" through), against a migrated test database.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { createTestDatabase, type TestDatabase } from '@grocery/platform/testing';
import { Client } from 'pg';

const run = promisify(execFile);
const CLI = path.join(__dirname, '..', 'dist', 'cli.js');

describe('seed CLI', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db?.drop());

  const seed = (args: string[]) =>
    run(process.execPath, [CLI, ...args], { env: { ...process.env, DATABASE_URL: db.url }, timeout: 60_000 });

  it('accepts the arguments pnpm passes after "--"', async () => {
    await seed(['--', '--skus', '30']);
    const client = new Client({ connectionString: db.url });
    await client.connect();
    try {
      const { rows } = await client.query('SELECT count(*)::int AS n FROM products.product');
      expect(rows[0].n).toBe(30);
    } finally {
      await client.end();
    }
  });

  it('refuses an unknown argument with usage and exit code 2', async () => {
    await expect(seed(['--skus', '30', '--colour', 'red'])).rejects.toMatchObject({ code: 2 });
  });
});
