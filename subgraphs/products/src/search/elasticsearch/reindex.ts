// A full rebuild of the Elasticsearch index from the catalog table, without downtime: a fresh
// index is filled in SKU-ordered batches while searches keep using the old one, then the alias
// moves to it in one step. Events that arrive meanwhile update the old index, so the products
// written since the rebuild began are indexed once more after the switch, and those archived
// meanwhile removed (the fresh index may have taken them in while they were live).
import type { ProductsDb } from '../../data/db';
import {
  countIndexableProducts,
  indexableProductBatches,
  productVersions,
  skusArchivedSince,
} from '../indexable-products';
import type { ElasticsearchSearchEngine } from './elasticsearch-search-engine';

export interface ReindexProgress {
  indexed: number;
  total: number;
}

export interface ReindexResult extends ReindexProgress {
  index: string;
  /** Products written during the rebuild and indexed again after the switch. */
  caughtUp: number;
  /** Products archived during the rebuild, removed after the switch. */
  removed: number;
}

export const REINDEX_BATCH_SIZE = 1000;

export async function reindexAll(
  db: ProductsDb,
  engine: ElasticsearchSearchEngine,
  onProgress: (progress: ReindexProgress) => void = () => undefined,
  batchSize = REINDEX_BATCH_SIZE,
): Promise<ReindexResult> {
  // The database clock, not ours: updated_at is set by it.
  const [{ now: startedAt }] = await db.$queryRawUnsafe<{ now: Date }[]>('SELECT now() AS now');
  const total = await countIndexableProducts(db);
  const index = engine.newIndexName();
  await engine.createIndex(index);
  let indexed = 0;
  onProgress({ indexed, total });
  for await (const batch of indexableProductBatches(db, batchSize)) {
    await engine.index(batch, index);
    indexed += batch.length;
    onProgress({ indexed, total });
  }
  await engine.switchAlias(index);
  let caughtUp = 0;
  for await (const batch of indexableProductBatches(db, batchSize, { updatedAt: { gte: startedAt } })) {
    await engine.index(batch);
    caughtUp += batch.length;
  }
  const archived = await skusArchivedSince(db, startedAt);
  await engine.remove(archived, await productVersions(db, archived));
  return { index, indexed, total, caughtUp, removed: archived.length };
}
