// The Elasticsearch engine at its seam: the official client over @elastic/elasticsearch-mock,
// which answers at the HTTP layer. These tests pin what is sent (index settings and mapping,
// bulk bodies, query DSL) and how answers are read; no Elasticsearch server is involved.
import { Client, errors } from '@elastic/elasticsearch';
import Mock, { type MockPattern } from '@elastic/elasticsearch-mock';
import { searchFingerprint } from '../../domain/query-fingerprint';
import { decodeSearchCursor } from '../search-cursor';
import type { ProductSortKey } from '../../domain/product-sort';
import type { IndexableProduct } from '../search-engine';
import { ElasticsearchSearchEngine } from './elasticsearch-search-engine';

interface Sent {
  method: string;
  path: string;
  body: unknown;
}

function setUp() {
  const mock = new Mock();
  const sent: Sent[] = [];
  const record = (answer: (p: MockPattern) => Record<string, unknown> | ResponseErrorLike) => (p: MockPattern) => {
    sent.push({ method: String(p.method), path: String(p.path), body: p.body });
    return answer(p) as Record<string, unknown>;
  };
  const client = new Client({ node: 'http://es.test:9200', Connection: mock.getConnection() });
  const engine = new ElasticsearchSearchEngine(client, { alias: 'products-test' });
  return { mock, sent, record, engine };
}

type ResponseErrorLike = InstanceType<typeof errors.ResponseError>;

const notFound = () =>
  new errors.ResponseError({
    body: { error: { type: 'index_not_found_exception' }, status: 404 },
    statusCode: 404,
    headers: {},
    warnings: null,
    meta: {} as never,
  });

const milk: IndexableProduct = {
  sku: 'SKU-000001',
  nameEn: 'Vinamilk Fresh Milk 1L',
  nameVi: 'Sữa tươi Vinamilk 1L',
  brand: 'Vinamilk',
  manufacturer: 'Công ty Vinamilk',
  descriptionEn: 'Pasteurised fresh milk.',
  descriptionVi: 'Sữa tươi thanh trùng.',
  tags: ['sữa', 'milk'],
  dietary: ['vegetarian'],
  isPerishable: true,
  priceAmount: 32000,
  priceCurrency: 'VND',
  category: {
    id: 'cat-dairy-milk',
    nameEn: 'Milk',
    nameVi: 'Sữa',
    parent: { id: 'cat-dairy', nameEn: 'Dairy & Eggs', nameVi: 'Sữa & Trứng' },
  },
  ratingAverage: 4.5,
  reviewCount: 12,
  createdAt: new Date('2026-03-01T08:30:00.000Z'),
  expiresAt: new Date('2026-12-01T00:00:00.000Z'),
  version: 3,
};

