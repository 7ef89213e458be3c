// Browsing and editing the catalog through the gateway: every filter, every sort (paged to the
// end), facet counts, pagination edges, and staff create/update/archive of products and
// categories with their events and cache eviction. Expected results come from plain SQL over
// the same test database, written independently of the subgraph's own query builder.
import { execute, parse } from 'graphql';
import { Client } from 'pg';
import { NO_RESPONSE_CACHE, startTestPlatform, type GraphQLResult, type TestPlatform } from '@grocery/gateway/testing';

const SKUS = 1000;
let p: TestPlatform;
let db: Client;
let staff: string;
let customer: string;

/** A location only this suite's rows mention, so the seed's own projection never interferes. */
const LOCATION = 'loc-catalog-test';
/** The three perishables set to expire within days (the rest expire in 200 days). */
let expiringSoon: string[] = [];

beforeAll(async () => {
  p = await startTestPlatform({ seedSkus: SKUS, env: NO_RESPONSE_CACHE });
  db = new Client({ connectionString: p.database.url });
  await db.connect();
  staff = (await p.signIn(['staff'])).accessToken;
  customer = (await p.signIn(['customer'])).accessToken;
  // Ratings, expiry, availability and sales are fed by other domains' events; here they are set
  // directly so the expected answers are known. Nothing has been read yet, so nothing is cached.
  await db.query(`UPDATE products.product SET expires_at = now() + interval '200 days' WHERE is_perishable`);
  const { rows: soon } = await db.query(`SELECT sku FROM products.product WHERE is_perishable ORDER BY sku LIMIT 3`);
  expiringSoon = soon.map((r) => r.sku);
  await db.query(`UPDATE products.product SET expires_at = now() + interval '1 day' WHERE sku = ANY ($1)`, [
    expiringSoon.slice(0, 2),
  ]);
  await db.query(`UPDATE products.product SET expires_at = now() + interval '5 days' WHERE sku = $1`, [
    expiringSoon[2],
  ]);
  await db.query(
    `UPDATE products.product SET rating_average = 1 + (abs(hashtext(sku)) % 400) / 100.0, review_count = 1 + abs(hashtext(sku)) % 50
      WHERE abs(hashtext(sku)) % 3 = 0`,
  );
  await db.query(
    `INSERT INTO products.product_stock (sku, location_id, available, changed_at)
     SELECT sku, $1, CASE WHEN abs(hashtext(sku)) % 4 = 0 THEN 0 ELSE 5 END, now()
       FROM products.product WHERE abs(hashtext(sku)) % 2 = 0`,
    [LOCATION],
  );
  await db.query(
    `INSERT INTO products.product_sales_daily (sku, day, quantity, order_count)
     SELECT sku, (now() AT TIME ZONE 'Asia/Ho_Chi_Minh')::date - (abs(hashtext(sku)) % 10), 1 + abs(hashtext(sku || 'q')) % 40, 1
       FROM products.product WHERE abs(hashtext(sku)) % 5 = 0`,
  );
}, 120_000);

afterAll(async () => {
  await db?.end();
  await p?.stop();
});

