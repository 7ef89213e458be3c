#!/usr/bin/env node
// Seeds a migrated database: node seed/dist/cli.js --skus 50000 [--seed 1], DATABASE_URL from env.
// Exit codes: 0 done, 1 the load failed, 2 bad arguments or configuration.
import { parseArgs } from 'node:util';
import { loadConfig } from '@grocery/platform';
import { Presets, SingleBar } from 'cli-progress';
import { catalogCapacity } from './catalog';
import { loadSeed } from './load';

const USAGE = 'usage: DATABASE_URL=postgresql://... node seed/dist/cli.js --skus <count> [--seed <integer>]';

function fail(message: string, code: number): never {
  process.stderr.write(`${message}\n`);
  process.exit(code);
}

function integerOption(name: string, raw: string | undefined, fallback: number | undefined, min: number): number {
  if (raw === undefined) {
    if (fallback === undefined) fail(`--${name} is required\n${USAGE}`, 2);
    return fallback;
  }
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < min)
    fail(`--${name} must be an integer >= ${min}, got "${raw}"\n${USAGE}`, 2);
  return value;
}

async function main(): Promise<void> {
  let args;
  try {
    args = parseArgs({
      // `pnpm seed -- --skus 50000` hands us the "--" too; parseArgs would treat all after it as positionals.
      args: process.argv.slice(2).filter((a, i) => !(i === 0 && a === '--')),
      options: { skus: { type: 'string' }, seed: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    }).values;
  } catch (err) {
    fail(`${(err as Error).message}\n${USAGE}`, 2);
  }
  if (args.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const skus = integerOption('skus', args.skus, undefined, 0);
  const seed = integerOption('seed', args.seed, 1, 0);
  if (skus > catalogCapacity())
    fail(`--skus must be at most ${catalogCapacity()} (the assortment's distinct products)`, 2);

  let databaseUrl: string | undefined;
  try {
    databaseUrl = loadConfig().DATABASE_URL;
  } catch (err) {
    fail((err as Error).message, 2);
  }
  if (!databaseUrl) fail(`DATABASE_URL is not set: point it at a migrated PostgreSQL database.\n${USAGE}`, 2);

  const bar = new SingleBar(
    {
      stream: process.stderr,
      format: 'seeding [{bar}] {percentage}% | {value}/{total} rows | {duration}s',
      hideCursor: true,
    },
    Presets.shades_classic,
  );
  bar.start(1, 0);
  try {
    const result = await loadSeed({
      databaseUrl,
      skus,
      seed,
      onProgress: (done, total) => {
        bar.setTotal(total);
        bar.update(done);
      },
    });
    bar.stop();
    const { generated: g, inserted: i } = result;
    const n = (x: number) => x.toLocaleString('en-US');
    process.stdout.write(
      `Seeded ${n(g.products)} products, ${n(g.categories)} categories, ${n(g.locations)} locations, ` +
        `${n(g.stockLevels)} stock levels, ${n(g.promotions)} promotions and ${n(g.bundles)} bundles (seed ${seed}) in ${(result.elapsedMs / 1000).toFixed(1)} s.\n` +
        `New rows: ${n(i.products)} products, ${n(i.categories)} categories, ${n(i.locations)} locations, ` +
        `${n(i.stockLevels)} stock levels, ${n(i.promotions)} promotions, ${n(i.bundles)} bundles.\n`,
    );
  } catch (err) {
    bar.stop();
    fail(`seeding failed: ${(err as Error).message}`, 1);
  }
}

void main();