describe('ElasticsearchSearchEngine', () => {
  it('creates its first index with the Vietnamese-folding analysis chain and the product mapping, behind the alias', async () => {
    const { mock, sent, record, engine } = setUp();
    mock.add({ method: 'HEAD', path: '/products-test' }, record(notFound));
    mock.add(
      { method: 'PUT', path: '/:index' },
      record(() => ({ acknowledged: true })),
    );
    mock.add(
      { method: 'PUT', path: '/:index/_alias/:name' },
      record(() => ({ acknowledged: true })),
    );

    expect(await engine.ensureIndex()).toBe(true);

    const [, create, alias] = sent;
    expect(create.path).toMatch(/^\/products-test-\d+$/);
    expect(alias.path).toBe(`${create.path}/_alias/products-test`);
    expect(create.body).toEqual({
      settings: {
        number_of_shards: 1,
        max_result_window: 10_100,
        analysis: {
          char_filter: {
            vi_y_to_i: { type: 'mapping', mappings: ['y => i', 'Y => i', 'ỳ => i', 'Ỳ => i', 'ý => i', 'Ý => i'] },
          },
          filter: { vi_prefix_edge_ngram: { type: 'edge_ngram', min_gram: 1, max_gram: 20 } },
          analyzer: {
            vi_folding: {
              type: 'custom',
              char_filter: ['vi_y_to_i'],
              tokenizer: 'standard',
              filter: ['lowercase', 'asciifolding'],
            },
            vi_folding_prefix: {
              type: 'custom',
              char_filter: ['vi_y_to_i'],
              tokenizer: 'standard',
              filter: ['lowercase', 'asciifolding', 'vi_prefix_edge_ngram'],
            },
          },
          normalizer: {
            vi_folding_keyword: { type: 'custom', char_filter: ['vi_y_to_i'], filter: ['lowercase', 'asciifolding'] },
          },
        },
      },
      mappings: {
        dynamic: 'strict',
        _meta: { mappingVersion: 2 },
        properties: {
          sku: { type: 'keyword' },
          nameVi: {
            type: 'text',
            analyzer: 'vi_folding',
            fields: { prefix: { type: 'text', analyzer: 'vi_folding_prefix', search_analyzer: 'vi_folding' } },
          },
          nameEn: {
            type: 'text',
            analyzer: 'vi_folding',
            fields: { prefix: { type: 'text', analyzer: 'vi_folding_prefix', search_analyzer: 'vi_folding' } },
          },
          brand: {
            type: 'text',
            analyzer: 'vi_folding',
            fields: { folded: { type: 'keyword', normalizer: 'vi_folding_keyword' }, keyword: { type: 'keyword' } },
          },
          manufacturer: { type: 'text', analyzer: 'vi_folding' },
          descriptionVi: { type: 'text', analyzer: 'vi_folding' },
          descriptionEn: { type: 'text', analyzer: 'vi_folding' },
          tags: { type: 'text', analyzer: 'vi_folding', fields: { keyword: { type: 'keyword' } } },
          categoryNames: { type: 'text', analyzer: 'vi_folding' },
          categoryNameParts: { type: 'keyword', normalizer: 'vi_folding_keyword' },
          categoryIds: { type: 'keyword' },
          dietary: { type: 'keyword' },
          isPerishable: { type: 'boolean' },
          priceAmount: { type: 'long' },
          priceCurrency: { type: 'keyword', index: false },
          ratingAverage: { type: 'double' },
          reviewCount: { type: 'integer' },
          createdAt: { type: 'date' },
          expiresAt: { type: 'date' },
        },
      },
    });
  });

  it('leaves an existing alias alone', async () => {
    const { mock, sent, record, engine } = setUp();
    mock.add(
      { method: 'HEAD', path: '/products-test' },
      record(() => ({})),
    );
    expect(await engine.ensureIndex()).toBe(false);
    expect(sent.map((s) => s.method)).toEqual(['HEAD']);
  });

  it('indexes a product as one versioned bulk action with its folded-search document', async () => {
    const { mock, sent, record, engine } = setUp();
    mock.add(
      { method: 'POST', path: '/_bulk' },
      record(() => ({ errors: false, took: 1, items: [{ index: { _id: milk.sku, status: 201 } }] })),
    );

    await engine.index([milk]);

    expect(sent).toEqual([
      {
        method: 'POST',
        path: '/_bulk',
        body: [
          { index: { _index: 'products-test', _id: 'SKU-000001', version: 3, version_type: 'external_gte' } },
          {
            sku: 'SKU-000001',
            nameVi: 'Sữa tươi Vinamilk 1L',
            nameEn: 'Vinamilk Fresh Milk 1L',
            brand: 'Vinamilk',
            manufacturer: 'Công ty Vinamilk',
            descriptionVi: 'Sữa tươi thanh trùng.',
            descriptionEn: 'Pasteurised fresh milk.',
            tags: ['sữa', 'milk'],
            categoryNames: ['Sữa', 'Milk', 'Sữa & Trứng', 'Dairy & Eggs'],
            categoryNameParts: ['Sữa', 'Milk', 'Trứng', 'Dairy', 'Eggs'],
            categoryIds: ['cat-dairy-milk', 'cat-dairy'],
            dietary: ['vegetarian'],
            isPerishable: true,
            priceAmount: 32000,
            priceCurrency: 'VND',
            ratingAverage: 4.5,
            reviewCount: 12,
            createdAt: '2026-03-01T08:30:00.000Z',
            expiresAt: '2026-12-01T00:00:00.000Z',
          },
        ],
      },
    ]);
  });

  it('removes SKUs with bulk deletes, taking "already gone" and "newer version indexed" as done', async () => {
    const { mock, sent, record, engine } = setUp();
    mock.add(
      { method: 'POST', path: '/_bulk' },
      record(() => ({
        errors: true,
        took: 1,
        items: [
          { delete: { _id: 'SKU-000002', status: 404, error: { type: 'not_found', reason: 'gone' } } },
          { delete: { _id: 'SKU-000003', status: 200 } },
        ],
      })),
    );
    await engine.remove(['SKU-000002', 'SKU-000003']);
    expect(sent[0].body).toEqual([
      { delete: { _index: 'products-test', _id: 'SKU-000002' } },
      { delete: { _index: 'products-test', _id: 'SKU-000003' } },
    ]);
  });

  it('fails loudly when a bulk action is refused for another reason', async () => {
    const { mock, record, engine } = setUp();
    mock.add(
      { method: 'POST', path: '/_bulk' },
      record(() => ({
        errors: true,
        took: 1,
        items: [
          {
            index: {
              _id: 'SKU-000001',
              status: 400,
              error: { type: 'strict_dynamic_mapping_exception', reason: 'mapping set to strict' },
            },
          },
        ],
      })),
    );
    await expect(engine.index([milk])).rejects.toThrow(
      'Elasticsearch bulk: 1 of 1 operations failed; first: SKU-000001: strict_dynamic_mapping_exception: mapping set to strict',
    );
  });

  it('sends the query DSL: folded words across fields, typo fallback, phrase and category boosts, every filter', async () => {
    const { mock, sent, record, engine } = setUp();
    mock.add(
      { method: 'POST', path: '/products-test/_search' },
      record(() => ({ took: 1, timed_out: false, hits: { total: { value: 0, relation: 'eq' }, hits: [] } })),
    );

    await engine.search({
      query: 'sua tuoi',
      filter: {
        categoryId: 'cat-dairy',
        dietary: ['organic', 'vegetarian'],
        isPerishable: true,
        brand: 'vinamilk',
        minPrice: 20000,
        maxPrice: 60000,
        tags: ['milk', 'pasteurised'],
        expiringWithinDays: 3,
        minRating: 4,
      },
      first: 20,
      locale: 'vi',
    });

    expect(sent[0].body).toEqual({
      from: 0,
      size: 20,
      track_total_hits: true,
      _source: false,
      query: {
        bool: {
          should: [
            {
              multi_match: {
                query: 'sua tuoi',
                type: 'cross_fields',
                operator: 'and',
                fields: [
                  'nameVi^3',
                  'nameEn^3',
                  'brand^1.5',
                  'manufacturer^1.5',
                  'categoryNames',
                  'tags^0.8',
                  'descriptionVi^0.3',
                  'descriptionEn^0.3',
                ],
                boost: 2,
              },
            },
            {
              multi_match: {
                query: 'sua tuoi',
                type: 'best_fields',
                operator: 'and',
                fields: ['nameVi^1.5', 'nameEn^1.5', 'brand'],
                fuzziness: 'AUTO',
                prefix_length: 1,
              },
            },
            { match_phrase: { nameVi: { query: 'sua tuoi', boost: 1 } } },
            { match_phrase: { nameEn: { query: 'sua tuoi', boost: 1 } } },
            { match_phrase_prefix: { nameVi: { query: 'sua tuoi', boost: 0.5 } } },
            { term: { categoryNameParts: { value: 'sua tuoi', boost: 10 } } },
          ],
          minimum_should_match: 1,
          filter: [
            { term: { categoryIds: 'cat-dairy' } },
            { term: { dietary: 'organic' } },
            { term: { dietary: 'vegetarian' } },
            { term: { 'tags.keyword': 'milk' } },
            { term: { 'tags.keyword': 'pasteurised' } },
            { term: { isPerishable: true } },
            { term: { 'brand.folded': 'vinamilk' } },
            { range: { priceAmount: { gte: 20000, lte: 60000 } } },
            { range: { expiresAt: { gte: 'now', lt: 'now+3d' } } },
            { range: { ratingAverage: { gte: 4 } } },
          ],
        },
      },
      sort: [{ _score: { order: 'desc' } }, { sku: { order: 'asc' } }],
    });
  });

  it('reads a search response as hits with scores and cursors that resume after each hit', async () => {
    const { mock, sent, record, engine } = setUp();
    mock.add(
      { method: 'POST', path: '/products-test/_search' },
      record(() => ({
        took: 3,
        timed_out: false,
        hits: {
          total: { value: 3, relation: 'eq' },
          max_score: null,
          hits: [
            { _index: 'products-test-1', _id: 'SKU-000007', _score: 12.5, sort: [12.5, 'SKU-000007'] },
            { _index: 'products-test-1', _id: 'SKU-000003', _score: 9.25, sort: [9.25, 'SKU-000003'] },
          ],
        },
      })),
    );
    const request = { query: 'ca phe', first: 2, locale: 'vi' as const };

    const page = await engine.search(request);

    expect(page.totalCount).toBe(3);
    expect(page.hits.map((h) => [h.sku, h.score])).toEqual([
      ['SKU-000007', 12.5],
      ['SKU-000003', 9.25],
    ]);
    expect(page.nextCursor).toBe(page.hits[1].cursor);
    const fingerprint = searchFingerprint('ca phe', undefined);
    expect(page.hits.map((h) => decodeSearchCursor(h.cursor, fingerprint))).toEqual([1, 2]);

    await engine.search({ ...request, after: page.nextCursor });
    expect(sent[1].body).toMatchObject({ from: 2, size: 2 });
  });

  it('says there is no next page when the last hit is the last match', async () => {
    const { mock, record, engine } = setUp();
    mock.add(
      { method: 'POST', path: '/products-test/_search' },
      record(() => ({
        took: 1,
        timed_out: false,
        hits: { total: { value: 1, relation: 'eq' }, hits: [{ _index: 'i', _id: 'SKU-000009', _score: 2 }] },
      })),
    );
    const page = await engine.search({ query: 'durian', first: 5, locale: 'en' });
    expect(page.nextCursor).toBeNull();
  });

  it('refuses a cursor of another search before asking Elasticsearch', async () => {
    const { sent, engine } = setUp();
    await expect(
      engine.search({ query: 'ca phe', first: 5, locale: 'vi', after: 'bm90LWEtY3Vyc29y' }),
    ).rejects.toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
    expect(sent).toHaveLength(0);
  });

  it('suggests names in the request language, prefix matches first', async () => {
    const { mock, sent, record, engine } = setUp();
    mock.add(
      { method: 'POST', path: '/products-test/_search' },
      record(() => ({
        took: 1,
        timed_out: false,
        hits: {
          total: { value: 1, relation: 'eq' },
          hits: [
            {
              _index: 'i',
              _id: 'SKU-000001',
              _score: 4,
              _source: { sku: 'SKU-000001', nameVi: 'Sữa tươi Vinamilk 1L', nameEn: 'Vinamilk Fresh Milk 1L' },
            },
          ],
        },
      })),
    );
    expect(await engine.suggest({ prefix: 'sua tu', locale: 'vi', limit: 5 })).toEqual([
      { sku: 'SKU-000001', text: 'Sữa tươi Vinamilk 1L' },
    ]);
    expect(sent[0].body).toEqual({
      size: 5,
      track_total_hits: false,
      _source: ['sku', 'nameVi', 'nameEn'],
      query: {
        bool: {
          should: [
            { match_phrase_prefix: { nameVi: { query: 'sua tu', boost: 4 } } },
            { match: { 'nameVi.prefix': { query: 'sua tu', operator: 'and', boost: 2 } } },
            { match: { 'nameEn.prefix': { query: 'sua tu', operator: 'and' } } },
            { match: { nameVi: { query: 'sua tu', operator: 'and', fuzziness: 'AUTO', prefix_length: 1 } } },
          ],
          minimum_should_match: 1,
        },
      },
      sort: [{ _score: { order: 'desc' } }, { sku: { order: 'asc' } }],
    });
  });

  it('moves the alias to a rebuilt index in one request and deletes the old index', async () => {
    const { mock, sent, record, engine } = setUp();
    mock.add(
      { method: 'GET', path: '/_alias/products-test' },
      record(() => ({ 'products-test-1': { aliases: { 'products-test': {} } } })),
    );
    mock.add(
      { method: 'POST', path: '/_aliases' },
      record(() => ({ acknowledged: true })),
    );
    mock.add(
      { method: 'DELETE', path: '/:index' },
      record(() => ({ acknowledged: true })),
    );

    await engine.switchAlias('products-test-2');

    expect(sent.slice(1)).toEqual([
      {
        method: 'POST',
        path: '/_aliases',
        body: {
          actions: [
            { remove: { index: 'products-test-1', alias: 'products-test' } },
            { add: { index: 'products-test-2', alias: 'products-test' } },
          ],
        },
      },
      { method: 'DELETE', path: '/products-test-1', body: null },
    ]);
  });

  const emptyHits = () => ({ took: 1, timed_out: false, hits: { total: { value: 0, relation: 'eq' }, hits: [] } });

  it.each<[ProductSortKey, unknown[]]>([
    ['PRICE_ASC', [{ priceAmount: { order: 'asc' } }, { sku: { order: 'asc' } }]],
    ['PRICE_DESC', [{ priceAmount: { order: 'desc' } }, { sku: { order: 'asc' } }]],
    ['RATING', [{ ratingAverage: { order: 'desc', missing: '_last' } }, { sku: { order: 'asc' } }]],
    ['NEWEST', [{ createdAt: { order: 'desc' } }, { sku: { order: 'asc' } }]],
  ])('sorts %s by its field, ties by SKU, still scoring every hit', async (sort, expected) => {
    const { mock, sent, record, engine } = setUp();
    mock.add({ method: 'POST', path: '/products-test/_search' }, record(emptyHits));
    await engine.search({ query: 'sua', first: 10, locale: 'vi', sort });
    expect(sent[0].body).toMatchObject({ track_scores: true, sort: expected });
  });

  it('sorts RELEVANCE by score then SKU, without asking for scores twice', async () => {
    const { mock, sent, record, engine } = setUp();
    mock.add({ method: 'POST', path: '/products-test/_search' }, record(emptyHits));
    await engine.search({ query: 'sua', first: 10, locale: 'vi', sort: 'RELEVANCE' });
    expect(sent[0].body).not.toHaveProperty('track_scores');
    expect(sent[0].body).toMatchObject({ sort: [{ _score: { order: 'desc' } }, { sku: { order: 'asc' } }] });
  });

  it('binds its cursors to the sort: a PRICE_ASC cursor is refused by the same search sorted NEWEST', async () => {
    const { mock, sent, record, engine } = setUp();
    mock.add(
      { method: 'POST', path: '/products-test/_search' },
      record(() => ({
        took: 1,
        timed_out: false,
        hits: {
          total: { value: 5, relation: 'eq' },
          hits: [{ _index: 'i', _id: 'SKU-000030', _score: 1.5, sort: [6500, 'SKU-000030'] }],
        },
      })),
    );
    const page = await engine.search({ query: 'sua', first: 1, locale: 'vi', sort: 'PRICE_ASC' });
    // The score is the relevance (track_scores), not the price the hit was sorted by.
    expect(page.hits).toEqual([{ sku: 'SKU-000030', score: 1.5, cursor: page.nextCursor }]);
    expect(decodeSearchCursor(page.nextCursor!, searchFingerprint('sua', undefined, 'PRICE_ASC'))).toBe(1);
    await expect(
      engine.search({ query: 'sua', first: 1, locale: 'vi', sort: 'NEWEST', after: page.nextCursor }),
    ).rejects.toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
    expect(sent).toHaveLength(1);
  });

  it('declares it cannot answer inStockAt or POPULARITY, and refuses them rather than ignore them', async () => {
    const { sent, engine } = setUp();
    expect([...engine.capabilities.filters]).not.toContain('inStockAt');
    expect([...engine.capabilities.sorts].sort()).toEqual(['NEWEST', 'PRICE_ASC', 'PRICE_DESC', 'RATING', 'RELEVANCE']);
    await expect(
      engine.search({ query: 'sua', first: 5, locale: 'vi', filter: { inStockAt: 'store-1' } }),
    ).rejects.toThrow('The Elasticsearch engine cannot answer filter.inStockAt');
    await expect(engine.search({ query: 'sua', first: 5, locale: 'vi', sort: 'POPULARITY' })).rejects.toThrow(
      'The Elasticsearch engine cannot answer sort POPULARITY',
    );
    await expect(engine.facets({ query: 'sua', locale: 'vi', filter: { inStockAt: 'store-1' } })).rejects.toThrow(
      'cannot answer filter.inStockAt',
    );
    expect(sent).toHaveLength(0);
  });

  it('asks for facets as aggregations over the same query and filter, with no hits', async () => {
    const { mock, sent, record, engine } = setUp();
    mock.add(
      { method: 'POST', path: '/products-test/_search' },
      record(() => ({ took: 1, timed_out: false, hits: { hits: [] }, aggregations: {} })),
    );
    const filter = { dietary: ['vegan'], minRating: 3 };
    await engine.facets({ query: 'sua', locale: 'vi', filter });
    const search = setUp();
    search.mock.add({ method: 'POST', path: '/products-test/_search' }, search.record(emptyHits));
    await search.engine.search({ query: 'sua', locale: 'vi', filter, first: 5 });

    const body = sent[0].body as Record<string, unknown>;
    expect(body.query).toEqual((search.sent[0].body as Record<string, unknown>).query);
    expect({ ...body, query: undefined }).toEqual({
      size: 0,
      track_total_hits: false,
      query: undefined,
      aggs: {
        categories: { terms: { field: 'categoryIds', size: 1000, order: [{ _count: 'desc' }, { _key: 'asc' }] } },
        dietary: { terms: { field: 'dietary', size: 100, order: [{ _count: 'desc' }, { _key: 'asc' }] } },
        brands: { terms: { field: 'brand.keyword', size: 20, order: [{ _count: 'desc' }, { _key: 'asc' }] } },
        priceBuckets: {
          range: {
            field: 'priceAmount',
            ranges: [
              { key: '0', from: 0, to: 20_000 },
              { key: '1', from: 20_000, to: 50_000 },
              { key: '2', from: 50_000, to: 100_000 },
              { key: '3', from: 100_000, to: 200_000 },
              { key: '4', from: 200_000, to: 500_000 },
              { key: '5', from: 500_000 },
            ],
          },
        },
      },
    });
  });

  it('reads aggregations as facets: departments counting their sub-categories, every price bucket', async () => {
    const { mock, record, engine } = setUp();
    mock.add(
      { method: 'POST', path: '/products-test/_search' },
      record(() => ({
        took: 2,
        timed_out: false,
        hits: { hits: [] },
        aggregations: {
          // Three milks and one yoghurt: the department holds all four.
          categories: {
            buckets: [
              { key: 'cat-dairy', doc_count: 4 },
              { key: 'cat-dairy-fresh-milk', doc_count: 3 },
              { key: 'cat-dairy-yoghurt', doc_count: 1 },
            ],
          },
          dietary: { buckets: [{ key: 'vegetarian', doc_count: 2 }] },
          brands: {
            buckets: [
              { key: 'Vinamilk', doc_count: 3 },
              { key: 'TH true MILK', doc_count: 1 },
            ],
          },
          priceBuckets: {
            buckets: [
              { key: '0', from: 0, to: 20_000, doc_count: 1 },
              { key: '1', from: 20_000, to: 50_000, doc_count: 3 },
              { key: '2', from: 50_000, to: 100_000, doc_count: 0 },
              { key: '3', from: 100_000, to: 200_000, doc_count: 0 },
              { key: '4', from: 200_000, to: 500_000, doc_count: 0 },
              { key: '5', from: 500_000, doc_count: 0 },
            ],
          },
        },
      })),
    );
    expect(await engine.facets({ query: 'sua', locale: 'vi' })).toEqual({
      categories: [
        { categoryId: 'cat-dairy', count: 4 },
        { categoryId: 'cat-dairy-fresh-milk', count: 3 },
        { categoryId: 'cat-dairy-yoghurt', count: 1 },
      ],
      dietary: [{ label: 'vegetarian', count: 2 }],
      brands: [
        { brand: 'Vinamilk', count: 3 },
        { brand: 'TH true MILK', count: 1 },
      ],
      priceBuckets: [
        { min: 0, max: 20_000, count: 1 },
        { min: 20_000, max: 50_000, count: 3 },
        { min: 50_000, max: 100_000, count: 0 },
        { min: 100_000, max: 200_000, count: 0 },
        { min: 200_000, max: 500_000, count: 0 },
        { min: 500_000, max: null, count: 0 },
      ],
    });
  });

  it('answers empty facets, all price buckets at zero, when nothing matches', async () => {
    const { mock, record, engine } = setUp();
    const empty = { buckets: [] };
    mock.add(
      { method: 'POST', path: '/products-test/_search' },
      record(() => ({
        took: 1,
        timed_out: false,
        hits: { hits: [] },
        aggregations: { categories: empty, dietary: empty, brands: empty, priceBuckets: empty },
      })),
    );
    const facets = await engine.facets({ query: 'xqzvwk', locale: 'en' });
    expect(facets).toMatchObject({ categories: [], dietary: [], brands: [] });
    expect(facets.priceBuckets.map((b) => b.count)).toEqual([0, 0, 0, 0, 0, 0]);
  });

  it('leaves an index at the current mapping version alone', async () => {
    const { mock, sent, record, engine } = setUp();
    mock.add(
      { method: 'HEAD', path: '/products-test' },
      record(() => ({})),
    );
    mock.add(
      { method: 'GET', path: '/products-test/_mapping' },
      record(() => ({ 'products-test-2': { mappings: { _meta: { mappingVersion: 2 }, properties: {} } } })),
    );
    expect(await engine.ensureCurrentMapping()).toBe('current');
    expect(sent.map((s) => `${s.method} ${s.path}`)).toEqual(['HEAD /products-test', 'GET /products-test/_mapping']);
  });

  it('adds the new fields to an index created by older code, which needs a rebuild to fill them', async () => {
    const { mock, sent, record, engine } = setUp();
    mock.add(
      { method: 'HEAD', path: '/products-test' },
      record(() => ({})),
    );
    // Version 1 had no _meta at all.
    mock.add(
      { method: 'GET', path: '/products-test/_mapping' },
      record(() => ({ 'products-test-1': { mappings: { dynamic: 'strict', properties: {} } } })),
    );
    mock.add(
      { method: 'PUT', path: '/products-test/_mapping' },
      record(() => ({ acknowledged: true })),
    );

    expect(await engine.ensureCurrentMapping()).toBe('upgraded');

    const put = sent[2];
    expect(put.path).toBe('/products-test/_mapping');
    expect(put.body).toMatchObject({
      dynamic: 'strict',
      _meta: { mappingVersion: 2 },
      properties: {
        ratingAverage: { type: 'double' },
        createdAt: { type: 'date' },
        tags: { fields: { keyword: { type: 'keyword' } } },
        brand: { fields: { keyword: { type: 'keyword' } } },
      },
    });
  });
});
