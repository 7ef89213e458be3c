// The shared relevance set and search contract against a real Elasticsearch, on the seeded
// 5,000-SKU catalog. Runs only when ELASTICSEARCH_URL is set (the test names say so when it
// is not); gateway/test/search.test.ts runs the same set against the PostgreSQL engine.
import { createTestDatabase, type TestDatabase } from '@grocery/platform/testing';
import { loadSeed } from '@grocery/seed';
import { createProductsDb, type ProductsDb } from '../../data/db';
import { CatalogSearch } from '../catalog-search';
import { meets, RELEVANCE_SET, type CandidateProduct } from '../relevance-set';
import { ElasticsearchSearchEngine } from './elasticsearch-search-engine';
import { reindexAll } from './reindex';

const url = process.env.ELASTICSEARCH_URL;
const describeWithElasticsearch = url ? describe : describe.skip;
const where = url ? `on ${url}` : '(skipped: ELASTICSEARCH_URL not set)';

describeWithElasticsearch(`Elasticsearch engine ${where}`, () => {
  let database: TestDatabase;
  let db: ProductsDb;
  let engine: ElasticsearchSearchEngine;
  let search: CatalogSearch;

  beforeAll(async () => {
    database = await createTestDatabase();
    await loadSeed({ databaseUrl: database.url, skus: 5000 });
    db = createProductsDb(database.url);
    engine = ElasticsearchSearchEngine.fromUrl(url!, {
      alias: `grocery-products-test-${process.pid}-${Date.now()}`,
      refresh: 'wait_for',
    });
    await reindexAll(db, engine);
    await engine.client.indices.refresh({ index: engine.alias });
    search = new CatalogSearch(engine, 100);
  }, 300_000);

  afterAll(async () => {
    // By name: wildcard deletes are refused by default (action.destructive_requires_name).
    const indices = await engine?.client.indices.getAlias({ name: engine.alias }).catch(() => ({}));
    for (const index of Object.keys(indices ?? {})) await engine.client.indices.delete({ index });
    await engine?.client.close();
    await db?.$disconnect();
    await database?.drop();
  });

  async function top(query: string, locale: 'vi' | 'en', first = 5): Promise<(CandidateProduct & { sku: string })[]> {
    const { hits } = await search.search({ query, first, locale });
    const rows = await db.product.findMany({ where: { sku: { in: hits.map((h) => h.sku) } } });
    const bySku = new Map(rows.map((r) => [r.sku, r]));
    return hits.map((h) => {
      const r = bySku.get(h.sku)!;
      return { sku: r.sku, names: { en: r.nameEn, vi: r.nameVi }, brand: r.brand, category: { id: r.categoryId } };
    });
  }

  it.each(RELEVANCE_SET.map((c) => [c.query, c] as const))('finds what "%s" asks for in the top 5', async (_, c) => {
    const found = await top(c.query, c.lang);
    for (const e of c.top5)
      if (!found.some((p) => meets(p, e)))
        throw new Error(`"${c.query}" top 5 lacks ${JSON.stringify(e)}: ${found.map((p) => p.names.vi).join(' | ')}`);
  });

  it('ignores diacritics: "sua tuoi" ranks exactly like "sữa tươi"', async () => {
    expect((await top('sua tuoi', 'vi', 20)).map((p) => p.sku)).toEqual(
      (await top('sữa tươi', 'vi', 20)).map((p) => p.sku),
    );
  });

  it('applies every filter', async () => {
    const { hits } = await search.search({
      query: 'sua',
      first: 100,
      locale: 'vi',
      filter: { categoryId: 'cat-dairy', isPerishable: true, minPrice: 20000, maxPrice: 60000, brand: 'VINAMILK' },
    });
    const rows = await db.product.findMany({ where: { sku: { in: hits.map((h) => h.sku) } } });
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) {
      expect(r.categoryId.startsWith('cat-dairy')).toBe(true);
      expect(r.isPerishable).toBe(true);
      expect(Number(r.priceAmount)).toBeGreaterThanOrEqual(20000);
      expect(Number(r.priceAmount)).toBeLessThanOrEqual(60000);
      expect(r.brand).toBe('Vinamilk');
    }
  });

  it('pages through every match exactly once', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    let total = 0;
    for (let i = 0; i < 40; i++) {
      const page = await search.search({ query: 'nuoc mam', first: 50, after, locale: 'vi' });
      total = page.totalCount;
      seen.push(...page.hits.map((h) => h.sku));
      if (!page.nextCursor) break;
      after = page.nextCursor;
    }
    expect(seen).toHaveLength(total);
    expect(new Set(seen).size).toBe(total);
  });

  it('completes a prefix in the request language', async () => {
    const list = await search.suggest({ prefix: 'sua tu', first: 5, locale: 'vi' });
    expect(list).toHaveLength(5);
    for (const s of list) expect(s.text).toMatch(/^Sữa tươi/);
  });

  it('answers nothing, not an error, when nothing matches', async () => {
    expect(await search.search({ query: 'xqzvwk', first: 5, locale: 'vi' })).toEqual({
      totalCount: 0,
      hits: [],
      nextCursor: null,
    });
  });
});
