// `pnpm ops …`: what an operator does to a running platform, on its databases.
//   pnpm ops dead-letters [--consumer C] [--all] [--json]   list events consumers gave up on
//   pnpm ops dead-letters replay <id…> | --all [--consumer C]  run them again (in the consumer's process)
//   pnpm ops dead-letters discard <id…> | --all [--consumer C] mark them dealt with by hand
//   pnpm ops rebuild <projection…> | all                     rebuild projections from their source
// Each domain's database is <DOMAIN>_DATABASE_URL, else DATABASE_URL, else the embedded
// PostgreSQL of a platform running on this machine (EMBEDDED_PG_PORT).
import './telemetry-off';
import {
  ConfigError,
  discardDeadLetters,
  listDeadLetters,
  loadConfig,
  ownDomainDatabaseUrl,
  requestReplay,
  type Config,
  type DeadLetterSelection,
  type RunSql,
} from '@grocery/platform';
import { Client } from 'pg';
import { PROJECTIONS, rebuildProjection, type ProjectionName } from './ops/rebuild';
import { SUBGRAPHS } from './registry';

class UsageError extends Error {}

const USAGE = `usage:
  pnpm ops dead-letters [list] [--consumer <group>] [--all] [--json]
  pnpm ops dead-letters replay (<id>… | --all [--consumer <group>])
  pnpm ops dead-letters discard (<id>… | --all [--consumer <group>])
  pnpm ops rebuild (${PROJECTIONS.join(' | ')} | all)…`;

export function databaseUrlFor(config: Config, domain: string): string {
  return (
    ownDomainDatabaseUrl(config, domain) ??
    config.DATABASE_URL ??
    `postgresql://postgres:postgres@127.0.0.1:${config.EMBEDDED_PG_PORT}/grocery`
  );
}

async function withClient<T>(url: string, work: (run: RunSql, client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  try {
    await client.connect();
  } catch (err) {
    throw new Error(
      `cannot reach the database at ${url.replace(/\/\/[^@]*@/, '//…@')}: ${(err as Error).message}. ` +
        `Set DATABASE_URL (or <DOMAIN>_DATABASE_URL), or start the platform (pnpm start) for its embedded database.`,
    );
  }
  try {
    return await work(async (sql, params) => (await client.query(sql, params)).rows, client);
  } finally {
    await client.end();
  }
}

/** Domains whose schema has a dead_letter_event table (those with durable consumers). */
async function domainsWithDeadLetters(config: Config): Promise<{ domain: string; url: string }[]> {
  const found: { domain: string; url: string }[] = [];
  for (const name of SUBGRAPHS) {
    const url = databaseUrlFor(config, name);
    const has = await withClient(url, async (run) => {
      const [row] = await run<{ t: string | null }>(`SELECT to_regclass($1)::text AS t`, [
        `"${name}"."dead_letter_event"`,
      ]);
      return row?.t != null;
    });
    if (has) found.push({ domain: name, url });
  }
  return found;
}

function flag(args: string[], name: string): boolean {
  const i = args.indexOf(name);
  if (i < 0) return false;
  args.splice(i, 1);
  return true;
}

function option(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  if (i < 0) return undefined;
  const value = args[i + 1];
  if (!value || value.startsWith('--')) throw new UsageError(`${name} needs a value`);
  args.splice(i, 2);
  return value;
}

async function deadLetters(config: Config, args: string[]): Promise<void> {
  const action = ['list', 'replay', 'discard'].includes(args[0] ?? '') ? args.shift()! : 'list';
  const consumer = option(args, '--consumer');
  const all = flag(args, '--all');
  const json = flag(args, '--json');
  const unknown = args.find((a) => a.startsWith('--'));
  if (unknown) throw new UsageError(`unknown option ${unknown}`);
  const domains = await domainsWithDeadLetters(config);

  if (action === 'list') {
    if (args.length > 0) throw new UsageError(`unexpected ${args.join(' ')}`);
    const rows = [];
    for (const { domain, url } of domains)
      for (const r of await withClient(url, (run) =>
        listDeadLetters(run, domain, { consumer, includeResolved: all, first: 1_000 }),
      ))
        rows.push({ domain, ...r });
    if (json) {
      console.log(JSON.stringify(rows, null, 2));
      return;
    }
    if (rows.length === 0) {
      console.log(all ? 'No dead letters.' : 'No unresolved dead letters.');
      return;
    }
    for (const r of rows)
      console.log(
        [
          r.id,
          `${r.domain}/${r.consumer}`,
          `${r.type} ${r.subject}`,
          `event ${r.eventId}`,
          `${r.attempts} attempts, last ${new Date(r.failedAt).toISOString()}`,
          r.resolvedAt
            ? `${r.resolution} ${new Date(r.resolvedAt).toISOString()}`
            : r.replayRequestedAt
              ? 'replay requested'
              : 'waiting',
          r.error,
        ].join('  |  '),
      );
    return;
  }

  if (all === args.length > 0) throw new UsageError(`${action} takes ids, or --all (optionally with --consumer)`);
  const selection: DeadLetterSelection = all ? { all: true, consumer } : { ids: args };
  let done = 0;
  for (const { domain, url } of domains) {
    const ids = await withClient(url, (run) =>
      action === 'replay' ? requestReplay(run, domain, selection) : discardDeadLetters(run, domain, selection),
    );
    for (const id of ids) console.log(`${action === 'replay' ? 'replay requested' : 'discarded'}: ${domain} ${id}`);
    done += ids.length;
  }
  if (done === 0) throw new UsageError('no unresolved dead letter matched');
  if (action === 'replay')
    console.log('The consumer’s process runs them within a few seconds; list again to see the outcome.');
}

async function rebuild(config: Config, args: string[]): Promise<void> {
  if (args.length === 0) throw new UsageError('name a projection to rebuild');
  const names = args.includes('all') ? [...PROJECTIONS] : args;
  for (const name of names)
    if (!PROJECTIONS.includes(name as ProjectionName)) throw new UsageError(`no projection called ${name}`);
  for (const name of names as ProjectionName[]) {
    const started = Date.now();
    const summary = await rebuildProjection(name, {
      config,
      databaseUrl: (domain) => databaseUrlFor(config, domain),
      progress: (line) => console.log(`  ${line}`),
    });
    console.log(`${name}: ${summary} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  }
}

async function main(argv: string[]): Promise<void> {
  const args = argv.filter((a) => a !== '--'); // pnpm passes its separator through
  const command = args.shift();
  const config = loadConfig(process.env, { subgraphs: SUBGRAPHS });
  if (command === 'dead-letters') return deadLetters(config, args);
  if (command === 'rebuild') return rebuild(config, args);
  throw new UsageError(command ? `unknown command ${command}` : 'name a command');
}

main(process.argv.slice(2)).catch((err: unknown) => {
  if (err instanceof UsageError) console.error(`${err.message}\n${USAGE}`);
  else if (err instanceof ConfigError || err instanceof Error) console.error(err.message);
  else console.error(err);
  process.exit(err instanceof UsageError ? 2 : 1);
});
