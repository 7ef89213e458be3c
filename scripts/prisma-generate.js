#!/usr/bin/env node
// `prisma generate` for one domain. Prisma's CLI wants DATABASE_URL set even to generate
// (with it unset it tries to download a native engine); generating never connects, so a
// placeholder is enough when none is configured.
const { execFileSync } = require('node:child_process');
const path = require('node:path');

const domain = process.argv[2];
if (!domain) {
  console.error('usage: prisma-generate.js <domain>');
  process.exit(2);
}
const root = path.resolve(__dirname, '..');
const cli = require.resolve('prisma/build/index.js', { paths: [root] });
execFileSync(process.execPath, [cli, 'generate', '--config', path.join(root, 'prisma', domain, 'prisma.config.ts')], {
  stdio: ['ignore', 'ignore', 'inherit'],
  env: {
    ...process.env,
    DATABASE_URL: process.env.DATABASE_URL || 'postgresql://localhost/unused',
    CHECKPOINT_DISABLE: '1',
    PRISMA_HIDE_UPDATE_MESSAGE: '1',
  },
});
