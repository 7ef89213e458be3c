import path from 'node:path';
import { defineConfig } from 'prisma/config';
import { PrismaPg } from '@prisma/adapter-pg';

// The WebAssembly engine + pg driver adapter: Prisma works offline with no native engine download.
const schema = 'delivery';
export default defineConfig({
  experimental: { adapter: true },
  engine: 'js',
  schema: path.join(__dirname, 'schema.prisma'),
  migrations: { path: path.join(__dirname, 'migrations') },
  adapter: async () =>
    new PrismaPg(
      { connectionString: process.env.DATABASE_URL, allowExitOnIdle: true, options: `-c search_path=${schema},public` },
      { schema },
    ),
});
