// Prisma over the pg driver adapter (WebAssembly engine, no native binaries), one
// PostgreSQL schema per domain.
import { PrismaPg } from '@prisma/adapter-pg';
import { observePool } from './observed-pool';

export interface PgAdapterOptions {
  /** PostgreSQL connection string. */
  url: string;
  /** The domain's PostgreSQL schema, e.g. "stock". */
  schema: string;
  /** Pool size for this domain. */
  max?: number;
  /**
   * PostgreSQL cancels any statement on these connections that runs longer (statement_timeout,
   * set when each connection opens: no extra round trip per query).
   */
  statementTimeoutMs?: number;
}

/** The adapter, whose pool is observed (observed-pool.ts: durations, slow queries, spans, pool use). */
class ObservedPrismaPg extends PrismaPg {
  constructor(
    config: ConstructorParameters<typeof PrismaPg>[0],
    options: ConstructorParameters<typeof PrismaPg>[1],
    private readonly domain: string,
  ) {
    super(config, options);
  }

  override async connect(): ReturnType<PrismaPg['connect']> {
    const adapter = await super.connect();
    observePool(adapter.underlyingDriver(), this.domain);
    return adapter;
  }
}

export function pgAdapter({ url, schema, max = 10, statementTimeoutMs }: PgAdapterOptions): PrismaPg {
  const timeout = statementTimeoutMs ? ` -c statement_timeout=${Math.round(statementTimeoutMs)}` : '';
  return new ObservedPrismaPg(
    // TimeZone=UTC: Prisma's TIMESTAMP(3) columns hold UTC clock times, and now() / CURRENT_TIMESTAMP
    // written to them must be UTC whatever zone the server was initialised with.
    {
      connectionString: url,
      max,
      options: `-c search_path=${schema},public -c TimeZone=UTC${timeout}`,
      allowExitOnIdle: true,
    },
    { schema },
    schema,
  );
}

/**
 * A domain's PrismaClient options: its adapter, and how long an interactive transaction may wait
 * for a pooled connection and run. Prisma's defaults (2 s, 5 s) turn a burst of writes larger than
 * the pool (200 guest carts at once) into errors; waiting is what a pool is for.
 */
export function prismaOptions(opts: PgAdapterOptions) {
  return { adapter: pgAdapter(opts), transactionOptions: { maxWait: 10_000, timeout: 15_000 } };
}

/**
 * Whether `err` is PostgreSQL cancelling a statement for its statement_timeout (SQLSTATE 57014),
 * however Prisma's driver adapter wrapped it.
 */
export function isStatementTimeout(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e && typeof e === 'object' && depth < 5; depth++) {
    const o = e as { code?: unknown; originalCode?: unknown; message?: unknown; meta?: unknown; cause?: unknown };
    if ((o.code === '57014' || o.originalCode === '57014') && /statement timeout/.test(String(o.message ?? '')))
      return true;
    e = (o.meta as { driverAdapterError?: unknown } | undefined)?.driverAdapterError ?? o.cause;
  }
  return false;
}

/** Minimal shape of a Prisma client or transaction that platform code may use for raw SQL. */
export interface SqlClient {
  $executeRawUnsafe(query: string, ...values: unknown[]): Promise<number>;
  $queryRawUnsafe<T = unknown>(query: string, ...values: unknown[]): Promise<T>;
}

export interface TransactionalSqlClient extends SqlClient {
  $transaction<R>(fn: (tx: SqlClient) => Promise<R>, options?: { timeout?: number; maxWait?: number }): Promise<R>;
}

/** Readiness of a domain's database: true when it answers a trivial query. */
export async function databaseAnswers(db: { $queryRawUnsafe(query: string): Promise<unknown> }): Promise<boolean> {
  try {
    await db.$queryRawUnsafe('SELECT 1');
    return true;
  } catch {
    return false;
  }
}
