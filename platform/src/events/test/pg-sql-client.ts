// A TransactionalSqlClient over node-postgres with Prisma's raw-query semantics (rows from
// queries, affected-row counts from statements), so platform tests need no generated client.
import { Pool, type PoolClient } from 'pg';
import type { SqlClient, TransactionalSqlClient } from '../../db/prisma';

function sqlOn(client: Pool | PoolClient): SqlClient {
  return {
    $executeRawUnsafe: async (query, ...values) => (await client.query(query, values)).rowCount ?? 0,
    $queryRawUnsafe: async <T>(query: string, ...values: unknown[]) => (await client.query(query, values)).rows as T,
  };
}

export class PgSqlClient implements TransactionalSqlClient {
  private readonly sql: SqlClient;

  constructor(private readonly pool: Pool) {
    this.sql = sqlOn(pool);
  }

  /** A pool whose connections use the domain schema, as `pgAdapter` does for Prisma. */
  static connect(url: string, schema: string): PgSqlClient {
    const pool = new Pool({ connectionString: url, max: 10, options: `-c search_path=${schema},public` });
    // Dropping the test database (WITH FORCE) terminates idle connections; without a listener
    // the pool's 'error' event would crash the test run.
    pool.on('error', () => undefined);
    return new PgSqlClient(pool);
  }

  $executeRawUnsafe(query: string, ...values: unknown[]): Promise<number> {
    return this.sql.$executeRawUnsafe(query, ...values);
  }

  $queryRawUnsafe<T = unknown>(query: string, ...values: unknown[]): Promise<T> {
    return this.sql.$queryRawUnsafe<T>(query, ...values);
  }

  async $transaction<R>(fn: (tx: SqlClient) => Promise<R>): Promise<R> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const result = await fn(sqlOn(client));
      await client.query('COMMIT');
      return result;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  }

  end(): Promise<void> {
    return this.pool.end();
  }
}
