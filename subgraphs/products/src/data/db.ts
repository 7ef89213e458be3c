import { AppError, ErrorCode, isStatementTimeout, prismaOptions } from '@grocery/platform';
import { PrismaClient } from './generated/client';

export type ProductsDb = InstanceType<typeof PrismaClient>;
export const SCHEMA = 'products';

export function createProductsDb(url: string): ProductsDb {
  return new PrismaClient(prismaOptions({ url, schema: SCHEMA }));
}

/**
 * The pool catalog reads run on (browse, search, facets, popular products): every statement is
 * cancelled by PostgreSQL after `statementTimeoutMs`, and answers QUERY_TIMEOUT rather than an
 * internal error. Its own pool, so slow catalog queries cannot hold every connection that
 * writes, entity reads and event consumers need.
 */
export function createCatalogReadDb(url: string, statementTimeoutMs: number): ProductsDb {
  const db = new PrismaClient(prismaOptions({ url, schema: SCHEMA, statementTimeoutMs }));
  const seconds = Math.max(1, Math.round(statementTimeoutMs / 100) / 10);
  const extended = db.$extends({
    query: {
      async $allOperations({ args, query }) {
        try {
          return await query(args);
        } catch (err) {
          if (!isStatementTimeout(err)) throw err;
          throw new AppError(
            ErrorCode.QUERY_TIMEOUT,
            `The catalog took longer than ${seconds} s to answer and the query was stopped. Narrow the search or filters, or try again.`,
            { limit: 'statementTimeout', max: statementTimeoutMs },
          );
        }
      },
    },
  });
  // Same client surface (the extension only wraps queries): callers keep the plain type.
  return extended as unknown as ProductsDb;
}
