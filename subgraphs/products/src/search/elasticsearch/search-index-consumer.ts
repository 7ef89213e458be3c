// Keeps the Elasticsearch index current: every product.* event re-reads that product and
// indexes it (or removes it when it is gone). Reading the row rather than the event's payload
// makes a replayed or late event harmless, and the version check in the index makes a slow
// write unable to overwrite a newer one. A durable group: one replica indexes each event.
import type { Bus, Logger } from '@grocery/platform';
import type { ProductsDb } from '../../data/db';
import { PRODUCTS_TOPIC } from '../../events/product-events';
import { loadIndexableProducts } from '../indexable-products';
import type { SearchEngine } from '../search-engine';
import { ElasticsearchSearchEngine } from './elasticsearch-search-engine';

export const SEARCH_INDEX_GROUP = 'products.search-index';

/** Brings these SKUs' index entries in line with the table. */
export async function syncSearchIndex(db: ProductsDb, engine: SearchEngine, skus: readonly string[]): Promise<void> {
  const products = await loadIndexableProducts(db, skus);
  const found = new Set(products.map((p) => p.sku));
  await engine.index(products);
  await engine.remove(skus.filter((sku) => !found.has(sku)));
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
}): Promise<() => Promise<void>> {
  const { engine } = opts;
  if (!(engine instanceof ElasticsearchSearchEngine)) return async () => undefined;
  if (await engine.ensureIndex())
    opts.logger.warn(
      { alias: engine.alias },
      'created an empty Elasticsearch product index; fill it with search/elasticsearch/reindex-cli',
    );
  const sub = await opts.bus.subscribe(PRODUCTS_TOPIC, { group: SEARCH_INDEX_GROUP, from: 'latest' }, async (event) => {
    if (event.type.startsWith('product.')) await syncSearchIndex(opts.db, engine, [event.subject]);
  });
  return () => sub.close();
}
