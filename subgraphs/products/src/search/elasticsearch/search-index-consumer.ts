// Keeps the Elasticsearch index current: every product.* event re-reads that product and
// indexes it, or removes it when it is archived or gone. Reading the row rather than the event's
// payload makes a replayed or late event harmless (a replayed product.archived after a restore
// re-indexes), and the version check in the index makes a slow write unable to overwrite a newer
// one. A durable group: one replica indexes each event.
import type { Bus, Logger, DeadLetterSink } from '@grocery/platform';
import type { ProductsDb } from '../../data/db';
import { CategoryEventType, PRODUCTS_TOPIC, ProductEventType } from '../../events/product-events';
import { loadIndexableProducts, productVersions, skusUnderCategory } from '../indexable-products';
import type { SearchEngine } from '../search-engine';
import { ElasticsearchSearchEngine } from './elasticsearch-search-engine';

export const SEARCH_INDEX_GROUP = 'products.search-index';
const CATEGORY_REINDEX_BATCH = 500;

/** Whether an event on the products topic can change what the index holds for its subject. */
export function affectsSearchIndex(type: string): boolean {
  switch (type) {
    case ProductEventType.created: // indexed once synced
    case ProductEventType.updated: // re-indexed
    case ProductEventType.archived: // removed: an archived row is not indexable
      return true;
    default:
      // Any other product.* type (a rating change, say) may touch an indexed field as well;
      // promotion.* events never do.
      return type.startsWith('product.');
  }
}

/** Brings these SKUs' index entries in line with the table (live products in, the rest out). */
export async function syncSearchIndex(db: ProductsDb, engine: SearchEngine, skus: readonly string[]): Promise<void> {
  const products = await loadIndexableProducts(db, skus);
  const found = new Set(products.map((p) => p.sku));
  await engine.index(products);
  const gone = skus.filter((sku) => !found.has(sku));
  await engine.remove(gone, await productVersions(db, gone));
}

/**
 * Subscribes the index to product events when the engine keeps its own index (a no-op for
 * PostgreSQL, whose index is the table). Creates the index behind the alias if there is none.
 */
export async function startSearchIndexing(opts: {
  bus: Bus;
  db: ProductsDb;
  engine: SearchEngine;
  logger: Logger;
  deadLetters?: DeadLetterSink;
}): Promise<() => Promise<void>> {
  const { engine } = opts;
  if (!(engine instanceof ElasticsearchSearchEngine)) return async () => undefined;
  const state = await engine.ensureCurrentMapping();
  if (state === 'created')
    opts.logger.warn(
      { alias: engine.alias },
      'created an empty Elasticsearch product index; fill it with search/elasticsearch/reindex-cli',
    );
  else if (state === 'upgraded')
    opts.logger.warn(
      { alias: engine.alias },
      'added new fields to the Elasticsearch product mapping; rebuild with search/elasticsearch/reindex-cli to fill them',
    );
  const sub = await opts.bus.subscribe(
    PRODUCTS_TOPIC,
    { group: SEARCH_INDEX_GROUP, from: 'latest', deadLetters: opts.deadLetters },
    async (event) => {
      if (affectsSearchIndex(event.type)) await syncSearchIndex(opts.db, engine, [event.subject]);
      // Documents carry their category's (and its parent's) names, which search matches: a renamed
      // or moved category re-indexes every live product under it, a batch at a time.
      else if (event.type === CategoryEventType.updated) {
        const skus = await skusUnderCategory(opts.db, event.subject);
        for (let i = 0; i < skus.length; i += CATEGORY_REINDEX_BATCH)
          await syncSearchIndex(opts.db, engine, skus.slice(i, i + CATEGORY_REINDEX_BATCH));
      }
    },
  );
  return () => sub.close();
}