interface Node {
  sku: string;
  price: { amount: number };
  dietary: string[];
  tags: string[];
  brand: string | null;
  isPerishable: boolean;
  expiresAt: string | null;
  averageRating: number | null;
  createdAt: string;
  category: { id: string; parentId: string | null };
}
interface Page {
  totalCount: number;
  edges: { cursor: string; node: Node }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

const PRODUCTS = `query ($first: Int, $after: String, $filter: ProductFilter, $sort: ProductSort) {
  products(first: $first, after: $after, filter: $filter, sort: $sort) {
    totalCount
    edges { cursor node { sku price { amount } dietary tags brand isPerishable expiresAt averageRating createdAt category { id parentId } } }
    pageInfo { hasNextPage endCursor }
  }
}`;

async function products(vars: { first?: number; after?: string | null; filter?: object; sort?: string }) {
  return p.gql<{ products: Page }>(PRODUCTS, { first: 100, ...vars });
}

async function page(vars: Parameters<typeof products>[0]): Promise<Page> {
  const r = await products(vars);
  expect(r.errors).toBeUndefined();
  return r.data!.products;
}

/** Every SKU the listing returns, page by page, checking the pages fit together. */
async function all(vars: { filter?: object; sort?: string; first?: number }): Promise<string[]> {
  const skus: string[] = [];
  let after: string | null = null;
  let total = -1;
  for (let i = 0; i < 200; i++) {
    const pg: Page = await page({ first: vars.first ?? 100, ...vars, after });
    if (total === -1) total = pg.totalCount;
    expect(pg.totalCount).toBe(total);
    skus.push(...pg.edges.map((e) => e.node.sku));
    if (!pg.pageInfo.hasNextPage) break;
    expect(pg.pageInfo.endCursor).toBe(pg.edges.at(-1)!.cursor);
    after = pg.pageInfo.endCursor;
  }
  expect(skus).toHaveLength(total);
  expect(new Set(skus).size).toBe(skus.length);
  return skus;
}

async function sqlSkus(where: string, params: unknown[] = [], orderBy = 'sku'): Promise<string[]> {
  const { rows } = await db.query(
    `SELECT p.sku FROM products.product p JOIN products.category c ON c.id = p.category_id
      WHERE p.archived_at IS NULL AND (${where}) ORDER BY ${orderBy}`,
    params,
  );
  return rows.map((r) => r.sku);
}

describe('filters', () => {
  const cases: [string, object, string, unknown[]][] = [
    ['dietary (every label)', { dietary: ['vegan', 'gluten_free'] }, `p.dietary @> ARRAY['vegan', 'gluten_free']`, []],
    ['tags', { tags: ['imported'] }, `'imported' = ANY (p.tags)`, []],
    ['perishable', { isPerishable: true }, 'p.is_perishable', []],
    ['price range', { minPrice: 20000, maxPrice: 50000 }, 'p.price_amount BETWEEN 20000 AND 50000', []],
    [
      'expiring within 3 days',
      { expiringWithinDays: 3 },
      `p.expires_at >= now() AND p.expires_at < now() + interval '3 days'`,
      [],
    ],
    ['minimum rating', { minRating: 4 }, 'p.rating_average >= 4', []],
    [
      'in stock at a location',
      { inStockAt: LOCATION },
      `EXISTS (SELECT 1 FROM products.product_stock s WHERE s.sku = p.sku AND s.location_id = $1 AND s.available > 0)`,
      [LOCATION],
    ],
    [
      'several at once',
      { isPerishable: false, minRating: 2.5, maxPrice: 100000, inStockAt: LOCATION },
      `NOT p.is_perishable AND p.rating_average >= 2.5 AND p.price_amount <= 100000
       AND EXISTS (SELECT 1 FROM products.product_stock s WHERE s.sku = p.sku AND s.location_id = $1 AND s.available > 0)`,
      [LOCATION],
    ],
  ];

  it.each(cases)('%s: exactly the products SQL finds', async (_name, filter, where, params) => {
    const expected = await sqlSkus(where, params);
    expect(expected.length).toBeGreaterThan(0);
    expect(expected.length).toBeLessThan(SKUS);
    expect(await all({ filter })).toEqual(expected);
  });

  it('expiring within N days finds the three products set up to expire soon', async () => {
    expect(await all({ filter: { expiringWithinDays: 7 } })).toEqual(expiringSoon);
    expect(await all({ filter: { expiringWithinDays: 2 } })).toEqual(expiringSoon.slice(0, 2));
  });

  it('brand is case- and diacritic-insensitive', async () => {
    const { rows } = await db.query(
      `SELECT brand, count(*)::int AS n FROM products.product WHERE brand ~ '[^a-zA-Z ]' GROUP BY brand ORDER BY n DESC LIMIT 1`,
    );
    const brand: string = rows[0].brand;
    const folded = brand.normalize('NFD').replace(/\p{M}/gu, '').replace(/đ/g, 'd').replace(/Đ/g, 'D').toUpperCase();
    const pg = await page({ filter: { brand: folded } });
    expect(pg.totalCount).toBe(rows[0].n);
    for (const e of pg.edges) expect(e.node.brand).toBe(brand);
  });

  it('refuses invalid filters with BAD_USER_INPUT naming the field', async () => {
    const bad: [object, string][] = [
      [{ minPrice: 5000, maxPrice: 1000 }, 'filter.minPrice'],
      [{ minRating: 6 }, 'filter.minRating'],
      [{ expiringWithinDays: 0 }, 'filter.expiringWithinDays'],
      [{ dietary: ['carnivore'] }, 'filter.dietary'],
      [{ tags: ['x'.repeat(51)] }, 'filter.tags'],
      [{ inStockAt: '' }, 'filter.inStockAt'],
    ];
    for (const [filter, field] of bad) {
      const r = await products({ filter });
      expect(r.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      expect(r.errors?.[0]?.extensions?.field).toBe(field);
      expect(r.data).toBeNull();
    }
  });
});

describe('sorts, paged to the end', () => {
  // A department with enough products for several pages of 7.
  let department: string;
  beforeAll(async () => {
    const { rows } = await db.query(
      `SELECT c.parent_id AS id FROM products.product p JOIN products.category c ON c.id = p.category_id
        GROUP BY c.parent_id HAVING count(*) BETWEEN 30 AND 200 ORDER BY count(*) DESC LIMIT 1`,
    );
    department = rows[0].id;
  });
  const inDepartment = '(c.parent_id = $1 OR c.id = $1)';
  const popularity = `coalesce((SELECT sum(quantity) FROM products.product_sales_daily d
      WHERE d.sku = p.sku AND d.day > (now() AT TIME ZONE 'Asia/Ho_Chi_Minh')::date - 7), 0)`;

  it.each([
    ['PRICE_ASC', 'p.price_amount, p.sku'],
    ['PRICE_DESC', 'p.price_amount DESC, p.sku'],
    ['NEWEST', 'p.created_at DESC, p.sku'],
    ['RATING', 'p.rating_average DESC NULLS LAST, p.sku'],
    ['POPULARITY', `${popularity} DESC, p.sku`],
    ['RELEVANCE', `${popularity} DESC, p.sku`],
  ])('%s', async (sort, orderBy) => {
    const expected = await sqlSkus(inDepartment, [department], orderBy);
    expect(await all({ filter: { categoryId: department }, sort, first: 7 })).toEqual(expected);
  });

  it('puts unrated products after every rated one', async () => {
    const nodes = (await page({ sort: 'RATING', filter: { categoryId: department } })).edges.map((e) => e.node);
    const firstUnrated = nodes.findIndex((n) => n.averageRating === null);
    expect(firstUnrated).toBeGreaterThan(0);
    expect(nodes.slice(firstUnrated).every((n) => n.averageRating === null)).toBe(true);
  });

  it('only counts the last 7 days of sales for popularity', async () => {
    // Move one product's sales 8 days back: it drops to the unsold tail.
    const [top] = await all({ sort: 'POPULARITY', first: 100 });
    await db.query(
      `UPDATE products.product_sales_daily SET day = (now() AT TIME ZONE 'Asia/Ho_Chi_Minh')::date - 8 WHERE sku = $1`,
      [top],
    );
    const after = (await page({ sort: 'POPULARITY', first: 100 })).edges.map((e) => e.node.sku);
    expect(after[0]).not.toBe(top);
    const { rows } = await db.query(
      `SELECT count(DISTINCT sku)::int AS n FROM products.product_sales_daily
        WHERE day > (now() AT TIME ZONE 'Asia/Ho_Chi_Minh')::date - 7`,
    );
    // Everything sold this week comes first; the moved product is not among them.
    expect(after.slice(0, Math.min(rows[0].n, 100))).not.toContain(top);
  });
});

describe('facets', () => {
  const FACETS = `query ($filter: ProductFilter) {
    products(first: 1, filter: $filter) {
      totalCount
      facets {
        categories { category { id parentId } count }
        dietary { label name names { en vi } count }
        brands { brand count }
        priceBuckets { min max count }
      }
    }
  }`;

  async function facets(filter: object) {
    const r = await p.gql(FACETS, { filter });
    expect(r.errors).toBeUndefined();
    return r.data!.products;
  }

  it('count what the filter matches, consistently with filtered listings', async () => {
    const filter = { inStockAt: LOCATION };
    const { totalCount, facets: f } = await facets(filter);
    expect(f.priceBuckets.map((b: { min: number }) => b.min)).toEqual([0, 20000, 50000, 100000, 200000, 500000]);
    expect(f.priceBuckets.at(-1).max).toBeNull();
    expect(f.priceBuckets.reduce((n: number, b: { count: number }) => n + b.count, 0)).toBe(totalCount);
    for (const b of f.priceBuckets.filter((x: { count: number }) => x.count > 0).slice(0, 2)) {
      const within = await page({ filter: { ...filter, minPrice: b.min, ...(b.max ? { maxPrice: b.max - 1 } : {}) } });
      expect(within.totalCount).toBe(b.count);
    }
    const vegan = f.dietary.find((d: { label: string }) => d.label === 'vegan');
    expect(vegan).toMatchObject({ name: 'Vegan', names: { en: 'Vegan', vi: 'Thuần chay' } });
    for (const d of f.dietary.slice(0, 3)) {
      expect((await page({ filter: { ...filter, dietary: [d.label] } })).totalCount).toBe(d.count);
    }
    for (const c of f.categories.slice(0, 3)) {
      expect((await page({ filter: { ...filter, categoryId: c.category.id } })).totalCount).toBe(c.count);
    }
    for (const b of f.brands.slice(0, 2)) {
      expect((await page({ filter: { ...filter, brand: b.brand } })).totalCount).toBe(b.count);
    }
  });

  it('lists a parent category with the sum of its sub-categories', async () => {
    const { facets: f } = await facets({});
    const byId = new Map<string, { category: { parentId: string | null }; count: number }>(
      f.categories.map((c: { category: { id: string } }) => [c.category.id, c]),
    );
    const parents = [...byId.entries()].filter(([, c]) => c.category.parentId === null);
    expect(parents.length).toBeGreaterThan(3);
    for (const [id, c] of parents) {
      const children = [...byId.values()].filter((x) => x.category.parentId === id);
      expect(children.reduce((n, x) => n + x.count, 0)).toBe(c.count);
    }
    expect(parents.reduce((n, [, c]) => n + c.count, 0)).toBe(SKUS);
    const counts = f.brands.map((b: { count: number }) => b.count);
    expect(counts).toEqual([...counts].sort((a, b) => b - a));
    expect(f.brands.length).toBeLessThanOrEqual(20);
  });

  it('are all zero for a filter that matches nothing', async () => {
    const { totalCount, facets: f } = await facets({ minPrice: 999_000_000 });
    expect(totalCount).toBe(0);
    expect(f.categories).toEqual([]);
    expect(f.dietary).toEqual([]);
    expect(f.brands).toEqual([]);
    expect(f.priceBuckets.every((b: { count: number }) => b.count === 0)).toBe(true);
  });
});

describe('pagination edges', () => {
  it('answers an empty result, the last page and first: 0 on a sorted listing', async () => {
    const empty = await page({ filter: { minPrice: 999_000_000 }, sort: 'PRICE_ASC' });
    expect(empty).toEqual({ totalCount: 0, edges: [], pageInfo: { hasNextPage: false, endCursor: null } });
    const expensive = await page({ sort: 'PRICE_DESC', first: 3 });
    const cheap = await sqlSkus('true', [], 'p.price_amount DESC, p.sku');
    expect(expensive.edges.map((e) => e.node.sku)).toEqual(cheap.slice(0, 3));
    const tail = await page({ sort: 'PRICE_ASC', filter: { minPrice: 0 }, first: 100 });
    expect(tail.pageInfo.hasNextPage).toBe(true);
    const zero = await page({ first: 0, sort: 'NEWEST' });
    expect(zero.edges).toEqual([]);
    expect(zero.totalCount).toBe(SKUS);
  });

  it('ends with hasNextPage false exactly at the last product', async () => {
    const pg = await page({ sort: 'PRICE_ASC', filter: { expiringWithinDays: 7 }, first: 2 });
    expect(pg.pageInfo.hasNextPage).toBe(pg.totalCount > 2);
    const rest = await page({
      sort: 'PRICE_ASC',
      filter: { expiringWithinDays: 7 },
      first: 2,
      after: pg.pageInfo.endCursor,
    });
    expect(rest.pageInfo.hasNextPage).toBe(false);
    expect(pg.edges.length + rest.edges.length).toBe(pg.totalCount);
  });

  it('refuses a malformed cursor, and one from another sort or filter', async () => {
    const byPrice = await page({ sort: 'PRICE_ASC', first: 2 });
    const bySku = await page({ first: 2 });
    const attempts = [
      { sort: 'PRICE_ASC', after: 'garbage' },
      { sort: 'PRICE_ASC', after: Buffer.from('["b1","x",1,"SKU-000001"]').toString('base64url') },
      { sort: 'PRICE_DESC', after: byPrice.pageInfo.endCursor },
      { sort: 'PRICE_ASC', filter: { isPerishable: true }, after: byPrice.pageInfo.endCursor },
      { sort: 'PRICE_ASC', after: bySku.pageInfo.endCursor },
    ];
    for (const vars of attempts) {
      const r = await products({ first: 2, ...vars });
      expect(r.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      expect(r.errors?.[0]?.extensions?.field).toBe('after');
    }
  });

  it('refuses a forged cursor whose position does not fit its sort, before any SQL', async () => {
    // An attacker's way: take a real cursor (its fingerprint is right), change the sort value.
    const forge = (cursor: string, change: { value?: unknown; sku?: unknown }) => {
      const [prefix, fingerprint, value, sku] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
      const forged = { value, sku, ...change };
      return Buffer.from(JSON.stringify([prefix, fingerprint, forged.value, forged.sku])).toString('base64url');
    };
    const cases: [string, unknown[]][] = [
      ['PRICE_ASC', ['abc', '1e400', 1.5, '99999999999999999999', { $gt: 1 }]],
      ['NEWEST', ['not-a-date', '2026-02-30T00:00:00.000Z', '0000-01-01T00:00:00.000Z', 42]],
      ['RATING', ['x', 'NaN', '4.5']],
      ['POPULARITY', ['1; DROP TABLE products.product', -1.5]],
    ];
    for (const [sort, values] of cases) {
      const real = (await page({ sort, first: 1 })).pageInfo.endCursor!;
      for (const value of [...values, null].filter((v) => !(sort === 'RATING' && v === null))) {
        const r = await products({ sort, first: 1, after: forge(real, { value }) });
        expect({ sort, value, code: r.errors?.[0]?.extensions?.code, field: r.errors?.[0]?.extensions?.field }).toEqual(
          {
            sort,
            value,
            code: 'BAD_USER_INPUT',
            field: 'after',
          },
        );
      }
      const longSku = await products({ sort, first: 1, after: forge(real, { sku: 'S'.repeat(300) }) });
      expect(longSku.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    }
  });
});

const PRODUCT = `query ($sku: String!) {
  product(sku: $sku) { sku name names { en vi } description descriptions { en vi } price { amount } unit brand manufacturer
    tags dietary imageUrls isPerishable shelfLifeDays expiresAt archivedAt category { id } }
}`;
const CREATE = `mutation ($input: CreateProductInput!) { createProduct(input: $input) { sku name tags dietary archivedAt version: updatedAt } }`;
const UPDATE = `mutation ($sku: String!, $input: UpdateProductInput!) { updateProduct(sku: $sku, input: $input) { sku tags dietary category { id } } }`;
const ARCHIVE = `mutation ($sku: String!) { archiveProduct(sku: $sku) { sku archivedAt } }`;

async function outbox(subject: string): Promise<{ type: string; data: Record<string, unknown> }[]> {
  const { rows } = await db.query(`SELECT type, payload FROM products.outbox_event WHERE subject = $1 ORDER BY seq`, [
    subject,
  ]);
  return rows.map((r) => ({ type: r.type, data: r.payload.data }));
}

describe('staff create, update and archive products', () => {
  const input = {
    sku: 'TEST-KEFIR-500',
    nameEn: 'Kefir cultured milk 500ml',
    nameVi: 'Sữa chua uống kefir 500ml',
    descriptionEn: 'Tangy cultured milk drink.',
    descriptionVi: 'Sữa lên men vị chua nhẹ.',
    price: { amount: 45000, currency: 'VND' },
    unit: 'bottle',
    brand: 'Đà Lạt Milk',
    manufacturer: 'Dalat Milk JSC',
    tags: ['Fresh', 'local-produce'],
    dietary: ['vegan', 'gluten_free'],
    imageUrls: ['https://img.example.vn/kefir.jpg'],
    isPerishable: true,
    shelfLifeDays: 14,
  };
  let category: string;
  beforeAll(async () => {
    const { rows } = await db.query(`SELECT id FROM products.category WHERE parent_id IS NOT NULL ORDER BY id LIMIT 1`);
    category = rows[0].id;
  });

  it('creates a product with the full model, published and immediately browsable and searchable', async () => {
    const r = await p.gql(CREATE, { input: { ...input, categoryId: category } }, { token: staff });
    expect(r.errors).toBeUndefined();
    expect(r.data!.createProduct).toMatchObject({
      sku: 'TEST-KEFIR-500',
      tags: ['fresh', 'local-produce'],
      dietary: ['vegan', 'vegetarian', 'gluten_free'],
      archivedAt: null,
    });
    const read = await p.gql(PRODUCT, { sku: 'TEST-KEFIR-500' }, { lang: 'vi' });
    expect(read.data!.product).toMatchObject({
      name: input.nameVi,
      description: input.descriptionVi,
      descriptions: { en: input.descriptionEn, vi: input.descriptionVi },
      manufacturer: 'Dalat Milk JSC',
      imageUrls: input.imageUrls,
      shelfLifeDays: 14,
      category: { id: category },
    });
    const inCategory = await all({ filter: { categoryId: category } });
    expect(inCategory).toContain('TEST-KEFIR-500');
    const found = await p.gql(`query { search(query: "kefir", first: 3) { edges { node { sku } } } }`);
    expect(found.data!.search.edges[0].node.sku).toBe('TEST-KEFIR-500');
    const events = await outbox('TEST-KEFIR-500');
    expect(events.map((e) => e.type)).toEqual(['product.created']);
    expect(events[0].data).toMatchObject({ sku: 'TEST-KEFIR-500', categoryId: category, price: { amount: 45000 } });
  });

  it('refuses a taken SKU (CONFLICT) and invalid input (BAD_USER_INPUT naming the field), writing nothing', async () => {
    const taken = await p.gql(CREATE, { input: { ...input, categoryId: category } }, { token: staff });
    expect(taken.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    const bad: [object, string][] = [
      [{ sku: 'lower case!' }, 'sku'],
      [{ sku: 'TEST-X1', price: undefined }, 'price'],
      [{ sku: 'TEST-X2', categoryId: 'cat-no-such' }, 'categoryId'],
      [{ sku: 'TEST-X3', shelfLifeDays: null }, 'shelfLifeDays'],
      [{ sku: 'TEST-X4', isPerishable: false, shelfLifeDays: null, expiresAt: '2027-01-01T00:00:00Z' }, 'expiresAt'],
      [{ sku: 'TEST-X5', imageUrls: ['http://insecure.example/a.jpg'] }, 'imageUrls'],
      [{ sku: 'TEST-X6', dietary: ['keto'] }, 'dietary'],
      [{ sku: 'TEST-X7', unit: 'barrel' }, 'unit'],
      [{ sku: 'TEST-X8', price: { amount: 1_500_000_000 } }, 'price.amount'],
    ];
    for (const [change, field] of bad) {
      const r = await p.gql(CREATE, { input: { ...input, categoryId: category, ...change } }, { token: staff });
      expect(r.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      expect(r.errors?.[0]?.extensions?.field).toBe(field);
    }
    const { rows } = await db.query(`SELECT count(*)::int AS n FROM products.product WHERE sku LIKE 'TEST-X%'`);
    expect(rows[0].n).toBe(0);
  });

  it('refuses customers (FORBIDDEN) and anonymous callers (UNAUTHENTICATED) for every catalog mutation', async () => {
    const ops: [string, Record<string, unknown>][] = [
      [CREATE, { input: { ...input, sku: 'TEST-NOPE', categoryId: category } }],
      [UPDATE, { sku: 'SKU-000001', input: { tags: ['x'] } }],
      [ARCHIVE, { sku: 'SKU-000001' }],
      [`mutation { createCategory(input: { id: "cat-nope", nameEn: "N", nameVi: "N" }) { id } }`, {}],
      [`mutation { updateCategory(id: "${category}", input: { nameEn: "N" }) { id } }`, {}],
      [`mutation { archiveCategory(id: "${category}") { id } }`, {}],
    ];
    for (const [op, vars] of ops) {
      expect((await p.gql(op, vars, { token: customer })).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      expect((await p.gql(op, vars)).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    }
    const { rows } = await db.query(
      `SELECT count(*)::int AS n FROM products.product WHERE sku = 'TEST-NOPE' OR archived_at IS NOT NULL`,
    );
    expect(rows[0].n).toBe(0);
  });

  it('updates tags, dietary labels and the category', async () => {
    const { rows } = await db.query(
      `SELECT id FROM products.category WHERE parent_id IS NOT NULL AND id <> $1 ORDER BY id LIMIT 1`,
      [category],
    );
    const r = await p.gql(
      UPDATE,
      {
        sku: 'TEST-KEFIR-500',
        input: { tags: ['test-probiotic-x'], dietary: ['lactose_free'], categoryId: rows[0].id },
      },
      { token: staff },
    );
    expect(r.errors).toBeUndefined();
    expect(r.data!.updateProduct).toEqual({
      sku: 'TEST-KEFIR-500',
      tags: ['test-probiotic-x'],
      dietary: ['lactose_free'],
      category: { id: rows[0].id },
    });
    expect(await all({ filter: { tags: ['test-probiotic-x'] } })).toEqual(['TEST-KEFIR-500']);
    // A product with an expiry date cannot stop being perishable; the whole edit is refused.
    const dated = await p.gql(
      UPDATE,
      { sku: 'TEST-KEFIR-500', input: { expiresAt: '2030-01-01T00:00:00.000Z' } },
      { token: staff },
    );
    expect(dated.errors).toBeUndefined();
    const made = await p.gql(
      UPDATE,
      { sku: 'TEST-KEFIR-500', input: { isPerishable: false, tags: ['y'] } },
      { token: staff },
    );
    expect(made.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'expiresAt' });
    const read = (await p.gql(PRODUCT, { sku: 'TEST-KEFIR-500' })).data!.product;
    expect(read).toMatchObject({
      isPerishable: true,
      tags: ['test-probiotic-x'],
      expiresAt: '2030-01-01T00:00:00.000Z',
    });
  });

  it('archives a product: readable by SKU, gone from listings and search, refused for further edits', async () => {
    const replica = await p.createReplica('products');
    const readOnReplica = async () => {
      const r = await execute({
        schema: replica.schema,
        document: parse(`{ product(sku: "TEST-KEFIR-500") { archivedAt } }`),
        contextValue: replica.createContext({ locale: 'en' }),
      });
      return (r.data as { product: { archivedAt: unknown } }).product.archivedAt;
    };
    expect(await readOnReplica()).toBeNull(); // cached there now
    const r = await p.gql(ARCHIVE, { sku: 'TEST-KEFIR-500' }, { token: staff });
    expect(r.errors).toBeUndefined();
    const archivedAt = r.data!.archiveProduct.archivedAt;
    expect(archivedAt).not.toBeNull();
    // The other replica's cache is evicted by the event.
    const t0 = Date.now();
    let seen = await readOnReplica();
    while (seen === null && Date.now() - t0 < 10_000) {
      await new Promise((res) => setTimeout(res, 5));
      seen = await readOnReplica();
    }
    expect(seen).not.toBeNull();
    expect((await p.gql(PRODUCT, { sku: 'TEST-KEFIR-500' })).data!.product.archivedAt).toBe(archivedAt);
    expect(await all({ filter: { tags: ['test-probiotic-x'] } })).toEqual([]);
    const found = await p.gql(`query { search(query: "kefir", first: 3) { totalCount } }`);
    expect(found.data!.search.totalCount).toBe(0);
    const again = await p.gql(ARCHIVE, { sku: 'TEST-KEFIR-500' }, { token: staff });
    expect(again.data!.archiveProduct.archivedAt).toBe(archivedAt);
    const edit = await p.gql(UPDATE, { sku: 'TEST-KEFIR-500', input: { tags: ['x'] } }, { token: staff });
    expect(edit.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    expect((await outbox('TEST-KEFIR-500')).map((e) => e.type)).toEqual([
      'product.created',
      'product.updated',
      'product.updated',
      'product.archived',
    ]);
    const missing = await p.gql(ARCHIVE, { sku: 'NO-SUCH-SKU' }, { token: staff });
    expect(missing.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });
});

describe('staff manage categories', () => {
  const CREATE_CATEGORY = `mutation ($input: CreateCategoryInput!) { createCategory(input: $input) { id name names { en vi } parentId } }`;
  const CATEGORIES = `query { categories { id parentId names { en } } }`;

  it('creates a department and a sub-category, listed at once and published', async () => {
    const top = await p.gql(
      CREATE_CATEGORY,
      { input: { id: 'cat-test-health', nameEn: 'Health', nameVi: 'Sức khỏe' } },
      { token: staff },
    );
    expect(top.errors).toBeUndefined();
    const child = await p.gql(
      CREATE_CATEGORY,
      { input: { id: 'cat-test-health-vitamins', nameEn: 'Vitamins', nameVi: 'Vitamin', parentId: 'cat-test-health' } },
      { token: staff, lang: 'vi' },
    );
    expect(child.data!.createCategory).toEqual({
      id: 'cat-test-health-vitamins',
      name: 'Vitamin',
      names: { en: 'Vitamins', vi: 'Vitamin' },
      parentId: 'cat-test-health',
    });
    const ids = (await p.gql(CATEGORIES)).data!.categories.map((c: { id: string }) => c.id);
    expect(ids).toEqual(expect.arrayContaining(['cat-test-health', 'cat-test-health-vitamins']));
    expect((await outbox('cat-test-health-vitamins')).map((e) => e.type)).toEqual(['category.created']);
  });

  it('refuses duplicates, a third level, self-parenting and bad ids', async () => {
    const cases: [object, string, string?][] = [
      [{ id: 'cat-test-health', nameEn: 'X', nameVi: 'X' }, 'CONFLICT'],
      [
        { id: 'cat-test-deep', nameEn: 'X', nameVi: 'X', parentId: 'cat-test-health-vitamins' },
        'BAD_USER_INPUT',
        'parentId',
      ],
      [{ id: 'cat-test-self', nameEn: 'X', nameVi: 'X', parentId: 'cat-test-self' }, 'BAD_USER_INPUT', 'parentId'],
      [{ id: 'Not A Slug', nameEn: 'X', nameVi: 'X' }, 'BAD_USER_INPUT', 'id'],
      [{ id: 'cat-test-empty', nameEn: ' ', nameVi: 'X' }, 'BAD_USER_INPUT', 'nameEn'],
    ];
    for (const [input, code, field] of cases) {
      const r = await p.gql(CREATE_CATEGORY, { input }, { token: staff });
      expect(r.errors?.[0]?.extensions?.code).toBe(code);
      if (field) expect(r.errors?.[0]?.extensions?.field).toBe(field);
    }
  });

  it('renames a category, and another replica shows the new name once the event arrives', async () => {
    const replica = await p.createReplica('products');
    const readOnReplica = async () => {
      const r = await execute({
        schema: replica.schema,
        document: parse(`{ categories { id names { en } } }`),
        contextValue: replica.createContext({ locale: 'en' }),
      });
      const cats = (r.data as { categories: { id: string; names: { en: string } }[] }).categories;
      return cats.find((c) => c.id === 'cat-test-health-vitamins')?.names.en;
    };
    expect(await readOnReplica()).toBe('Vitamins');
    const r = await p.gql(
      `mutation { updateCategory(id: "cat-test-health-vitamins", input: { nameEn: "Vitamins & supplements" }) { names { en } } }`,
      {},
      { token: staff },
    );
    expect(r.data!.updateCategory.names.en).toBe('Vitamins & supplements');
    const t0 = Date.now();
    let seen = await readOnReplica();
    while (seen !== 'Vitamins & supplements' && Date.now() - t0 < 10_000) {
      await new Promise((res) => setTimeout(res, 5));
      seen = await readOnReplica();
    }
    expect(seen).toBe('Vitamins & supplements');
  });

  it('archives only empty categories, and an archived one takes no products', async () => {
    const put = await p.gql(
      CREATE,
      {
        input: {
          sku: 'TEST-VITAMIN-C',
          nameEn: 'Vitamin C 500mg',
          nameVi: 'Vitamin C 500mg',
          price: { amount: 90000 },
          unit: 'box',
          categoryId: 'cat-test-health-vitamins',
        },
      },
      { token: staff },
    );
    expect(put.errors).toBeUndefined();
    const ARCHIVE_CATEGORY = `mutation ($id: ID!) { archiveCategory(id: $id) { id archivedAt } }`;
    const busy = await p.gql(ARCHIVE_CATEGORY, { id: 'cat-test-health-vitamins' }, { token: staff });
    expect(busy.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    const parent = await p.gql(ARCHIVE_CATEGORY, { id: 'cat-test-health' }, { token: staff });
    expect(parent.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    await p.gql(ARCHIVE, { sku: 'TEST-VITAMIN-C' }, { token: staff });
    const done = await p.gql(ARCHIVE_CATEGORY, { id: 'cat-test-health-vitamins' }, { token: staff });
    expect(done.errors).toBeUndefined();
    expect(done.data!.archiveCategory.archivedAt).not.toBeNull();
    const ids = (await p.gql(CATEGORIES)).data!.categories.map((c: { id: string }) => c.id);
    expect(ids).not.toContain('cat-test-health-vitamins');
    const into = await p.gql(
      CREATE,
      {
        input: {
          sku: 'TEST-VITAMIN-D',
          nameEn: 'D',
          nameVi: 'D',
          price: { amount: 1 },
          unit: 'box',
          categoryId: 'cat-test-health-vitamins',
        },
      },
      { token: staff },
    );
    expect(into.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'categoryId' });
    expect((await outbox('cat-test-health-vitamins')).map((e) => e.type)).toEqual([
      'category.created',
      'category.updated',
      'category.archived',
    ]);
  });
});

describe('staff rules are enforced for everyone', () => {
  it('gives NOT_FOUND for editing an unknown category', async () => {
    const r: GraphQLResult = await p.gql(
      `mutation { updateCategory(id: "cat-none", input: { nameEn: "X" }) { id } }`,
      {},
      { token: staff },
    );
    expect(r.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });
});
