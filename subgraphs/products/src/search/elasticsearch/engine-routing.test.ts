// Which engine answers a search when Elasticsearch is configured: the index for what it holds,
// the PostgreSQL engine (on a real, seeded catalog) for stock per location and popularity, which
// the index does not hold. Elasticsearch is @elastic/elasticsearch-mock, recording every request.
import { Client } from '@elastic/elasticsearch';
import Mock from '@elastic/elasticsearch-mock';
import { createTestDatabase, type TestDatabase } from '@grocery/platform/testing';
import { loadSeed } from '@grocery/seed';
import { createProductsDb, type ProductsDb } from '../../data/db';
import { CatalogSearch } from '../catalog-search';
import { createCatalogSearch } from '../index';
import { PostgresSearchEngine } from '../postgres-search-engine';
import { ElasticsearchSearchEngine } from './elasticsearch-search-engine';

let database: TestDatabase;
let db: ProductsDb;

beforeAll(async () => {
  database = await createTestDatabase();
  await loadSeed({ databaseUrl: database.url, skus: 30 });
  db = createProductsDb(database.url);
  // "hữu cơ" (organic) names SKU-000006, -000014 and -000024; two of them are on the shelf.
  const now = new Date();
  await db.productStock.createMany({
    data: [
      { sku: 'SKU-000006', locationId: 'store-hcm-1', available: 12, changedAt: now },
      { sku: 'SKU-000014', locationId: 'store-hcm-1', available: 0, changedAt: now },
      { sku: 'SKU-000024', locationId: 'store-hcm-1', available: 3, changedAt: now },
      { sku: 'SKU-000014', locationId: 'store-hn-1', available: 8, changedAt: now },
    ],
  });
}, 120_000);
afterAll(async () => {
  await db?.$disconnect();
  await database?.drop();
});

function setUp() {
  const mock = new Mock();
  const asked: string[] = [];
  mock.add({ method: 'POST', path: '/products-test/_search' }, (p) => {
    asked.push(JSON.stringify(p.body));
    return {
      took: 1,
      timed_out: false,
      hits: { total: { value: 1, relation: 'eq' }, hits: [{ _index: 'i', _id: 'SKU-000014', _score: 3 }] },
      aggregations: {},
    };
  });
  const client = new Client({ node: 'http://es.test:9200', Connection: mock.getConnection() });
  const es = new ElasticsearchSearchEngine(client, { alias: 'products-test' });
  const pg = new PostgresSearchEngine(db);
  return { asked, es, pg, search: new CatalogSearch(es, 100, pg) };
}

const skus = (hits: { sku: string }[]) => hits.map((h) => h.sku).sort();

