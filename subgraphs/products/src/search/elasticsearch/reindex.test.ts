// The rebuild and the event consumer, from a real (seeded) catalog table to the requests the
// Elasticsearch client sends, answered by @elastic/elasticsearch-mock.
import { Client, errors } from '@elastic/elasticsearch';
import Mock, { type MockPattern } from '@elastic/elasticsearch-mock';
import { createLogger, InProcessBus, makeEvent } from '@grocery/platform';
import { createTestDatabase, type TestDatabase } from '@grocery/platform/testing';
import { loadSeed } from '@grocery/seed';
import { createProductsDb, type ProductsDb } from '../../data/db';
import { CategoryEventType, PRODUCTS_TOPIC, ProductEventType } from '../../events/product-events';
import { PostgresSearchEngine } from '../postgres-search-engine';
import { ElasticsearchSearchEngine } from './elasticsearch-search-engine';
import { PRODUCT_MAPPING_VERSION } from './product-index';
import { reindexAll, type ReindexProgress } from './reindex';
import { startSearchIndexing } from './search-index-consumer';

interface Sent {
  method: string;
  path: string;
  body: unknown;
}
type BulkLine = Record<string, { _index: string; _id: string; version?: number }> & { nameVi?: string };

let database: TestDatabase;
let db: ProductsDb;

beforeAll(async () => {
  database = await createTestDatabase();
  await loadSeed({ databaseUrl: database.url, skus: 30 });
  db = createProductsDb(database.url);
}, 120_000);
afterAll(async () => {
  await db?.$disconnect();
  await database?.drop();
});

function fakeElasticsearch() {
  const mock = new Mock();
  const sent: Sent[] = [];
  const on = (method: string, path: string, answer: (p: MockPattern) => unknown) =>
    mock.add({ method, path }, (p) => {
      sent.push({ method: String(p.method), path: String(p.path), body: p.body });
      return answer(p) as Record<string, unknown>;
    });
  const client = new Client({ node: 'http://es.test:9200', Connection: mock.getConnection() });
  return { on, sent, engine: new ElasticsearchSearchEngine(client, { alias: 'products-test' }) };
}

const bulkOk = (p: MockPattern) => ({
  errors: false,
  took: 1,
  items: (p.body as BulkLine[]).filter((l) => l.index || l.delete).map(() => ({ index: { status: 200 } })),
});
/** An index already at this code's mapping (what startSearchIndexing checks first). */
function currentIndex(on: ReturnType<typeof fakeElasticsearch>['on']) {
  on('HEAD', '/products-test', () => ({}));
  on('GET', '/products-test/_mapping', () => ({
    'products-test-1': { mappings: { _meta: { mappingVersion: PRODUCT_MAPPING_VERSION }, properties: {} } },
  }));
}
const bulks = (sent: Sent[]) => sent.filter((s) => s.path === '/_bulk').map((s) => s.body as BulkLine[]);
const actions = (body: BulkLine[]) => body.filter((l) => l.index || l.delete);

describe('reindexAll', () => {
  it('fills a fresh index in batches with progress, swaps the alias, then re-indexes what was written meanwhile', async () => {
    const { on, sent, engine } = fakeElasticsearch();
    on('PUT', '/:index', () => ({ acknowledged: true }));
    on('POST', '/_bulk', bulkOk);
    on(
      'GET',
      '/_alias/products-test',
      () =>
        new errors.ResponseError({
          body: { status: 404 },
          statusCode: 404,
          headers: {},
          warnings: null,
          meta: {} as never,
        }),
    );
    on('POST', '/_aliases', () => ({ acknowledged: true }));

    const progress: ReindexProgress[] = [];
    const result = await reindexAll(
      db,
      engine,
      async (p) => {
        progress.push(p);
        // A staff edit while the rebuild runs: it must not be lost with the old index.
        if (p.indexed === 10)
          await db.product.update({ where: { sku: 'SKU-000005' }, data: { nameVi: 'Bánh tráng trộn Tây Ninh' } });
      },
      10,
    );

    expect(progress).toEqual([
      { indexed: 0, total: 30 },
      { indexed: 10, total: 30 },
      { indexed: 20, total: 30 },
      { indexed: 30, total: 30 },
    ]);
    expect(result).toMatchObject({ indexed: 30, total: 30, caughtUp: 1 });
    const created = sent.find((s) => s.method === 'PUT')!;
    expect(created.path).toBe(`/${result.index}`);
    expect(created.body).toMatchObject({ mappings: { dynamic: 'strict' } });

    const [first, second, third, catchUp] = bulks(sent);
    for (const batch of [first, second, third]) {
      expect(actions(batch)).toHaveLength(10);
      expect(actions(batch).every((a) => a.index._index === result.index)).toBe(true);
    }
    expect(actions(first).map((a) => a.index._id)).toEqual(
      Array.from({ length: 10 }, (_, i) => `SKU-${String(i + 1).padStart(6, '0')}`),
    );
    expect(sent.find((s) => s.path === '/_aliases')!.body).toEqual({
      actions: [{ add: { index: result.index, alias: 'products-test' } }],
    });
    // The catch-up goes through the alias, after the switch.
    expect(sent.findIndex((s) => s.path === '/_aliases')).toBeLessThan(sent.lastIndexOf(sent.at(-1)!));
    expect(catchUp[0]).toEqual({
      index: { _index: 'products-test', _id: 'SKU-000005', version: expect.any(Number), version_type: 'external_gte' },
    });
    expect(catchUp[1]).toMatchObject({ sku: 'SKU-000005', nameVi: 'Bánh tráng trộn Tây Ninh' });
  });
});

