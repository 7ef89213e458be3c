#!/usr/bin/env node
// `prisma generate` for one domain. Prisma's CLI wants DATABASE_URL set even to generate
// (with it unset it tries to download a native engine); generating never connects, so a
// placeholder is enough when none is configured.
//
// turbo may run a package's build and typecheck at once, and both generate: two generators
// writing one folder delete each other's files. So one generation at a time per domain (a lock
// directory), and none at all when the client on disk was made from this very schema.
const { execFileSync } = require('node:child_process');
const { createHash } = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const domain = process.argv[2];
if (!domain) {
  console.error('usage: prisma-generate.js <domain>');
  process.exit(2);
}
const root = path.resolve(__dirname, '..');
const cli = require.resolve('prisma/build/index.js', { paths: [root] });
const schemaFile = path.join(root, 'prisma', domain, 'schema.prisma');
const output = path.join(root, 'subgraphs', domain, 'src', 'data', 'generated');
const stamp = path.join(output, '.schema-hash');
const lock = path.join(root, 'node_modules', '.cache', `prisma-generate-${domain}.lock`);
const STALE_LOCK_MS = 120_000;

const prismaVersion = require(require.resolve('prisma/package.json', { paths: [root] })).version;
const hash = createHash('sha256').update(prismaVersion).update('\0').update(fs.readFileSync(schemaFile)).digest('hex');
const current = () => fs.existsSync(stamp) && fs.readFileSync(stamp, 'utf8') === hash;

function acquire() {
  fs.mkdirSync(path.dirname(lock), { recursive: true });
  for (;;) {
    try {
      fs.mkdirSync(lock);
      return;
    } catch (err) {
      if (err.code !== 'EEXIST') throw err;
      // A generator that crashed leaves its lock behind: take it over once it is clearly stale.
      const age = Date.now() - (fs.statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (age > STALE_LOCK_MS) fs.rmSync(lock, { recursive: true, force: true });
      else Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100);
    }
  }
}

if (!current()) {
  acquire();
  try {
    if (!current()) {
      execFileSync(
        process.execPath,
        [cli, 'generate', '--config', path.join(root, 'prisma', domain, 'prisma.config.ts')],
        {
          stdio: ['ignore', 'ignore', 'inherit'],
          env: {
            ...process.env,
            DATABASE_URL: process.env.DATABASE_URL || 'postgresql://localhost/unused',
            CHECKPOINT_DISABLE: '1',
            PRISMA_HIDE_UPDATE_MESSAGE: '1',
          },
        },
      );
      fs.writeFileSync(stamp, hash);
    }
  } finally {
    fs.rmSync(lock, { recursive: true, force: true });
  }
}
