// Starting benchmark participants as separate processes, so the load generator, the gateway
// and the subgraphs do not share one event loop.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createInterface } from 'node:readline';

export interface Running {
  child: ChildProcess;
  /** The first stdout line matching `ready`. */
  line: string;
  stop(): Promise<void>;
}

export function startProcess(
  script: string,
  env: NodeJS.ProcessEnv,
  ready: RegExp = /\S/,
  timeoutMs = 120_000,
): Promise<Running> {
  // BENCH_NODE_ARGS (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof") profiles the participants.
  const nodeArgs = process.env.BENCH_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
  const child = spawn(process.execPath, [...nodeArgs, script], { env, stdio: ['ignore', 'pipe', 'inherit'] });
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`${script} not ready within ${timeoutMs} ms`));
    }, timeoutMs);
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      if (!ready.test(line)) return;
      clearTimeout(timer);
      lines.removeAllListeners('line');
      child.stdout!.resume(); // keep draining
      resolve({ child, line, stop });
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${script} exited with ${code} before it was ready`));
    });
  });
}

/** One per bench run, shared by every process it starts: the gateway signs, the services verify. */
const GATEWAY_SIGNING_SECRET = randomBytes(32).toString('base64url');
/** Production requires a key that seals the users service's signing keys; each run's database is new. */
const SIGNING_KEY_ENCRYPTION_KEY = randomBytes(32).toString('base64');
/** Production refuses the courier simulator's public development secret. */
const DELIVERY_SIMULATOR_SECRET = randomBytes(24).toString('base64url');

/**
 * Environment for a service a bench starts: quiet, production mode (with the secrets it
 * requires), an ephemeral port on loopback, no seeding, and no per-client rate limit (one load
 * generator on one address would only measure 429s).
 */
export function serviceEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    APOLLO_TELEMETRY_DISABLED: 'true',
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    HOST: '127.0.0.1',
    PORT: '0',
    SEED_SKUS: '0',
    RATE_LIMIT_PER_MINUTE: '1000000000',
    // Every load generator is one client (this address): budgets and the in-flight bound would
    // measure themselves, not the gateway.
    RATE_LIMIT_COST_PER_MINUTE: '1000000000000',
    MAX_CONCURRENT_OPERATIONS_PER_CLIENT: '100000',
    GATEWAY_SIGNING_SECRET,
    SIGNING_KEY_ENCRYPTION_KEY,
    DELIVERY_SIMULATOR_SECRET,
    ...extra,
  };
}
