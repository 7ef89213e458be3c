// Products' projections rebuilt from their sources (`pnpm ops rebuild`), for when events were
// lost (a stream trimmed past a stopped consumer) or a projection's code was wrong:
//  - in-stock: product_stock (available units and the earliest live lot expiry per location) from
//    stock's own levels (stock.readStockLevels), keeping any row a live event has already moved
//    past (higher version);
//  - ratings: product.rating_average / review_count recounted from product_review, the
//    per-review facts the ratings consumer keeps (the reviews subgraph, when it lands, is their
//    source: its review events replayed refill product_review), announced as
//    product.rating_changed so every copy (caches, Elasticsearch) follows;
//  - sales: product_sales_daily summed again from the order lines the popularity consumer keeps
//    (product_order_line, 35 days; the orders subgraph, when it lands, is their source);
//  - search-index: Elasticsearch rebuilt from the product table into a new index behind the
//    alias (PostgreSQL search reads generated columns of the product table: nothing to rebuild).
import type { SqlClient } from '@grocery/platform';
import { createProductsDb, type ProductsDb } from '../data/db';
import { recountRatings } from '../data/product-ratings';
import { ProductSales } from '../data/product-sales';
import type { StockLevelSeen } from '../data/product-stock';
import { ElasticsearchSearchEngine } from '../search/elasticsearch/elasticsearch-search-engine';
import { reindexAll } from '../search/elasticsearch/reindex';

async function withProductsDb<T>(databaseUrl: string, work: (db: ProductsDb) => Promise<T>): Promise<T> {
  const db = createProductsDb(databaseUrl);
  try {
    return await work(db);
  } finally {
    await db.$disconnect();
  }
}

/** Writes stock's current levels over the projection; a row already at a higher version stays. */
export async function rebuildInStock(
  databaseUrl: string,
  levels: AsyncIterable<(StockLevelSeen & { version: number })[]>,
  progress: (line: string) => void = () => undefined,
): Promise<{ levels: number; written: number }> {
  return withProductsDb(databaseUrl, async (db) => {
    let seen = 0;
    let written = 0;
    for await (const page of levels) {
      written += await db.$executeRawUnsafe(
        `INSERT INTO products.product_stock AS s (sku, location_id, available, changed_at, version, earliest_expiry)
         SELECT l.sku, l.location_id, l.available, l.changed_at, l.version, l.earliest_expiry
           FROM jsonb_to_recordset($1::jsonb)
             AS l(sku text, location_id text, available int, changed_at timestamp, version bigint, earliest_expiry timestamp)
         ON CONFLICT (sku, location_id) DO UPDATE
            SET available = excluded.available, changed_at = excluded.changed_at, version = excluded.version,
                earliest_expiry = excluded.earliest_expiry
          WHERE excluded.version >= s.version`,
        JSON.stringify(
          page.map((l) => ({
            sku: l.sku,
            location_id: l.locationId,
            available: l.available,
            changed_at: l.changedAt.toISOString().replace('Z', ''),
            version: l.version,
            earliest_expiry: l.earliestExpiry?.toISOString().replace('Z', '') ?? null,
          })),
        ),
      );
      seen += page.length;
      progress(`${seen} stock levels read`);
    }
    return { levels: seen, written };
  });
}

/** Recounts every product's rating from the stored per-review facts; announces each change. */
export async function rebuildRatings(databaseUrl: string): Promise<{ products: number; changed: number }> {
  return withProductsDb(databaseUrl, (db) =>
    db.$transaction(async (tx) => {
      const sql = tx as unknown as SqlClient;
      const [{ products }] = await sql.$queryRawUnsafe<{ products: number }[]>(
        `SELECT count(*)::int AS products FROM products.product`,
      );
      const changed = await recountRatings(sql, 'all', true);
      return { products, changed };
    }),
  );
}

/** Sums the daily sales again from the kept order lines. */
export async function rebuildSales(databaseUrl: string): Promise<{ days: number; lines: number }> {
  return withProductsDb(databaseUrl, (db) => ProductSales.rebuildFromOrderLines(db));
}

export async function rebuildSearchIndex(
  databaseUrl: string,
  elasticsearchUrl: string | undefined,
  progress: (line: string) => void = () => undefined,
): Promise<string> {
  if (!elasticsearchUrl) return 'PostgreSQL search reads generated columns of the product table; nothing to rebuild';
  return withProductsDb(databaseUrl, async (db) => {
    const engine = ElasticsearchSearchEngine.fromUrl(elasticsearchUrl);
    try {
      const result = await reindexAll(db, engine, ({ indexed, total }) => progress(`${indexed} of ${total} indexed`));
      return `alias ${engine.alias} → ${result.index}: ${result.indexed} products`;
    } finally {
      await engine.client.close();
    }
  });
}