describe('CatalogSearch with Elasticsearch configured', () => {
  it('asks the index for every filter and sort it holds', async () => {
    const { asked, search } = setUp();
    const page = await search.search({
      query: 'huu co',
      first: 10,
      locale: 'vi',
      sort: 'PRICE_ASC',
      filter: { tags: ['organic'], minRating: 4, expiringWithinDays: 7, dietary: ['vegan'] },
    });
    expect(asked).toHaveLength(1);
    expect(skus(page.hits)).toEqual(['SKU-000014']);
    await search.facets({ query: 'huu co', locale: 'vi', filter: { tags: ['organic'] } });
    // The mock's aggregations count nothing, so facets for the words taken one by one follow: both from the index.
    expect(asked).toHaveLength(3);
    expect(asked.slice(1).map((body) => JSON.parse(body).size)).toEqual([0, 0]);
  });

  it('asks the index again for any of the words when no product has them all, and marks the answer partial', async () => {
    const mock = new Mock();
    const operators: string[] = [];
    mock.add({ method: 'POST', path: '/products-test/_search' }, (p) => {
      const operator = (p.body as { query: { bool: { should: { multi_match?: { operator: string } }[] } } }).query.bool
        .should[0]!.multi_match!.operator;
      operators.push(operator);
      const hits = operator === 'or' ? [{ _index: 'i', _id: 'SKU-000006', _score: 2 }] : [];
      return { took: 1, timed_out: false, hits: { total: { value: hits.length, relation: 'eq' }, hits } };
    });
    const client = new Client({ node: 'http://es.test:9200', Connection: mock.getConnection() });
    const search = new CatalogSearch(new ElasticsearchSearchEngine(client, { alias: 'products-test' }), 100, null);
    const page = await search.search({ query: 'huu co xqzvwk', first: 10, locale: 'vi' });
    expect(operators).toEqual(['and', 'or']);
    expect(page.partial).toBe(true);
    expect(skus(page.hits)).toEqual(['SKU-000006']);
    // One word: nothing to fall back to.
    operators.length = 0;
    expect((await search.search({ query: 'xqzvwk', first: 10, locale: 'vi' })).partial).toBeUndefined();
    expect(operators).toEqual(['and']);
  });

  it('answers "in stock at a location" from PostgreSQL, where the stock projection is, never asking the index', async () => {
    const { asked, search, pg } = setUp();
    const request = { query: 'huu co', first: 10, locale: 'vi' as const, filter: { inStockAt: 'store-hcm-1' } };
    const page = await search.search(request);
    expect(asked).toHaveLength(0);
    expect(skus(page.hits)).toEqual(['SKU-000006', 'SKU-000024']);
    expect(page).toEqual(await pg.search({ ...request, sort: 'RELEVANCE' }));

    // The next page of the same search goes to the same engine, which takes its cursor.
    const first = await search.search({ ...request, first: 1 });
    const second = await search.search({ ...request, first: 1, after: first.nextCursor });
    expect(skus([...first.hits, ...second.hits])).toEqual(['SKU-000006', 'SKU-000024']);
    expect(asked).toHaveLength(0);
  });

  it('counts facets for an in-stock filter in PostgreSQL too', async () => {
    const { asked, search } = setUp();
    const facets = await search.facets({ query: 'huu co', locale: 'vi', filter: { inStockAt: 'store-hn-1' } });
    expect(asked).toHaveLength(0);
    expect(facets.categories).toEqual([
      { categoryId: 'cat-vegetables', count: 1 },
      { categoryId: 'cat-vegetables-roots-fruiting', count: 1 },
    ]);
  });

  it('sorts by POPULARITY in PostgreSQL, where the 7-day sales are', async () => {
    const { asked, search, pg } = setUp();
    const request = { query: 'huu co', first: 10, locale: 'vi' as const, sort: 'POPULARITY' as const };
    const page = await search.search(request);
    expect(asked).toHaveLength(0);
    expect(page).toEqual(await pg.search(request));
  });

  it('suggests from the index whatever the rest', async () => {
    const { asked, search } = setUp();
    expect(await search.suggest({ prefix: 'huu', first: 5, locale: 'vi' })).toEqual([]);
    expect(asked).toHaveLength(1);
  });

  it('is a wiring bug, not bad input, when no engine can answer', async () => {
    const { es } = setUp();
    const alone = new CatalogSearch(es, 100);
    expect(() => alone.search({ query: 'huu co', first: 5, locale: 'vi', sort: 'POPULARITY' })).toThrow(
      'The elasticsearch search engine cannot answer sort POPULARITY',
    );
  });
});

describe('createCatalogSearch', () => {
  it('puts the PostgreSQL engine behind Elasticsearch when ELASTICSEARCH_URL is set', async () => {
    const search = createCatalogSearch(db, { ELASTICSEARCH_URL: 'http://es.test:9200', MAX_PAGE_SIZE: 100 });
    expect(search.engine).toBeInstanceOf(ElasticsearchSearchEngine);
    expect(search.fallback).toBeInstanceOf(PostgresSearchEngine);
    await (search.engine as ElasticsearchSearchEngine).client.close();
  });

  it('uses PostgreSQL alone otherwise', () => {
    const search = createCatalogSearch(db, { MAX_PAGE_SIZE: 100 });
    expect(search.engine).toBeInstanceOf(PostgresSearchEngine);
    expect(search.fallback).toBeNull();
  });
});
