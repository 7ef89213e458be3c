// docker-compose.yml and deploy/compose.env against the code: every service that runs our code
// gets a configuration loadConfig accepts and what its process needs at start; every subgraph in
// gateway/src/registry.ts has its own service on its port, which the gateway reaches; jobs and
// dependencies are ordered by health. A subgraph added to the registry without its compose
// service fails here. No Docker engine needed: the file is read the way Compose reads it (YAML
// merge keys, env_file, environment, ${VAR} interpolation from `--env-file deploy/compose.env`).
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { SUBGRAPH_DEFINITIONS, SUBGRAPHS } from '../../gateway/src/registry';
import { gatewayTrust } from '../../platform/src/auth/gateway-signature';
import {
  domainDatabaseUrlVariable,
  loadConfig,
  ownDomainDatabaseUrl,
  subgraphUrlVariable,
  type Config,
} from '../../platform/src/config';
import { domainsWithMigrations } from '../../platform/src/db/migrate';

const root = path.resolve(__dirname, '..', '..');
const COMPOSE_FILE = 'docker-compose.yml';
const ENV_FILE = 'deploy/compose.env';

type Env = Record<string, string>;
interface Service {
  image?: string;
  build?: unknown;
  command?: string | string[];
  env_file?: string | string[];
  environment?: Record<string, unknown> | string[];
  healthcheck?: { test?: string | string[]; disable?: boolean };
  depends_on?: Record<string, { condition?: string }> | string[];
  restart?: string;
  read_only?: boolean;
  tmpfs?: string | string[];
  ports?: (string | number | { target?: number; published?: number | string })[];
}
interface ComposeFile {
  services: Record<string, Service>;
  [key: string]: unknown;
}

/** An env file as Compose reads it: KEY=value lines, # comments. */
function parseEnvFile(file: string): Env {
  const env: Env = {};
  readFileSync(path.join(root, file), 'utf8')
    .split('\n')
    .forEach((raw, i) => {
      const line = raw.trim();
      if (line === '' || line.startsWith('#')) return;
      const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
      if (!m) throw new Error(`${file}:${i + 1}: not a KEY=value line: ${raw}`);
      const [, key, value] = m as unknown as [string, string, string];
      // Compose v1 keeps quotes and $ literally, v2 strips and interpolates them: allow neither.
      if (/^["']|\$/.test(value)) throw new Error(`${file}:${i + 1}: ${key}: no quotes or $ (Compose versions differ)`);
      if (key in env) throw new Error(`${file}:${i + 1}: ${key} is set twice`);
      env[key] = value;
    });
  return env;
}

/**
 * Compose's interpolation of one value: $$, $VAR, ${VAR}, ${VAR:-default}, ${VAR-default},
 * ${VAR:?error}, ${VAR?error}. Stricter than Compose: an unset variable without a default throws
 * (Compose would warn and use an empty string).
 */
function interpolate(value: string, vars: Env, where: string): string {
  return value.replace(
    /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g,
    (match, braced?: string, op?: string, arg?: string, bare?: string) => {
      if (match === '$$') return '$';
      const name = (braced ?? bare)!;
      const v = vars[name];
      const missing = op?.startsWith(':') ? !v : v === undefined;
      if (!missing) return v!;
      if (op === ':-' || op === '-') return arg ?? '';
      if (op === ':?' || op === '?') throw new Error(`${where}: ${name} is not set (${arg})`);
      throw new Error(`${where}: ${name} is not set in ${ENV_FILE} and has no default`);
    },
  );
}

function interpolateAll<T>(node: T, vars: Env, where: string): T {
  if (typeof node === 'string') return interpolate(node, vars, where) as T;
  if (Array.isArray(node)) return node.map((n, i) => interpolateAll(n, vars, `${where}[${i}]`)) as T;
  if (node && typeof node === 'object')
    return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, interpolateAll(v, vars, `${where}.${k}`)])) as T;
  return node;
}

function readCompose(): { compose: ComposeFile; vars: Env } {
  const vars = parseEnvFile(ENV_FILE);
  const raw = parse(readFileSync(path.join(root, COMPOSE_FILE), 'utf8'), { merge: true }) as ComposeFile;
  return { compose: interpolateAll(raw, vars, COMPOSE_FILE), vars };
}

