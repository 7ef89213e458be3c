// The shared relevance set and search contract against a real Elasticsearch, on the seeded
// 5,000-SKU catalog. Runs only when ELASTICSEARCH_URL is set (the test names say so when it
// is not); gateway/test/search.test.ts runs the same set against the PostgreSQL engine.
// Filters, sorts and facets are checked against the catalog rows of the very hits returned:
// the same query unfiltered, filtered in code, must give exactly the filtered search.
import { createTestDatabase, type TestDatabase } from '@grocery/platform/testing';
import { loadSeed } from '@grocery/seed';
import { createProductsDb, type ProductsDb } from '../../data/db';
import { CatalogSearch } from '../catalog-search';
import { PostgresSearchEngine } from '../postgres-search-engine';
import { meets, RELEVANCE_SET, type CandidateProduct } from '../relevance-set';
import { MAX_BRAND_FACETS, PRICE_BUCKETS, type Facets } from '../../domain/facets';
import type { SearchFilter } from '../../domain/product-filter';
import type { ProductSortKey } from '../../domain/product-sort';
import type { SearchHit } from '../search-engine';
import { ElasticsearchSearchEngine } from './elasticsearch-search-engine';
import { reindexAll } from './reindex';
import { syncSearchIndex } from './search-index-consumer';

const DAY_MS = 86_400_000;

const url = process.env.ELASTICSEARCH_URL;
const describeWithElasticsearch = url ? describe : describe.skip;
const where = url ? `on ${url}` : '(skipped: ELASTICSEARCH_URL not set)';

