// Loads a generated catalog into the products and stock schemas (tables created by the Prisma
// migrations). Safe to run again: existing rows are kept, so a second load inserts nothing.
import { Client } from 'pg';
import { DEFAULT_REFERENCE_DATE, generateCatalog } from './catalog';
import { insertRows } from './insert-rows';
import { generatePromotions } from './promotions';
import {
  bundleItemRows,
  bundleItemTable,
  bundleTable,
  categoryTable,
  locationTable,
  productStockTable,
  productTable,
  promotionTable,
  stockLevelTable,
  type LoadContext,
} from './tables';

export interface LoadSeedOptions {
  databaseUrl: string;
  skus: number;
  seed?: number;
  referenceDate?: Date;
  /** Rows per INSERT. */
  batchSize?: number;
  /** Also load the seeded promotions (default true; tests that assume regular prices turn it off). */
  promotions?: boolean;
  /** Called after every batch with rows written so far and rows in total. */
  onProgress?(done: number, total: number): void;
}

export interface SeedCounts {
  categories: number;
  products: number;
  locations: number;
  stockLevels: number;
  promotions: number;
  bundles: number;
  bundleItems: number;
}

export interface SeedResult {
  /** Rows in the generated catalog. */
  generated: SeedCounts;
  /** Rows that were new; all zero when the same catalog was loaded before. */
  inserted: SeedCounts;
  elapsedMs: number;
}

/** One domain's tables, written in one transaction on its own connection. */
async function loadDomain(databaseUrl: string, work: (client: Client) => Promise<number[]>): Promise<number[]> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query('BEGIN');
    // Column defaults such as created_at (CURRENT_TIMESTAMP into timestamp(3)) then come out in
    // UTC, as Prisma writes them, whatever the server's time zone.
    await client.query("SET LOCAL TIME ZONE 'UTC'");
    const counts = await work(client);
    await client.query('COMMIT');
    return counts;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    await client.end();
  }
}

/**
 * A bulk load leaves the search indexes' new entries in GIN pending lists, which every search
 * then scans linearly (3–10× slower) until autovacuum gets round to them; settle them now, and
 * give the planner statistics for the new rows.
 */
async function settleCatalog(databaseUrl: string): Promise<void> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query('VACUUM (ANALYZE) "products"."product", "products"."category"');
  } finally {
    await client.end();
  }
}

export async function loadSeed(options: LoadSeedOptions): Promise<SeedResult> {
  const started = performance.now();
  const {
    databaseUrl,
    skus,
    seed = 1,
    referenceDate = DEFAULT_REFERENCE_DATE,
    batchSize = 1_000,
    onProgress,
  } = options;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError(`batchSize must be a positive integer`);
  const catalog = generateCatalog({ skus, seed, referenceDate });
  const promotions =
    options.promotions === false
      ? []
      : generatePromotions({ products: catalog.products, categories: catalog.categories, seed, referenceDate });
  const bundleItems = bundleItemRows(catalog.bundles);
  const generated: SeedCounts = {
    categories: catalog.categories.length,
    products: catalog.products.length,
    locations: catalog.locations.length,
    stockLevels: catalog.stockLevels.length,
    promotions: promotions.length,
    bundles: catalog.bundles.length,
    bundleItems: bundleItems.length,
  };
  // Stock levels are written twice: to stock, and to products' in-stock projection.
  const total = Object.values(generated).reduce((sum, n) => sum + n, 0) + generated.stockLevels;
  let done = 0;
  const progress = (rows: number) => {
    done += rows;
    onProgress?.(done, total);
  };
  onProgress?.(0, total);
  const context: LoadContext = { loadedAt: new Date().toISOString() };

  // Each domain is all-or-nothing on its own, as it would be with a database each; they share no
  // keys, so they load side by side and the slower one (stock) sets the pace.
  const outcomes = await Promise.allSettled([
    loadDomain(databaseUrl, async (client) => [
      await insertRows(client, categoryTable, catalog.categories, context, batchSize, progress),
      await insertRows(client, productTable, catalog.products, context, batchSize, progress),
      await insertRows(client, promotionTable, promotions, context, batchSize, progress),
      await insertRows(client, bundleTable, catalog.bundles, context, batchSize, progress),
      await insertRows(client, bundleItemTable, bundleItems, context, batchSize, progress),
      await insertRows(client, productStockTable, catalog.stockLevels, context, batchSize, progress),
    ]),
    loadDomain(databaseUrl, async (client) => [
      await insertRows(client, locationTable, catalog.locations, context, batchSize, progress),
      await insertRows(client, stockLevelTable, catalog.stockLevels, context, batchSize, progress),
    ]),
  ]);
  const failed = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
  if (failed) throw failed.reason;
  const [[categories, products, promotionsInserted, bundles, bundleItemCount], [locations, stockLevels]] = outcomes.map(
    (o) => (o.status === 'fulfilled' ? o.value : []),
  );
  if (products > 0) await settleCatalog(databaseUrl);
  return {
    generated,
    inserted: {
      categories,
      products,
      locations,
      stockLevels,
      promotions: promotionsInserted,
      bundles,
      bundleItems: bundleItemCount,
    },
    elapsedMs: Math.round(performance.now() - started),
  };
}

/** True once products.product has any row; callers use it to seed only an empty database. */
export async function isSeeded(databaseUrl: string): Promise<boolean> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ seeded: boolean }>(
      'SELECT EXISTS (SELECT 1 FROM "products"."product") AS seeded',
    );
    return rows[0]?.seeded ?? false;
  } finally {
    await client.end();
  }
}