describe('reindexAll and archived products', () => {
  afterEach(() => db.product.updateMany({ where: { archivedAt: { not: null } }, data: { archivedAt: null } }));

  it('leaves archived products out of the rebuild and removes those archived while it ran', async () => {
    const { on, sent, engine } = fakeElasticsearch();
    on('PUT', '/:index', () => ({ acknowledged: true }));
    on('POST', '/_bulk', bulkOk);
    on('GET', '/_alias/products-test', () => ({ 'products-test-1': { aliases: { 'products-test': {} } } }));
    on('POST', '/_aliases', () => ({ acknowledged: true }));
    on('DELETE', '/:index', () => ({ acknowledged: true }));
    await db.product.update({ where: { sku: 'SKU-000020' }, data: { archivedAt: new Date() } });

    const result = await reindexAll(
      db,
      engine,
      async (p) => {
        // Archived after its batch went into the fresh index.
        if (p.indexed === 10)
          await db.product.update({ where: { sku: 'SKU-000004' }, data: { archivedAt: new Date() } });
      },
      10,
    );

    expect(result).toMatchObject({ total: 29, indexed: 29, removed: 1 });
    const indexedIds = bulks(sent)
      .flatMap(actions)
      .flatMap((a) => (a.index ? [a.index._id] : []));
    expect(indexedIds).not.toContain('SKU-000020');
    const last = bulks(sent).at(-1)!;
    const { version } = (await db.product.findUnique({ where: { sku: 'SKU-000004' } }))!;
    // Versioned: a late write of the product as it was before it was archived is refused.
    expect(last).toEqual([
      { delete: { _index: 'products-test', _id: 'SKU-000004', version, version_type: 'external_gte' } },
    ]);
    // Removed through the alias, after it was switched to the rebuilt index.
    expect(sent.findIndex((s) => s.path === '/_aliases')).toBeLessThan(sent.lastIndexOf(sent.at(-1)!));
  });
});

