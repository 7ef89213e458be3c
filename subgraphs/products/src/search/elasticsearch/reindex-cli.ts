// Rebuilds the Elasticsearch product index from the catalog table, printing progress:
//   DATABASE_URL=… ELASTICSEARCH_URL=… node subgraphs/products/dist/search/elasticsearch/reindex-cli.js
// Searches keep being answered from the previous index until the new one is complete.
import { loadConfig } from '@grocery/platform';
import { createProductsDb } from '../../data/db';
import { ElasticsearchSearchEngine } from './elasticsearch-search-engine';
import { reindexAll } from './reindex';

async function main(): Promise<void> {
  const config = loadConfig();
  if (!config.DATABASE_URL || !config.ELASTICSEARCH_URL) {
    console.error('reindex-cli needs DATABASE_URL and ELASTICSEARCH_URL.');
    process.exit(2);
  }
  const db = createProductsDb(config.DATABASE_URL);
  const engine = ElasticsearchSearchEngine.fromUrl(config.ELASTICSEARCH_URL);
  try {
    const started = Date.now();
    let lastPercent = -1;
    const result = await reindexAll(db, engine, ({ indexed, total }) => {
      const percent = total === 0 ? 100 : Math.floor((indexed / total) * 100);
      if (percent === lastPercent) return;
      lastPercent = percent;
      process.stdout.write(`\rindexed ${indexed} of ${total} products (${percent}%)`);
    });
    process.stdout.write('\n');
    console.log(
      `alias ${engine.alias} → ${result.index}: ${result.indexed} products, ` +
        `${result.caughtUp} written meanwhile re-indexed, ${result.removed} archived meanwhile removed, ` +
        `${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
  } finally {
    await db.$disconnect();
    await engine.client.close();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