describeWithElasticsearch(`Elasticsearch engine ${where}`, () => {
  let database: TestDatabase;
  let db: ProductsDb;
  let engine: ElasticsearchSearchEngine;
  let search: CatalogSearch;
  /** A milk archived before the rebuild. */
  let archivedSku: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    await loadSeed({ databaseUrl: database.url, skus: 5000 });
    db = createProductsDb(database.url);
    // Ratings (ties included), near expiries and an archived product, which the seed does not make.
    const dairy = await db.product.findMany({
      where: { categoryId: { startsWith: 'cat-dairy' } },
      orderBy: { sku: 'asc' },
      take: 60,
    });
    const ratings = [null, 4.5, 3, 5, 4.5, 2.25];
    for (const [i, p] of dairy.entries()) {
      const rating = ratings[i % ratings.length];
      await db.product.update({
        where: { sku: p.sku },
        data: {
          ratingAverage: rating,
          reviewCount: rating === null ? 0 : i + 1,
          ...(i % 3 === 0 ? { expiresAt: new Date(Date.now() + ((i % 5) + 0.5) * DAY_MS) } : {}),
        },
      });
    }
    archivedSku = dairy[1].sku;
    await db.product.update({ where: { sku: archivedSku }, data: { archivedAt: new Date() } });
    await db.productStock.createMany({
      data: dairy.slice(0, 10).map((p, i) => ({
        sku: p.sku,
        locationId: 'store-hcm-1',
        available: i % 2,
        changedAt: new Date(),
      })),
    });
    engine = ElasticsearchSearchEngine.fromUrl(url!, {
      alias: `grocery-products-test-${process.pid}-${Date.now()}`,
      refresh: 'wait_for',
    });
    await reindexAll(db, engine);
    await engine.client.indices.refresh({ index: engine.alias });
    search = new CatalogSearch(engine, 100, new PostgresSearchEngine(db));
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

  type Row = Awaited<ReturnType<typeof rowsOf>>[number];

  async function rowsOf(skus: string[]) {
    const rows = await db.product.findMany({ where: { sku: { in: skus } }, include: { category: true } });
    const bySku = new Map(rows.map((r) => [r.sku, r]));
    return skus.map((sku) => bySku.get(sku)!);
  }

  /** Every hit of a search, page after page, in order. */
  async function everyHit(query: string, filter: SearchFilter | null = null, sort: ProductSortKey = 'RELEVANCE') {
    const hits: SearchHit[] = [];
    let after: string | null = null;
    for (let i = 0; i < 100; i++) {
      const page = await search.search({ query, filter, sort, first: 100, after, locale: 'vi' });
      hits.push(...page.hits);
      if (!page.nextCursor) return hits.map((h) => h.sku);
      after = page.nextCursor;
    }
    throw new Error(`"${query}" has more than 10,000 hits`);
  }

  const QUERY = 'sua';

  it.each<[string, SearchFilter, (r: Row) => boolean]>([
    ['tags', { tags: ['milk'] }, (r) => r.tags.includes('milk')],
    ['minRating', { minRating: 4.5 }, (r) => r.ratingAverage !== null && r.ratingAverage >= 4.5],
    [
      'expiringWithinDays',
      { expiringWithinDays: 3 },
      (r) =>
        r.expiresAt !== null && r.expiresAt.getTime() >= Date.now() && r.expiresAt.getTime() < Date.now() + 3 * DAY_MS,
    ],
  ])('filters by %s exactly as the rows say', async (_, filter, holds) => {
    const all = await rowsOf(await everyHit(QUERY));
    const expected = all.filter(holds).map((r) => r.sku);
    expect(expected.length).toBeGreaterThan(0);
    expect((await everyHit(QUERY, filter)).sort()).toEqual(expected.sort());
  });

  it('never returns an archived product, and drops one as soon as it is archived', async () => {
    const before = await everyHit(QUERY);
    expect(before).not.toContain(archivedSku);
    const sku = before[0];
    await db.product.update({ where: { sku }, data: { archivedAt: new Date() } });
    await syncSearchIndex(db, engine, [sku]);
    expect(await everyHit(QUERY)).not.toContain(sku);
    await db.product.update({ where: { sku }, data: { archivedAt: null } });
    await syncSearchIndex(db, engine, [sku]);
    expect(await everyHit(QUERY)).toContain(sku);
  });

  const bySku = (a: Row, b: Row) => (a.sku < b.sku ? -1 : a.sku > b.sku ? 1 : 0);
  it.each<[ProductSortKey, (a: Row, b: Row) => number]>([
    ['PRICE_ASC', (a, b) => Number(a.priceAmount - b.priceAmount) || bySku(a, b)],
    ['PRICE_DESC', (a, b) => Number(b.priceAmount - a.priceAmount) || bySku(a, b)],
    ['RATING', (a, b) => (b.ratingAverage ?? -1) - (a.ratingAverage ?? -1) || bySku(a, b)],
    ['NEWEST', (a, b) => b.createdAt.getTime() - a.createdAt.getTime() || bySku(a, b)],
  ])('sorts %s over every match, ties by SKU', async (sort, order) => {
    const relevance = await everyHit(QUERY);
    const sorted = await everyHit(QUERY, null, sort);
    expect([...sorted].sort()).toEqual([...relevance].sort());
    const rows = await rowsOf(sorted);
    expect(sorted).toEqual([...rows].sort(order).map((r) => r.sku));
  });

  /** The facets of a list of rows, as the contract defines them. */
  function facetsOf(rows: Row[]): Facets {
    const count = (keys: string[]) => {
      const counts = new Map<string, number>();
      for (const k of keys) counts.set(k, (counts.get(k) ?? 0) + 1);
      return [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
    };
    return {
      categories: count(rows.flatMap((r) => [r.categoryId, ...(r.category.parentId ? [r.category.parentId] : [])])).map(
        ([categoryId, n]) => ({ categoryId, count: n }),
      ),
      dietary: count(rows.flatMap((r) => r.dietary)).map(([label, n]) => ({ label, count: n })),
      brands: count(rows.flatMap((r) => (r.brand ? [r.brand] : [])))
        .slice(0, MAX_BRAND_FACETS)
        .map(([brand, n]) => ({ brand, count: n })),
      priceBuckets: PRICE_BUCKETS.map((b) => ({
        ...b,
        count: rows.filter((r) => Number(r.priceAmount) >= b.min && (b.max === null || Number(r.priceAmount) < b.max))
          .length,
      })),
    };
  }

  it.each<[string, string, SearchFilter | null]>([
    ['a broad query', QUERY, null],
    ['a filtered query', 'sua', { dietary: ['vegetarian'], minPrice: 20000 }],
    ['a query naming a department', 'do uong', null],
  ])('counts facets over every match of %s', async (_, query, filter) => {
    const rows = await rowsOf(await everyHit(query, filter));
    expect(rows.length).toBeGreaterThan(0);
    expect(await search.facets({ query, filter, locale: 'vi' })).toEqual(facetsOf(rows));
  });

  it('answers in-stock and popularity requests from PostgreSQL', async () => {
    const pg = new PostgresSearchEngine(db);
    const request = { query: QUERY, first: 50, locale: 'vi' as const, filter: { inStockAt: 'store-hcm-1' } };
    const page = await search.search(request);
    expect(page.hits.length).toBeGreaterThan(0);
    expect(page).toEqual(await pg.search({ ...request, sort: 'RELEVANCE' }));
    const popular = { query: QUERY, first: 20, locale: 'vi' as const, sort: 'POPULARITY' as const };
    expect(await search.search(popular)).toEqual(await pg.search(popular));
  });
});