describe('search index consumer', () => {
  it('indexes a product from its current row on product.updated, and removes a SKU that no longer exists', async () => {
    const { on, sent, engine } = fakeElasticsearch();
    currentIndex(on);
    on('POST', '/_bulk', bulkOk);
    const bus = new InProcessBus({ logger: createLogger('silent', 'test') });
    const stop = await startSearchIndexing({ bus, db, engine, logger: createLogger('silent', 'test') });
    try {
      await db.product.update({ where: { sku: 'SKU-000007' }, data: { nameEn: 'Durian Ri6 Monthong 1kg' } });
      const updated = (sku: string) =>
        makeEvent({ source: 'test', type: 'product.updated', subject: sku, data: { sku } });
      await bus.publish(PRODUCTS_TOPIC, [updated('SKU-000007'), updated('SKU-999999')]);

      for (let i = 0; i < 100 && bulks(sent).length < 2; i++) await new Promise((r) => setTimeout(r, 20));
      // Different SKUs are different subjects: their bulk requests may arrive in either order.
      const all = bulks(sent);
      const indexed = all.find((b) => 'index' in (b[0] as object))!;
      const removed = all.find((b) => 'delete' in (b[0] as object))!;
      expect(all).toHaveLength(2);
      expect(indexed[0]).toEqual({
        index: {
          _index: 'products-test',
          _id: 'SKU-000007',
          version: expect.any(Number),
          version_type: 'external_gte',
        },
      });
      expect(indexed[1]).toMatchObject({ sku: 'SKU-000007', nameEn: 'Durian Ri6 Monthong 1kg' });
      expect(removed).toEqual([{ delete: { _index: 'products-test', _id: 'SKU-999999' } }]);
    } finally {
      await stop();
      await bus.close();
    }
  });

  it('indexes a product on product.created and removes it on product.archived, both read from the row', async () => {
    const { on, sent, engine } = fakeElasticsearch();
    currentIndex(on);
    on('POST', '/_bulk', bulkOk);
    const bus = new InProcessBus({ logger: createLogger('silent', 'test') });
    const stop = await startSearchIndexing({ bus, db, engine, logger: createLogger('silent', 'test') });
    const event = (type: string) =>
      makeEvent({ source: 'test', type, subject: 'SKU-000011', data: { sku: 'SKU-000011' } });
    const settle = async (n: number) => {
      for (let i = 0; i < 100 && bulks(sent).length < n; i++) await new Promise((r) => setTimeout(r, 20));
    };
    try {
      await bus.publish(PRODUCTS_TOPIC, [event(ProductEventType.created)]);
      await settle(1);
      expect(bulks(sent)[0][0]).toEqual({
        index: {
          _index: 'products-test',
          _id: 'SKU-000011',
          version: expect.any(Number),
          version_type: 'external_gte',
        },
      });
      expect(bulks(sent)[0][1]).toMatchObject({ sku: 'SKU-000011', reviewCount: 0, createdAt: expect.any(String) });

      // As archiveProduct does: archived_at set and the version bumped past the indexed one.
      const archived = await db.product.update({
        where: { sku: 'SKU-000011' },
        data: { archivedAt: new Date(), version: { increment: 1 } },
      });
      await bus.publish(PRODUCTS_TOPIC, [event(ProductEventType.archived)]);
      await settle(2);
      const indexedVersion = bulks(sent)[0][0].index!.version!;
      expect(archived.version).toBeGreaterThan(indexedVersion);
      expect(bulks(sent)[1]).toEqual([
        {
          delete: {
            _index: 'products-test',
            _id: 'SKU-000011',
            version: archived.version,
            version_type: 'external_gte',
          },
        },
      ]);

      // A promotion event on the same topic leaves the index alone.
      await bus.publish(PRODUCTS_TOPIC, [event('promotion.updated')]);
      await new Promise((r) => setTimeout(r, 100));
      expect(bulks(sent)).toHaveLength(2);
    } finally {
      await db.product.update({ where: { sku: 'SKU-000011' }, data: { archivedAt: null } });
      await stop();
      await bus.close();
    }
  });

  it('re-indexes every live product under a category when the category is renamed', async () => {
    const { on, sent, engine } = fakeElasticsearch();
    currentIndex(on);
    on('POST', '/_bulk', bulkOk);
    const bus = new InProcessBus({ logger: createLogger('silent', 'test') });
    const stop = await startSearchIndexing({ bus, db, engine, logger: createLogger('silent', 'test') });
    const [{ id: parent, name_en: oldName }] = await db.$queryRawUnsafe<{ id: string; name_en: string }[]>(
      `SELECT c.parent_id AS id, parent.name_en FROM products.product p
         JOIN products.category c ON c.id = p.category_id JOIN products.category parent ON parent.id = c.parent_id
        WHERE p.archived_at IS NULL GROUP BY c.parent_id, parent.name_en ORDER BY count(*) DESC LIMIT 1`,
    );
    const expected = (
      await db.$queryRawUnsafe<{ sku: string }[]>(
        `SELECT p.sku FROM products.product p JOIN products.category c ON c.id = p.category_id
          WHERE p.archived_at IS NULL AND (c.id = $1 OR c.parent_id = $1) ORDER BY p.sku`,
        parent,
      )
    ).map((r) => r.sku);
    try {
      await db.category.update({ where: { id: parent }, data: { nameEn: 'Renamed department' } });
      await bus.publish(PRODUCTS_TOPIC, [
        makeEvent({ source: 'test', type: CategoryEventType.updated, subject: parent, data: { id: parent } }),
      ]);
      for (let i = 0; i < 100 && bulks(sent).length < 1; i++) await new Promise((r) => setTimeout(r, 20));
      const docs = bulks(sent).flatMap((b) => b.filter((l) => !l.index && !l.delete)) as unknown as {
        sku: string;
        categoryNames: unknown;
      }[];
      expect(expected.length).toBeGreaterThan(1);
      expect(docs.map((d) => d.sku)).toEqual(expected);
      expect(JSON.stringify(docs[0])).toContain('Renamed department');
    } finally {
      await db.category.update({ where: { id: parent }, data: { nameEn: oldName } });
      await stop();
      await bus.close();
    }
  });

  it('does nothing for the PostgreSQL engine, whose index is the table', async () => {
    const bus = new InProcessBus({ logger: createLogger('silent', 'test') });
    const subscribe = jest.spyOn(bus, 'subscribe');
    const stop = await startSearchIndexing({
      bus,
      db,
      engine: new PostgresSearchEngine(db),
      logger: createLogger('silent', 'test'),
    });
    await stop();
    await bus.close();
    expect(subscribe).not.toHaveBeenCalled();
  });
});
