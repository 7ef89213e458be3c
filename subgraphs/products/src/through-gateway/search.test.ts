// Catalog search through the gateway, on the seeded 5,000-SKU catalog: the relevance set,
// Vietnamese folding, typos, suggestions, filters, pagination and bad input.
import { generateCatalog } from '@grocery/seed';
import { Client } from 'pg';
import { meets, RELEVANCE_SET, type CandidateProduct } from '../search/relevance-set';
import { NO_RESPONSE_CACHE, startTestPlatform, type GraphQLResult, type TestPlatform } from '@grocery/gateway/testing';

const SKUS = 5000;
let p: TestPlatform;

beforeAll(async () => {
  p = await startTestPlatform({ seedSkus: SKUS, env: NO_RESPONSE_CACHE });
}, 120_000);
afterAll(() => p?.stop());

interface Hit extends CandidateProduct {
  sku: string;
  name: string;
  isPerishable: boolean;
  price: { amount: number };
}
interface Page {
  totalCount: number;
  edges: { cursor: string; node: Hit }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

const SEARCH = `query ($q: String!, $f: ProductFilter, $first: Int, $after: String) {
  search(query: $q, filter: $f, first: $first, after: $after) {
    totalCount
    edges { cursor node { sku name names { en vi } brand isPerishable price { amount } category { id } } }
    pageInfo { hasNextPage endCursor }
  }
}`;

async function search(
  q: string,
  vars: { f?: Record<string, unknown>; first?: number; after?: string | null } = {},
  lang = 'vi',
): Promise<GraphQLResult<{ search: Page }>> {
  return p.gql(SEARCH, { q, ...vars }, { lang });
}

async function page(q: string, vars: Parameters<typeof search>[1] = {}, lang = 'vi'): Promise<Page> {
  const r = await search(q, vars, lang);
  expect(r.errors).toBeUndefined();
  return r.data!.search;
}

const skus = (pg: Page) => pg.edges.map((e) => e.node.sku);

describe('the relevance set', () => {
  const catalog = generateCatalog({ skus: SKUS }).products.map((s): CandidateProduct => ({
    names: { en: s.nameEn, vi: s.nameVi },
    brand: s.brand,
    category: { id: s.categoryId },
  }));

  it('has at least 40 queries of every kind, each expectation met by some but not all seeded products', () => {
    expect(RELEVANCE_SET.length).toBeGreaterThanOrEqual(40);
    for (const kind of ['vi', 'vi-unaccented', 'en', 'typo', 'brand'])
      expect(RELEVANCE_SET.filter((c) => c.kind === kind).length).toBeGreaterThanOrEqual(5);
    for (const c of RELEVANCE_SET)
      for (const e of c.top5) {
        const n = catalog.filter((product) => meets(product, e)).length;
        expect({ query: c.query, satisfiable: n > 0, selective: n < catalog.length }).toEqual({
          query: c.query,
          satisfiable: true,
          selective: true,
        });
      }
  });

  it.each(RELEVANCE_SET.map((c) => [c.query, c] as const))('finds what "%s" asks for in the top 5', async (_, c) => {
    const top = (await page(c.query, { first: 5 }, c.lang)).edges.map((e) => e.node);
    for (const e of c.top5) {
      const found = top.some((node) => meets(node, e));
      if (!found)
        throw new Error(`"${c.query}" top 5 lacks ${JSON.stringify(e)}: ${top.map((n) => n.names.vi).join(' | ')}`);
    }
  });
});

describe('matching', () => {
  it('ignores diacritics: "sua tuoi" ranks exactly like "sữa tươi", and đ matches d', async () => {
    const plain = await page('sua tuoi');
    const marked = await page('sữa tươi');
    expect(skus(plain)).toEqual(skus(marked));
    expect(plain.totalCount).toBe(marked.totalCount);
    expect(plain.edges[0].node.names.vi).toMatch(/^Sữa tươi/);
    const tofu = await page('dau hu', { first: 5 });
    expect(tofu.edges.some((e) => e.node.names.vi.startsWith('Đậu hũ'))).toBe(true);
    const coffee = await page('CA PHE', { first: 5 });
    expect(coffee.edges.every((e) => e.node.names.vi.includes('Cà phê'))).toBe(true);
  });

  it('tolerates typos and spelling variants: "choclate", "bánh mỳ"', async () => {
    const chocolate = await page('choclate', { first: 5 }, 'en');
    expect(chocolate.edges.some((e) => /chocolate/i.test(e.node.names.en))).toBe(true);
    expect(chocolate.edges[0].node.name).toBe(chocolate.edges[0].node.names.en);
    expect(skus(await page('bánh mỳ', { first: 10 }))).toEqual(skus(await page('bánh mì', { first: 10 })));
  });

  it('finds a product by its new name as soon as staff rename it', async () => {
    const staff = (await p.signIn(['staff'])).accessToken;
    const renamed = await p.gql(
      `mutation { updateProduct(sku: "SKU-000042", input: { nameVi: "Bánh tráng trộn Tây Ninh đặc biệt" }) { sku } }`,
      {},
      { token: staff },
    );
    expect(renamed.errors).toBeUndefined();
    expect(skus(await page('banh trang tron tay ninh', { first: 1 }))).toEqual(['SKU-000042']);
  });

  it('answers an empty page, not an error, when nothing matches', async () => {
    expect(await page('xqzvwk')).toEqual({
      totalCount: 0,
      edges: [],
      pageInfo: { hasNextPage: false, endCursor: null },
    });
  });
});

describe('partial matches when no product has every word', () => {
  const PARTIAL = `query ($q: String!, $first: Int, $after: String) {
    search(query: $q, first: $first, after: $after) {
      totalCount partialMatch
      edges { cursor node { sku names { en vi } } }
      pageInfo { hasNextPage endCursor }
      facets { priceBuckets { count } }
    }
  }`;
  type PartialPage = Page & { partialMatch: boolean; facets: { priceBuckets: { count: number }[] } };
  const partial = async (q: string, vars: { first?: number; after?: string | null } = {}) => {
    const r = await p.gql<{ search: PartialPage }>(PARTIAL, { q, ...vars }, { lang: 'vi' });
    expect(r.errors).toBeUndefined();
    return r.data!.search;
  };
  const fold = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '').replace(/đ/gi, 'd').toLowerCase();

  it('falls back to the products matching some of the words, best first, and says so', async () => {
    const r = await partial('sua chua xqzvwk', { first: 10 });
    expect(r.partialMatch).toBe(true);
    expect(r.totalCount).toBeGreaterThan(0);
    // Products with both known words come before those with one.
    expect(fold(r.edges[0]!.node.names.vi)).toMatch(/sua chua/);
    // Facets count what the answer shows.
    expect(r.facets.priceBuckets.reduce((n, b) => n + b.count, 0)).toBe(r.totalCount);
  });

  it('pages partial matches like any search: every one seen once, the last page partial too', async () => {
    const first = await partial('rau xqzvwk', { first: 20 });
    expect(first.partialMatch).toBe(true);
    const seen = new Set(first.edges.map((e) => e.node.sku));
    let after = first.pageInfo.endCursor;
    while (after) {
      const next = await partial('rau xqzvwk', { first: 20, after });
      expect(next.partialMatch).toBe(true);
      for (const e of next.edges) {
        expect(seen.has(e.node.sku)).toBe(false);
        seen.add(e.node.sku);
      }
      after = next.pageInfo.endCursor && next.pageInfo.hasNextPage ? next.pageInfo.endCursor : null;
    }
    expect(seen.size).toBe(first.totalCount);
    for (const sku of [...seen].slice(0, 5)) expect(sku).toMatch(/^SKU-/);
  });

  it('is not partial when some product has every word, nor for one unknown word', async () => {
    const full = await partial('sua tuoi', { first: 5 });
    expect(full.partialMatch).toBe(false);
    expect(full.totalCount).toBeGreaterThan(0);
    expect(await partial('xqzvwk')).toMatchObject({ totalCount: 0, partialMatch: false, edges: [] });
    // Nothing matches any word either: an empty answer, not a partial one.
    expect(await partial('xqzvwk yqzvwk')).toMatchObject({ totalCount: 0, partialMatch: false, edges: [] });
  });

  it('leaves browsing alone', async () => {
    const r = await p.gql<{ products: { partialMatch: boolean } }>('{ products(first: 1) { partialMatch } }');
    expect(r.data!.products.partialMatch).toBe(false);
  });
});

