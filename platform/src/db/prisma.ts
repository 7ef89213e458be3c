// Prisma over the pg driver adapter (WebAssembly engine, no native binaries), one
// PostgreSQL schema per domain.
import { PrismaPg } from '@prisma/adapter-pg';

export interface PgAdapterOptions {
  /** PostgreSQL connection string. */
  url: string;
  /** The domain's PostgreSQL schema, e.g. "stock". */
  schema: string;
  /** Pool size for this domain. */
  max?: number;
}

export function pgAdapter({ url, schema, max = 10 }: PgAdapterOptions): PrismaPg {
  return new PrismaPg(
    { connectionString: url, max, options: `-c search_path=${schema},public`, allowExitOnIdle: true },
    { schema },
  );
}

/** Minimal shape of a Prisma client or transaction that platform code may use for raw SQL. */
export interface SqlClient {
  $executeRawUnsafe(query: string, ...values: unknown[]): Promise<number>;
  $queryRawUnsafe<T = unknown>(query: string, ...values: unknown[]): Promise<T>;
}

export interface TransactionalSqlClient extends SqlClient {
  $transaction<R>(fn: (tx: SqlClient) => Promise<R>, options?: { timeout?: number; maxWait?: number }): Promise<R>;
}