const list = (v: string | string[] | undefined): string[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
const commandOf = (s: Service): string[] =>
  typeof s.command === 'string' ? s.command.split(/\s+/) : (s.command ?? []);
/** The script a `node <script> …` command runs. */
const scriptOf = (s: Service): string | undefined => {
  const [bin, script] = commandOf(s);
  return bin === 'node' ? script : undefined;
};

/** What a service's process sees: its env files, then its `environment` over them. */
function envOf(name: string, s: Service): Env {
  const env: Env = {};
  for (const file of list(s.env_file)) Object.assign(env, parseEnvFile(file));
  const entries: [string, unknown][] = Array.isArray(s.environment)
    ? s.environment.map((e): [string, unknown] => {
        const i = e.indexOf('=');
        return i < 0 ? [e, null] : [e.slice(0, i), e.slice(i + 1)];
      })
    : Object.entries(s.environment ?? {});
  for (const [key, value] of entries) {
    if (value === null || value === undefined || typeof value === 'object')
      throw new Error(`${name}: environment ${key} has no value (it would come from the shell)`);
    env[key] = String(value);
  }
  return env;
}

function dependsOn(s: Service): Record<string, string | undefined> {
  if (Array.isArray(s.depends_on)) return Object.fromEntries(s.depends_on.map((d) => [d, undefined]));
  return Object.fromEntries(Object.entries(s.depends_on ?? {}).map(([d, v]) => [d, v?.condition]));
}

const isJob = (s: Service) => s.restart === 'no';
const healthTest = (s: Service) => list(s.healthcheck?.test).join(' ');
const publishes = (s: Service, port: number) =>
  (s.ports ?? []).some((p) =>
    typeof p === 'object' ? Number(p.target) === port : String(p).split(':').pop() === String(port),
  );
const same = (a: string | undefined, b: string | undefined) => a !== undefined && a === b;

/** Every way docker-compose.yml disagrees with the code, as sentences (none: it agrees). */
function composeProblems(compose: ComposeFile): string[] {
  const problems: string[] = [];
  const services = compose.services ?? {};
  const appImage = (compose['x-app'] as Service | undefined)?.image;
  if (!appImage) return ['x-app: no image (the one image every process of ours runs)'];
  const ours = Object.entries(services).filter(([, s]) => s.image === appImage);
  const configs = new Map<string, Config>();
  const envs = new Map<string, Env>();
  const load = (name: string, env: Env, subgraphs?: readonly string[]) => {
    try {
      const config = loadConfig(env, { subgraphs });
      configs.set(name, config);
      return config;
    } catch (err) {
      problems.push(`${name}: ${(err as Error).message}`);
      return undefined;
    }
  };

  // Health and order: every long-running service reports health, every dependency waits for it.
  for (const [name, s] of Object.entries(services)) {
    if (!isJob(s) && (!s.healthcheck?.test || s.healthcheck.disable)) problems.push(`${name}: no healthcheck`);
    for (const [dep, condition] of Object.entries(dependsOn(s))) {
      const target = services[dep];
      if (!target) problems.push(`${name}: depends on ${dep}, which is not a service`);
      else if (condition !== (isJob(target) ? 'service_completed_successfully' : 'service_healthy'))
        problems.push(`${name}: depends on ${dep} with condition ${condition ?? '(none)'}`);
    }
  }
  const postgres = Object.entries(services).find(([, s]) => /^postgres:/.test(s.image ?? ''));
  // Prisma 6's migrate engine crashes on PostgreSQL 18 (MACHINE-NOTES.md); 15 and 16 are the tested majors.
  if (!postgres || !/^postgres:1[56]([.-]|$)/.test(postgres[1].image!))
    problems.push(`postgres: image ${postgres?.[1].image ?? '(none)'}, want postgres:16 or postgres:15`);

  // Our processes: a command this test knows, a script that exists, a read-only root with /tmp.
  for (const [name, s] of ours) {
    const script = scriptOf(s);
    if (!script) {
      problems.push(`${name}: command ${commandOf(s).join(' ') || '(none)'} is not \`node <script>\``);
      continue;
    }
    const source = path.join(root, script.replace('/dist/', '/src/').replace(/\.js$/, '.ts'));
    if (!existsSync(source))
      problems.push(`${name}: runs ${script}, but ${path.relative(root, source)} does not exist`);
    if (s.read_only !== true) problems.push(`${name}: not read_only`);
    if (!list(s.tmpfs).some((t) => t.split(':')[0] === '/tmp')) problems.push(`${name}: no tmpfs on /tmp`);
    try {
      envs.set(name, envOf(name, s));
    } catch (err) {
      problems.push((err as Error).message);
    }
  }

  // Each registered subgraph: one service runs it, on its port, signed, on its own role.
  const subgraphService = new Map<string, string>();
  for (const d of SUBGRAPH_DEFINITIONS) {
    const runners = ours.filter(([, s]) => scriptOf(s) === `subgraphs/${d.name}/dist/main.js`).map(([n]) => n);
    if (runners.length !== 1) {
      problems.push(
        `subgraph ${d.name}: ${runners.length === 0 ? 'no service runs' : `${runners.join(', ')} all run`} ` +
          `node subgraphs/${d.name}/dist/main.js (add one service for it to ${COMPOSE_FILE})`,
      );
      continue;
    }
    const name = runners[0]!;
    subgraphService.set(d.name, name);
    const env = envs.get(name);
    if (!env) continue;
    // As runSubgraphService reads it: its default port unless PORT says otherwise.
    const config = load(name, { PORT: String(d.defaultPort), ...env });
    if (!config) continue;
    if (config.PORT !== d.defaultPort)
      problems.push(`${name}: listens on ${config.PORT}, ${d.name} is on ${d.defaultPort}`);
    if (!healthTest(services[name]!).includes(`:${d.defaultPort}/readyz`))
      problems.push(`${name}: its healthcheck does not ask :${d.defaultPort}/readyz`);
    try {
      if (gatewayTrust(config, d.name) === 'allow-unsigned') problems.push(`${name}: answers unsigned requests`);
    } catch (err) {
      problems.push(`${name}: ${(err as Error).message}`);
    }
    if (!ownDomainDatabaseUrl(config, d.name))
      problems.push(`${name}: no ${domainDatabaseUrlVariable(d.name)} (each service on its own role)`);
    if (!('issuesTokens' in d && d.issuesTokens) && !config.JWKS_URL) problems.push(`${name}: no JWKS_URL`);
    if ('issuesTokens' in d && d.issuesTokens && !config.SIGNING_KEY_ENCRYPTION_KEY)
      problems.push(`${name}: no SIGNING_KEY_ENCRYPTION_KEY (else it writes a key under DATA_DIR, read-only here)`);
    if (dependsOn(services[name]!)['migrate'] !== 'service_completed_successfully')
      problems.push(`${name}: does not wait for the migrate job`);
  }
  const registered = new Set<string>(SUBGRAPHS);
  for (const [name, s] of ours) {
    const m = /^subgraphs\/([a-z]+)\/dist\/main\.js$/.exec(scriptOf(s) ?? '');
    if (m && !registered.has(m[1]!)) problems.push(`${name}: runs subgraph ${m[1]}, which is not in the registry`);
  }

  // The gateway: every subgraph at http://<service>:<port>/graphql, the same signing secret, port 4000 published.
  const gateways = ours.filter(([, s]) => scriptOf(s) === 'gateway/dist/main.js');
  if (gateways.length !== 1) problems.push(`${gateways.length} services run gateway/dist/main.js, want 1`);
  for (const [name, s] of gateways) {
    const env = envs.get(name);
    const config = env && load(name, env, SUBGRAPHS);
    if (!config) continue;
    for (const d of SUBGRAPH_DEFINITIONS) {
      const service = subgraphService.get(d.name);
      const want = service && `http://${service}:${d.defaultPort}/graphql`;
      if (config.subgraphUrls[d.name] !== want)
        problems.push(
          `${name}: ${subgraphUrlVariable(d.name)} is ${config.subgraphUrls[d.name] ?? '(unset)'}, want ${want}`,
        );
      if (service && dependsOn(s)[service] !== 'service_healthy')
        problems.push(`${name}: does not wait for ${service} to be healthy`);
      const sub = service && configs.get(service);
      if (sub && !same(sub.GATEWAY_SIGNING_SECRET, config.GATEWAY_SIGNING_SECRET))
        problems.push(`${name} and ${service}: different GATEWAY_SIGNING_SECRET (its signatures would not verify)`);
    }
    const issuer = SUBGRAPH_DEFINITIONS.find((d) => 'issuesTokens' in d && d.issuesTokens);
    const issuerService = issuer && subgraphService.get(issuer.name);
    const jwks = issuer && issuerService && `http://${issuerService}:${issuer.defaultPort}/.well-known/jwks.json`;
    if (config.JWKS_URL !== jwks) problems.push(`${name}: JWKS_URL is ${config.JWKS_URL ?? '(unset)'}, want ${jwks}`);
    for (const service of subgraphService.values()) {
      const c = configs.get(service);
      if (c?.JWKS_URL && c.JWKS_URL !== jwks) problems.push(`${service}: JWKS_URL is ${c.JWKS_URL}, want ${jwks}`);
    }
    if (config.PORT !== 4000 || !healthTest(s).includes(':4000/readyz') || !publishes(s, 4000))
      problems.push(`${name}: want PORT 4000, published, with a :4000/readyz healthcheck`);
  }

  // The jobs: migrations (and roles) as the owner before any service, then the seed catalog.
  const migrate = services['migrate'];
  const migrateEnv = envs.get('migrate');
  if (!migrate || !isJob(migrate)) problems.push('no one-shot migrate job (restart: "no")');
  else if (migrateEnv) {
    const script = scriptOf(migrate);
    const config = load('migrate', migrateEnv);
    if (config && !config.DATABASE_URL) problems.push('migrate: no DATABASE_URL (the owner)');
    if (config && script === 'platform/dist/db/roles-cli.js') {
      // pnpm db:roles creates each domain's role from these URLs: the services must connect with the same.
      const roles = new Map<string, string>();
      for (const domain of domainsWithMigrations()) {
        const url = ownDomainDatabaseUrl(config, domain);
        const role = url && decodeURIComponent(new URL(url).username);
        if (role && roles.has(role)) problems.push(`migrate: ${roles.get(role)} and ${domain} share the role ${role}`);
        if (role) roles.set(role, domain);
        const service = subgraphService.get(domain);
        const serviceConfig = service && configs.get(service);
        if (!url) problems.push(`migrate: no ${domainDatabaseUrlVariable(domain)}`);
        else if (serviceConfig && ownDomainDatabaseUrl(serviceConfig, domain) !== url)
          problems.push(`migrate and ${service}: different ${domainDatabaseUrlVariable(domain)}`);
      }
    } else if (script !== 'platform/dist/db/migrate-cli.js') problems.push(`migrate: runs ${script}`);
  }
  const seed = services['seed'];
  if (!seed || !isJob(seed) || scriptOf(seed) !== 'seed/dist/cli.js') problems.push('no one-shot seed job');
  else {
    const config = envs.get('seed') && load('seed', envs.get('seed')!);
    if (config && !config.DATABASE_URL) problems.push('seed: no DATABASE_URL');
    if (dependsOn(seed)['migrate'] !== 'service_completed_successfully')
      problems.push('seed: does not wait for migrate');
  }
  for (const [name, s] of ours) {
    if (scriptOf(s) !== 'subgraphs/products/dist/search/elasticsearch/reindex-cli.js') continue;
    const config = envs.get(name) && load(name, envs.get(name)!);
    if (config && (!config.DATABASE_URL || !config.ELASTICSEARCH_URL))
      problems.push(`${name}: needs DATABASE_URL and ELASTICSEARCH_URL`);
  }

  // Anything else of ours: its configuration must load too, and this test must learn what it needs.
  const known =
    /^(gateway\/dist\/main|subgraphs\/[a-z]+\/dist\/main|platform\/dist\/db\/(roles|migrate)-cli|seed\/dist\/cli|subgraphs\/products\/dist\/search\/elasticsearch\/reindex-cli)\.js$/;
  for (const [name, s] of ours) {
    const env = envs.get(name);
    if (env && !configs.has(name)) load(name, env);
    if (scriptOf(s) && !known.test(scriptOf(s)!))
      problems.push(`${name}: runs ${scriptOf(s)}, which ${path.basename(__filename)} does not check yet`);
  }
  return problems;
}

describe('docker-compose.yml', () => {
  const { compose } = readCompose();

  it('agrees with the code: config, subgraphs and ports, the gateway, jobs, health checks', () => {
    expect(composeProblems(compose)).toEqual([]);
  });

  it('runs every registered subgraph and the gateway (the check above can fail)', () => {
    expect(Object.keys(compose.services)).toEqual(expect.arrayContaining(['gateway', 'migrate', 'seed']));
    // Without one subgraph's service, and with the gateway not knowing another one.
    const [first, second] = SUBGRAPH_DEFINITIONS;
    const services = structuredClone(compose.services);
    delete services[first.name];
    const gateway = services['gateway']!.environment as Record<string, string>;
    delete gateway[subgraphUrlVariable(second.name)];
    const problems = composeProblems({ ...compose, services });
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringContaining(`subgraph ${first.name}: no service runs node subgraphs/${first.name}/dist/main.js`),
        expect.stringContaining(`gateway: ${subgraphUrlVariable(second.name)} is (unset)`),
      ]),
    );
  });

  it('takes every ${VAR} from the env file, and says so when one is missing', () => {
    expect(interpolate('a${X}b$${Y:-d}${Z:-z}', { X: '1' }, 'here')).toBe('a1b${Y:-d}z');
    expect(() => interpolate('${MISSING:?use the env file}', {}, 'here')).toThrow(
      'MISSING is not set (use the env file)',
    );
    expect(() => interpolate('${MISSING}', {}, 'here')).toThrow('MISSING is not set');
  });
});

describe('Dockerfile', () => {
  it('installs the pnpm that package.json pins', () => {
    const pinned = (JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { packageManager: string })
      .packageManager;
    const dockerfile = readFileSync(path.join(root, 'Dockerfile'), 'utf8');
    const arg = /^ARG PNPM_VERSION=(\S+)$/m.exec(dockerfile);
    expect(`pnpm@${arg?.[1]}`).toBe(pinned);
  });
});
