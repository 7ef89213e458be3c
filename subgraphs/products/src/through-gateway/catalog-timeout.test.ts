// Catalog queries run under a statement timeout (CATALOG_STATEMENT_TIMEOUT_MS): a search, a page
// or a ranking that takes longer is cancelled by PostgreSQL and answered with QUERY_TIMEOUT, and
// the catalog answers again once the query can run in time.
import { Client as PgClient } from 'pg';
import {
  NO_RESPONSE_CACHE,
  startTestPlatform,
  type GraphQLResult,
  type TestPlatform,
  testTokens,
} from '@grocery/gateway/testing';

const TIMEOUT_MS = 300;

let p: TestPlatform;
beforeAll(async () => {
  p = await startTestPlatform({
    subgraphs: ['products'],
    verificationKeys: (await testTokens()).verificationKeys,
    seedSkus: 50,
    env: { ...NO_RESPONSE_CACHE, CATALOG_STATEMENT_TIMEOUT_MS: String(TIMEOUT_MS) },
  });
});
afterAll(() => p?.stop());

const SEARCH = '{ search(query: "sua tuoii", first: 5) { totalCount edges { node { sku } } } }';
const FACETS = '{ search(query: "banh quy", first: 0) { facets { brands { brand count } } } }';
const BROWSE = '{ products(first: 5, filter: { minPrice: 1000 }) { totalCount edges { node { sku } } } }';
const POPULAR = '{ popularProducts(first: 5) { sku } }';
const SUGGEST = '{ searchSuggestions(prefix: "sua") { text } }';

/** Runs `fn` while another session holds the catalog table, so every catalog query waits past the timeout. */
async function whileCatalogLocked<T>(fn: () => Promise<T>): Promise<T> {
  const pg = new PgClient({ connectionString: p.database.url });
  await pg.connect();
  try {
    await pg.query('BEGIN');
    await pg.query('LOCK TABLE products.product IN ACCESS EXCLUSIVE MODE');
    return await fn();
  } finally {
    await pg.query('ROLLBACK').catch(() => undefined);
    await pg.end();
  }
}

const expectTimedOut = (r: GraphQLResult) => {
  expect(r.status).toBe(200);
  expect(r.errors).toHaveLength(1);
  expect(r.errors![0]!.extensions).toMatchObject({
    code: 'QUERY_TIMEOUT',
    limit: 'statementTimeout',
    max: TIMEOUT_MS,
  });
  expect(r.errors![0]!.message).toMatch(/took longer than .* s .*Narrow the search/);
};

it('answers QUERY_TIMEOUT for a search, its facets, a page, the best sellers and suggestions that run too long', async () => {
  const answers = await whileCatalogLocked(() =>
    Promise.all([SEARCH, FACETS, BROWSE, POPULAR, SUGGEST].map((q) => p.gql(q))),
  );
  answers.forEach(expectTimedOut);
});

it('answers the same queries once they run in time', async () => {
  for (const q of [SEARCH, FACETS, BROWSE, POPULAR, SUGGEST]) {
    const r = await p.gql(q);
    expect({ q, status: r.status, errors: r.errors }).toEqual({ q, status: 200, errors: undefined });
  }
  expect((await p.gql(SEARCH)).data!.search.totalCount).toBeGreaterThan(0);
});