describe('searchSuggestions', () => {
  const SUGGEST = `query ($p: String!, $n: Int) { searchSuggestions(prefix: $p, first: $n) { text sku } }`;

  it('completes a prefix in the request language, with the SKU to open', async () => {
    const r = await p.gql(SUGGEST, { p: 'sua tu', n: 5 }, { lang: 'vi' });
    expect(r.errors).toBeUndefined();
    const list = r.data!.searchSuggestions as { text: string; sku: string }[];
    expect(list).toHaveLength(5);
    for (const s of list) {
      expect(s.text).toMatch(/^Sữa tươi/);
      expect(s.sku).toMatch(/^SKU-\d{6}$/);
    }
    const en = await p.gql(SUGGEST, { p: 'choco' }, { lang: 'en' });
    const enList = en.data!.searchSuggestions as { text: string }[];
    expect(enList).toHaveLength(8);
    expect(enList.every((s) => /\bchoco/i.test(s.text))).toBe(true);
  });

  it('refuses an empty prefix and too many suggestions', async () => {
    const empty = await p.gql(SUGGEST, { p: '  ' });
    expect(empty.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const many = await p.gql(SUGGEST, { p: 'sua', n: 50 });
    expect(many.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});

describe('filters', () => {
  it('narrows by parent category (its sub-categories included), brand, perishability and price', async () => {
    const all = await page('sua', { first: 100 });
    const dairy = await page('sua', { first: 100, f: { categoryId: 'cat-dairy' } });
    expect(dairy.totalCount).toBeGreaterThan(0);
    expect(dairy.totalCount).toBeLessThan(all.totalCount);
    expect(dairy.edges.every((e) => e.node.category.id.startsWith('cat-dairy-'))).toBe(true);

    const brand = await page('sua tuoi', { first: 100, f: { brand: 'vinamilk' } });
    expect(brand.totalCount).toBeGreaterThan(0);
    expect(brand.edges.every((e) => e.node.brand === 'Vinamilk')).toBe(true);

    const chilled = await page('sua', { first: 100, f: { isPerishable: true, minPrice: 20000, maxPrice: 60000 } });
    expect(chilled.totalCount).toBeGreaterThan(0);
    for (const { node } of chilled.edges) {
      expect(node.isPerishable).toBe(true);
      expect(node.price.amount).toBeGreaterThanOrEqual(20000);
      expect(node.price.amount).toBeLessThanOrEqual(60000);
    }
  });

  it('keeps only products carrying every requested dietary label', async () => {
    const organic = await page('sua', { first: 100, f: { dietary: ['organic', 'vegetarian'] } });
    expect(organic.totalCount).toBeGreaterThan(0);
    const db = new Client({ connectionString: p.database.url });
    await db.connect();
    try {
      const { rows } = await db.query<{ sku: string; dietary: string[] }>(
        'SELECT sku, dietary FROM products.product WHERE sku = ANY($1)',
        [skus(organic)],
      );
      expect(rows).toHaveLength(organic.edges.length);
      for (const r of rows) expect(r.dietary).toEqual(expect.arrayContaining(['organic', 'vegetarian']));
    } finally {
      await db.end();
    }
  });
});

describe('pagination', () => {
  it('pages through every match exactly once, best first', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    let total = -1;
    for (let i = 0; i < 40; i++) {
      const pg: Page = await page('sua', { first: 50, after });
      total = pg.totalCount;
      seen.push(...skus(pg));
      if (!pg.pageInfo.hasNextPage) break;
      after = pg.pageInfo.endCursor;
    }
    expect(total).toBeGreaterThan(100);
    expect(seen).toHaveLength(total);
    expect(new Set(seen).size).toBe(total);
  });

  it('refuses a forged cursor, a cursor of another search and a products cursor', async () => {
    const first = await page('nuoc mam', { first: 5 });
    const forged = await search('nuoc mam', { after: 'not-a-cursor' });
    expect(forged.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const other = await search('ca phe', { after: first.pageInfo.endCursor });
    expect(other.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const filtered = await search('nuoc mam', { after: first.pageInfo.endCursor, f: { isPerishable: false } });
    expect(filtered.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const productsCursor = Buffer.from('p1:SKU-000010').toString('base64url');
    expect((await search('nuoc mam', { after: productsCursor })).errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});

describe('bad input', () => {
  it.each([
    ['an empty query', ''],
    ['a blank query', '   '],
    ['punctuation only', '%_*'],
    ['a single letter', 'ạ'],
    ['a query over 200 characters', 'sữa '.repeat(51)],
  ])('refuses %s with BAD_USER_INPUT', async (_, q) => {
    const r = await search(q);
    expect(r.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(r.data?.search ?? null).toBeNull();
  });

  it('refuses an oversized page and an inverted price range', async () => {
    const big = await search('sua', { first: 101 });
    expect(big.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const inverted = await search('sua', { f: { minPrice: 50000, maxPrice: 10000 } });
    expect(inverted.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('treats SQL and LIKE syntax in a query as plain text', async () => {
    const r = await search(`sua'; DROP TABLE products.product; --`);
    expect(r.errors).toBeUndefined();
    expect((await page('sua tuoi')).totalCount).toBeGreaterThan(0);
  });

  it('refuses a dietary label it does not know instead of matching nothing', async () => {
    for (const op of ['search(query: "sua", ', 'products(']) {
      const r = await p.gql(`query { ${op}first: 5, filter: { dietary: ["paleo"] }) { totalCount } }`);
      expect(r.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      expect(r.errors?.[0]?.message).toContain('paleo');
    }
  });
});

describe('sorts, filters and facets on search', () => {
  const Q = 'sua tuoi';
  const SORTED = `query ($q: String!, $f: ProductFilter, $first: Int, $after: String, $sort: ProductSort) {
    search(query: $q, filter: $f, first: $first, after: $after, sort: $sort) {
      totalCount
      edges { cursor node { sku } }
      pageInfo { hasNextPage endCursor }
    }
  }`;
  const FACETS = `query ($q: String!, $f: ProductFilter) {
    search(query: $q, filter: $f, first: 1) {
      totalCount
      facets {
        categories { category { id } count }
        dietary { label count }
        brands { brand count }
        priceBuckets { min max count }
      }
    }
  }`;
  interface Facets {
    categories: { category: { id: string }; count: number }[];
    dietary: { label: string; count: number }[];
    brands: { brand: string; count: number }[];
    priceBuckets: { min: number; max: number | null; count: number }[];
  }

  let db: Client;
  let matched: string[];
  /** Three of the matches get the test's ratings, tags, expiry, stock and sales. */
  let picked: string[];

  async function sortedPage(vars: Record<string, unknown>) {
    const r = await p.gql(SORTED, { q: Q, ...vars });
    expect(r.errors).toBeUndefined();
    return r.data!.search as Page;
  }

  /** Every SKU the search returns, page after page. */
  async function all(vars: Record<string, unknown> = {}): Promise<{ total: number; skus: string[] }> {
    const out: string[] = [];
    let after: string | null = null;
    let total = -1;
    for (let i = 0; i < 50; i++) {
      const pg = await sortedPage({ ...vars, first: 100, after });
      total = pg.totalCount;
      out.push(...skus(pg));
      if (!pg.pageInfo.hasNextPage) break;
      after = pg.pageInfo.endCursor;
    }
    return { total, skus: out };
  }

  beforeAll(async () => {
    db = new Client({ connectionString: p.database.url });
    await db.connect();
    matched = (await all()).skus;
    picked = matched.slice(3, 6);
    await db.query(
      `UPDATE products.product SET rating_average = CASE sku WHEN $1 THEN 4.5 WHEN $2 THEN 3.0 ELSE 4.9 END,
              tags = tags || ARRAY['search-test'],
              expires_at = (now() AT TIME ZONE 'UTC') + CASE sku WHEN $3 THEN interval '40 days' ELSE interval '36 hours' END
        WHERE sku = ANY($4)`,
      [picked[0], picked[1], picked[2], picked],
    );
    await db.query(
      `INSERT INTO products.product_stock (sku, location_id, available, changed_at)
       VALUES ($1, 'loc-search-test', 4, now()), ($2, 'loc-search-test', 0, now()), ($3, 'loc-search-test', 1, now())`,
      picked,
    );
    // Sales today count; sales 9 days ago do not.
    await db.query(
      `INSERT INTO products.product_sales_daily (sku, day, quantity, order_count)
       VALUES ($1, (now() AT TIME ZONE 'Asia/Ho_Chi_Minh')::date, 7, 3),
              ($2, (now() AT TIME ZONE 'Asia/Ho_Chi_Minh')::date - 1, 12, 2),
              ($3, (now() AT TIME ZONE 'Asia/Ho_Chi_Minh')::date - 9, 500, 50)`,
      picked,
    );
  });

  afterAll(async () => {
    await db.query(`DELETE FROM products.product_stock WHERE location_id = 'loc-search-test'`);
    await db.query(`DELETE FROM products.product_sales_daily WHERE sku = ANY($1)`, [picked]);
    await db.query(
      `UPDATE products.product SET rating_average = NULL, tags = array_remove(tags, 'search-test') WHERE sku = ANY($1)`,
      [picked],
    );
    await db.end();
  });

  /** The matched SKUs in the order a sort key (from SQL) and then SKU give. */
  async function expectedOrder(key: string, direction: 'ASC' | 'DESC NULLS LAST' | 'DESC'): Promise<string[]> {
    const { rows } = await db.query<{ sku: string }>(
      `SELECT p.sku FROM products.product p WHERE p.sku = ANY($1) ORDER BY ${key} ${direction}, p.sku`,
      [matched],
    );
    return rows.map((r) => r.sku);
  }

  const POPULARITY = `coalesce((SELECT sum(d.quantity) FROM products.product_sales_daily d
      WHERE d.sku = p.sku AND d.day > (now() AT TIME ZONE 'Asia/Ho_Chi_Minh')::date - 7), 0)`;

  it.each([
    ['PRICE_ASC', 'p.price_amount', 'ASC'],
    ['PRICE_DESC', 'p.price_amount', 'DESC'],
    ['RATING', 'p.rating_average', 'DESC NULLS LAST'],
    ['NEWEST', 'p.created_at', 'DESC'],
    ['POPULARITY', POPULARITY, 'DESC'],
  ] as const)('orders every match by %s, then SKU, across pages', async (sort, key, direction) => {
    expect(matched.length).toBeGreaterThan(100);
    const got = await all({ sort });
    expect(got.total).toBe(matched.length);
    expect(got.skus).toEqual(await expectedOrder(key, direction));
  });

  it('puts the highest rated and the most ordered this week first', async () => {
    expect(skus(await sortedPage({ sort: 'RATING', first: 3 }))).toEqual([picked[2], picked[0], picked[1]]);
    // 12 + 7 units in the last 7 days; the 500 units 9 days ago do not count.
    expect(skus(await sortedPage({ sort: 'POPULARITY', first: 2 }))).toEqual([picked[1], picked[0]]);
  });

  it.each([
    ['minRating', { minRating: 4 }, (i: number) => i !== 1],
    ['tags', { tags: ['search-test'] }, () => true],
    ['expiringWithinDays', { expiringWithinDays: 3 }, (i: number) => i !== 2],
    ['inStockAt', { inStockAt: 'loc-search-test' }, (i: number) => i !== 1],
  ] as const)('filters by %s', async (_, f, keeps) => {
    const got = await all({ f });
    // Seeded products may match too (expiry): every result must satisfy the filter by SQL.
    for (let i = 0; i < picked.length; i++) expect(got.skus.includes(picked[i])).toBe(keeps(i));
    const { rows } = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM products.product p WHERE p.sku = ANY($1) AND p.archived_at IS NULL AND ${
        {
          minRating: 'p.rating_average >= 4',
          tags: `p.tags @> ARRAY['search-test']`,
          expiringWithinDays: `p.expires_at >= (now() AT TIME ZONE 'UTC') AND p.expires_at < (now() AT TIME ZONE 'UTC') + interval '3 days'`,
          inStockAt: `EXISTS (SELECT 1 FROM products.product_stock s WHERE s.sku = p.sku AND s.location_id = 'loc-search-test' AND s.available > 0)`,
        }[_]
      }`,
      [matched],
    );
    expect(got.total).toBe(rows[0].n);
    expect(got.skus).toHaveLength(got.total);
  });

  it('leaves archived products out', async () => {
    await db.query(`UPDATE products.product SET archived_at = now() WHERE sku = $1`, [picked[0]]);
    try {
      const got = await all({ sort: 'PRICE_ASC' });
      expect(got.total).toBe(matched.length - 1);
      expect(got.skus).not.toContain(picked[0]);
      expect(skus(await page(Q, { first: 100 }))).not.toContain(picked[0]);
    } finally {
      await db.query(`UPDATE products.product SET archived_at = NULL WHERE sku = $1`, [picked[0]]);
    }
  });

  it.each([
    ['the query alone', undefined],
    ['a filter', { isPerishable: true }],
  ])('counts facets over exactly what the search returns, with %s', async (_, f) => {
    const r = await p.gql(FACETS, { q: 'sua', f });
    expect(r.errors).toBeUndefined();
    const { totalCount, facets } = r.data!.search as { totalCount: number; facets: Facets };
    expect(totalCount).toBeGreaterThan(50);
    expect(facets.priceBuckets.reduce((n, b) => n + b.count, 0)).toBe(totalCount);
    const total = async (extra: Record<string, unknown>) =>
      (await page('sua', { first: 1, f: { ...f, ...extra } })).totalCount;
    expect(facets.dietary.length).toBeGreaterThan(0);
    for (const d of facets.dietary.slice(0, 3)) expect(await total({ dietary: [d.label] })).toBe(d.count);
    // A parent category counts its sub-categories' products.
    const parent = facets.categories.find((c) => c.category.id === 'cat-dairy');
    expect(parent).toBeDefined();
    const children = facets.categories.filter((c) => c.category.id.startsWith('cat-dairy-'));
    expect(parent!.count).toBeGreaterThanOrEqual(children.reduce((n, c) => n + c.count, 0));
    for (const c of [parent!, ...children.slice(0, 2)])
      expect(await total({ categoryId: c.category.id })).toBe(c.count);
    for (const b of facets.brands.slice(0, 2)) expect(await total({ brand: b.brand })).toBe(b.count);
  });

  it('counts nothing for a search that matches nothing', async () => {
    const r = await p.gql(FACETS, { q: 'xqzvwk' });
    expect(r.errors).toBeUndefined();
    const { totalCount, facets } = r.data!.search as { totalCount: number; facets: Facets };
    expect(totalCount).toBe(0);
    expect(facets.categories).toEqual([]);
    expect(facets.dietary).toEqual([]);
    expect(facets.priceBuckets.every((b) => b.count === 0)).toBe(true);
    expect(await sortedPage({ q: 'xqzvwk', sort: 'PRICE_ASC' })).toEqual({
      totalCount: 0,
      edges: [],
      pageInfo: { hasNextPage: false, endCursor: null },
    });
  });

  it('ends with a last page that has no next page, and an empty page after it that still counts', async () => {
    expect(matched.length).toBeGreaterThan(102);
    const first = await sortedPage({ sort: 'PRICE_DESC', first: 100 });
    const middle = await sortedPage({
      sort: 'PRICE_DESC',
      first: matched.length - 102,
      after: first.pageInfo.endCursor,
    });
    expect(middle.pageInfo.hasNextPage).toBe(true);
    const last = await sortedPage({ sort: 'PRICE_DESC', first: 5, after: middle.pageInfo.endCursor });
    expect(last.edges).toHaveLength(2);
    expect(last.pageInfo).toEqual({ hasNextPage: false, endCursor: last.edges[1].cursor });
    const beyond = await sortedPage({ sort: 'PRICE_DESC', first: 5, after: last.pageInfo.endCursor });
    expect(beyond).toEqual({
      totalCount: matched.length,
      edges: [],
      pageInfo: { hasNextPage: false, endCursor: null },
    });
  });

  it('refuses an invalid cursor and a cursor replayed with another sort', async () => {
    const invalid = await p.gql(SORTED, { q: Q, sort: 'RATING', after: 'czE6MTA6bm9wZQ' });
    expect(invalid.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const byPrice = await sortedPage({ sort: 'PRICE_ASC', first: 5 });
    for (const sort of ['PRICE_DESC', 'RELEVANCE', 'NEWEST']) {
      const replayed = await p.gql(SORTED, { q: Q, sort, after: byPrice.pageInfo.endCursor });
      expect(replayed.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    }
    const byRelevance = await sortedPage({ first: 5 });
    const replayed = await p.gql(SORTED, { q: Q, sort: 'PRICE_ASC', after: byRelevance.pageInfo.endCursor });
    expect(replayed.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});
