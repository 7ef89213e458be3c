// Bundles (meal kits) through the gateway: staff manage them, every change is an event and
// evicts the cache on every replica, and availability (from stock) is the minimum over components.
import { generateCatalog } from '@grocery/seed';
import { execute, parse } from 'graphql';
import { Client } from 'pg';
import { NO_RESPONSE_CACHE, startTestPlatform, type GraphQLResult, type TestPlatform } from '@grocery/gateway/testing';

const SEED_SKUS = 300;
let p: TestPlatform;
let staff: string;
let customer: string;
let db: Client;

beforeAll(async () => {
  p = await startTestPlatform({ seedSkus: SEED_SKUS, env: NO_RESPONSE_CACHE });
  staff = (await p.signIn(['staff'])).accessToken;
  customer = (await p.signIn(['customer'])).accessToken;
  db = new Client({ connectionString: p.database.url });
  await db.connect();
});
afterAll(async () => {
  await db?.end();
  await p?.stop();
});

const BUNDLE_FIELDS = `id slug name names { en vi } description price { amount currency } imageUrls
  components { quantity product { sku price { amount } } } regularTotal { amount currency } savings { amount currency }
  version archivedAt`;
const CREATE = `mutation ($input: CreateBundleInput!) { createBundle(input: $input) { ${BUNDLE_FIELDS} } }`;
const UPDATE = `mutation ($id: ID!, $input: UpdateBundleInput!) { updateBundle(id: $id, input: $input) { ${BUNDLE_FIELDS} } }`;
const ARCHIVE = `mutation ($id: ID!) { archiveBundle(id: $id) { id archivedAt } }`;
const BUNDLE = `query ($id: ID!) { bundle(id: $id) { ${BUNDLE_FIELDS} } }`;
const AVAILABLE = `query ($id: ID!, $l: ID) { bundle(id: $id) { id available(locationId: $l) } }`;
const ADJUST = `mutation ($s: String!, $l: ID!, $d: Int!) {
  adjustStock(input: { sku: $s, locationId: $l, delta: $d, reason: "recount" }) { sku available } }`;
const STOCK = `query ($s: String!) { product(sku: $s) { availability { available byLocation { location { id } available } } } }`;

let slugs = 0;
const kit = (skus: [string, number][], extra: Record<string, unknown> = {}) => ({
  slug: `test-kit-${++slugs}`,
  nameEn: `Test kit ${slugs}`,
  nameVi: `Bộ thử ${slugs}`,
  descriptionEn: 'For tests.',
  descriptionVi: 'Dùng để thử.',
  price: { amount: 50000, currency: 'VND' },
  imageUrls: ['/images/bundles/test.jpg'],
  components: skus.map(([sku, quantity]) => ({ sku, quantity })),
  ...extra,
});
const sku = (n: number) => `SKU-${String(n).padStart(6, '0')}`;

async function create(input: Record<string, unknown>) {
  const r = await p.gql(CREATE, { input }, { token: staff, lang: 'vi' });
  expect(r.errors).toBeUndefined();
  return r.data!.createBundle;
}
const outboxTypes = async (subject: string) =>
  (
    await db.query<{ type: string }>(`SELECT type FROM products.outbox_event WHERE subject = $1 ORDER BY seq`, [
      subject,
    ])
  ).rows.map((r) => r.type);
const counts = async () => {
  const { rows } = await db.query(
    `SELECT (SELECT count(*) FROM products.bundle)::int AS bundles, (SELECT count(*) FROM products.bundle_item)::int AS items,
            (SELECT count(*) FROM products.outbox_event WHERE type LIKE 'bundle.%')::int AS events`,
  );
  return rows[0];
};

describe('seeded bundles', () => {
  it('lists every seeded meal kit once, a page at a time, each cheaper than its components', async () => {
    const expected = generateCatalog({ skus: SEED_SKUS }).bundles;
    expect(expected.length).toBeGreaterThan(0);
    const seen: {
      slug: string;
      name: string;
      names: { vi: string };
      price: { amount: number };
      regularTotal: { amount: number };
      savings: { amount: number };
      components: { quantity: number; product: { price: { amount: number } } }[];
    }[] = [];
    let after: string | null = null;
    for (let page = 0; page < 20; page++) {
      const r: GraphQLResult = await p.gql(
        `query ($after: String) { bundles(first: 10, after: $after) { totalCount
          edges { cursor node { slug name names { en vi } price { amount } regularTotal { amount } savings { amount }
            components { quantity product { price { amount } } } } }
          pageInfo { hasNextPage endCursor } } }`,
        { after },
        { lang: 'vi' },
      );
      expect(r.errors).toBeUndefined();
      expect(r.data!.bundles.totalCount).toBe(expected.length);
      seen.push(...r.data!.bundles.edges.map((e: { node: unknown }) => e.node));
      if (!r.data!.bundles.pageInfo.hasNextPage) break;
      after = r.data!.bundles.pageInfo.endCursor;
    }
    expect(seen.map((b) => b.slug)).toEqual(expected.map((b) => b.slug).sort());
    for (const b of seen) {
      expect(b.name).toBe(b.names.vi);
      const total = b.components.reduce(
        (sum: number, c: { quantity: number; product: { price: { amount: number } } }) =>
          sum + c.quantity * c.product.price.amount,
        0,
      );
      expect(b.regularTotal.amount).toBe(total);
      expect(b.price.amount).toBeLessThan(total);
      expect(b.savings.amount).toBe(total - b.price.amount);
    }
  });

  it('answers null for an unknown or malformed id, and refuses a bad cursor', async () => {
    for (const id of ['00000000-0000-4000-8000-000000000000', 'not-a-uuid']) {
      const r = await p.gql(BUNDLE, { id });
      expect(r.errors).toBeUndefined();
      expect(r.data!.bundle).toBeNull();
    }
    const bad = await p.gql(`{ bundles(first: 5, after: "nope") { totalCount } }`);
    expect(bad.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
  });
});

describe('staff manage bundles', () => {
  it('creates, updates and archives a kit, each change an event in the outbox', async () => {
    const created = await create(
      kit([
        [sku(1), 2],
        [sku(2), 1],
      ]),
    );
    expect(created).toMatchObject({
      name: created.names.vi,
      version: 1,
      archivedAt: null,
      description: 'Dùng để thử.',
    });
    const [a, b] = created.components;
    expect(created.components.map((c: { product: { sku: string } }) => c.product.sku)).toEqual([sku(1), sku(2)]);
    const total = 2 * a.product.price.amount + b.product.price.amount;
    expect(created.regularTotal).toEqual({ amount: total, currency: 'VND' });
    expect(created.savings.amount).toBe(Math.max(0, total - 50000));

    const updated = await p.gql(
      UPDATE,
      {
        id: created.id,
        input: {
          price: { amount: 1000, currency: 'VND' },
          components: [
            { sku: sku(3), quantity: 4 },
            { sku: sku(1), quantity: 1 },
          ],
        },
      },
      { token: staff },
    );
    expect(updated.errors).toBeUndefined();
    const u = updated.data!.updateBundle;
    expect(u).toMatchObject({ version: 2, price: { amount: 1000 }, slug: created.slug });
    expect(
      u.components.map((c: { product: { sku: string }; quantity: number }) => [c.product.sku, c.quantity]),
    ).toEqual([
      [sku(1), 1],
      [sku(3), 4],
    ]);
    expect((await p.gql(BUNDLE, { id: created.id })).data!.bundle.price.amount).toBe(1000);

    const archived = await p.gql(ARCHIVE, { id: created.id }, { token: staff });
    expect(archived.errors).toBeUndefined();
    expect(archived.data!.archiveBundle.archivedAt).not.toBeNull();
    // Still readable by id, no longer listed, no longer editable.
    expect((await p.gql(BUNDLE, { id: created.id })).data!.bundle.archivedAt).not.toBeNull();
    const listed = await p.gql(`{ bundles(first: 100) { edges { node { id } } } }`);
    expect(listed.data!.bundles.edges.map((e: { node: { id: string } }) => e.node.id)).not.toContain(created.id);
    const again = await p.gql(UPDATE, { id: created.id, input: { nameEn: 'Too late' } }, { token: staff });
    expect(again.errors?.[0]?.extensions?.code).toBe('CONFLICT');

    expect(await outboxTypes(created.id)).toEqual(['bundle.created', 'bundle.updated', 'bundle.archived']);
    const { rows } = await db.query(
      `SELECT topic, payload FROM products.outbox_event WHERE subject = $1 AND type = 'bundle.updated'`,
      [created.id],
    );
    expect(rows[0].topic).toBe('grocery.products');
    expect(JSON.stringify(rows[0].payload)).toContain('"price":{"amount":1000,"currency":"VND"}');
  });

  it('refuses customers (FORBIDDEN) and anonymous callers (UNAUTHENTICATED), writing nothing', async () => {
    const existing = await create(
      kit([
        [sku(4), 1],
        [sku(5), 1],
      ]),
    );
    const before = await counts();
    const calls: [string, Record<string, unknown>][] = [
      [
        CREATE,
        {
          input: kit([
            [sku(4), 1],
            [sku(5), 1],
          ]),
        },
      ],
      [UPDATE, { id: existing.id, input: { nameEn: 'Hacked' } }],
      [ARCHIVE, { id: existing.id }],
    ];
    for (const [query, variables] of calls) {
      const c = await p.gql(query, variables, { token: customer });
      expect(c.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      const a = await p.gql(query, variables);
      expect(a.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    }
    expect(await counts()).toEqual(before);
    expect((await p.gql(BUNDLE, { id: existing.id })).data!.bundle).toMatchObject({ archivedAt: null, version: 1 });
  });

  it.each([
    ['a single component', { components: [{ sku: sku(6), quantity: 1 }] }, 'components'],
    [
      'a SKU listed twice',
      {
        components: [
          { sku: sku(6), quantity: 1 },
          { sku: sku(6), quantity: 2 },
        ],
      },
      'components[1].sku',
    ],
    [
      'quantity 0',
      {
        components: [
          { sku: sku(6), quantity: 0 },
          { sku: sku(7), quantity: 1 },
        ],
      },
      'components[0].quantity',
    ],
    [
      'quantity 100',
      {
        components: [
          { sku: sku(6), quantity: 1 },
          { sku: sku(7), quantity: 100 },
        ],
      },
      'components[1].quantity',
    ],
    [
      'an unknown SKU',
      {
        components: [
          { sku: sku(6), quantity: 1 },
          { sku: 'NO-SUCH-SKU', quantity: 1 },
        ],
      },
      'components[1].sku',
    ],
    ['a negative price', { price: { amount: -1, currency: 'VND' } }, 'price.amount'],
    ['a price above the maximum', { price: { amount: 1_000_000_001, currency: 'VND' } }, 'price.amount'],
    ['another currency', { price: { amount: 1000, currency: 'USD' } }, 'price.currency'],
    ['an empty English name', { nameEn: '   ' }, 'nameEn'],
    ['a 201-character Vietnamese name', { nameVi: 'ă'.repeat(201) }, 'nameVi'],
    ['a malformed slug', { slug: 'Lẩu Thái!' }, 'slug'],
  ])('refuses %s with BAD_USER_INPUT naming the field, writing nothing', async (_, change, field) => {
    const before = await counts();
    const r = await p.gql(
      CREATE,
      {
        input: kit(
          [
            [sku(6), 1],
            [sku(7), 1],
          ],
          change,
        ),
      },
      { token: staff },
    );
    expect(r.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    expect(r.data?.createBundle ?? null).toBeNull();
    expect(await counts()).toEqual(before);
  });

  it('refuses an archived product as a component, on create and on update', async () => {
    const archivedSku = sku(8);
    await db.query(`UPDATE products.product SET archived_at = now() WHERE sku = $1`, [archivedSku]);
    try {
      const before = await counts();
      const r = await p.gql(
        CREATE,
        {
          input: kit([
            [archivedSku, 1],
            [sku(9), 1],
          ]),
        },
        { token: staff },
      );
      expect(r.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'components[0].sku' });
      expect(r.errors?.[0]?.message).toMatch(/archived/);
      expect(await counts()).toEqual(before);
      const existing = await create(
        kit([
          [sku(9), 1],
          [sku(10), 1],
        ]),
      );
      const u = await p.gql(
        UPDATE,
        {
          id: existing.id,
          input: {
            components: [
              { sku: sku(9), quantity: 1 },
              { sku: archivedSku, quantity: 1 },
            ],
          },
        },
        { token: staff },
      );
      expect(u.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'components[1].sku' });
      expect((await p.gql(BUNDLE, { id: existing.id })).data!.bundle.components).toHaveLength(2);
    } finally {
      await db.query(`UPDATE products.product SET archived_at = NULL WHERE sku = $1`, [archivedSku]);
    }
  });

  it('refuses a slug already taken (CONFLICT), an empty update, and an unknown bundle (NOT_FOUND)', async () => {
    const first = await create(
      kit([
        [sku(11), 1],
        [sku(12), 1],
      ]),
    );
    const dup = await p.gql(
      CREATE,
      {
        input: kit(
          [
            [sku(11), 1],
            [sku(12), 1],
          ],
          { slug: first.slug },
        ),
      },
      { token: staff },
    );
    expect(dup.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', field: 'slug' });
    const empty = await p.gql(UPDATE, { id: first.id, input: {} }, { token: staff });
    expect(empty.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    for (const id of ['00000000-0000-4000-8000-000000000000', 'not-a-uuid']) {
      const missing = await p.gql(UPDATE, { id, input: { nameEn: 'x' } }, { token: staff });
      expect(missing.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    }
  });
});

describe('bundle cache', () => {
  it('shows an update on another replica of the products subgraph (evicted by the event)', async () => {
    const created = await create(
      kit([
        [sku(13), 1],
        [sku(14), 1],
      ]),
    );
    const replica = await p.createReplica('products');
    const read = async () => {
      const r = await execute({
        schema: replica.schema,
        document: parse(`{ bundle(id: "${created.id}") { price { amount } } }`),
        contextValue: replica.createContext({ locale: 'en' }),
      });
      expect(r.errors).toBeUndefined();
      return (r.data as { bundle: { price: { amount: number } } }).bundle.price.amount;
    };
    expect(await read()).toBe(50000); // now cached by the replica
    const r = await p.gql(
      UPDATE,
      { id: created.id, input: { price: { amount: 42000, currency: 'VND' } } },
      { token: staff },
    );
    expect(r.errors).toBeUndefined();
    const deadline = Date.now() + 10_000;
    let seen = await read();
    while (seen !== 42000 && Date.now() < deadline) {
      await new Promise((res) => setTimeout(res, 5));
      seen = await read();
    }
    expect(seen).toBe(42000);
    for (let i = 0; i < 10; i++) expect(await read()).toBe(42000);
  });
});

describe('bundle availability (stock, through federation)', () => {
  const Q1 = 'hcm-store-q1';
  async function stockOf(s: string): Promise<{ total: number; at: (l: string) => number }> {
    const r = await p.gql(STOCK, { s });
    expect(r.errors).toBeUndefined();
    const a = r.data!.product.availability;
    return {
      total: a.available,
      at: (l) => a.byLocation.find((x: { location: { id: string } }) => x.location.id === l)?.available ?? 0,
    };
  }
  async function setAt(s: string, l: string, target: number): Promise<void> {
    const delta = target - (await stockOf(s)).at(l);
    if (delta === 0) return;
    const r = await p.gql(ADJUST, { s, l, d: delta }, { token: staff });
    expect(r.errors).toBeUndefined();
    expect(r.data!.adjustStock.available).toBe(target);
  }
  async function available(id: string, locationId?: string): Promise<number> {
    const r = await p.gql(AVAILABLE, { id, l: locationId ?? null });
    expect(r.errors).toBeUndefined();
    return r.data!.bundle.available;
  }

  it('is the minimum over components of floor(available / quantity), at a location and overall', async () => {
    const [rice, eggs] = [sku(20), sku(21)];
    const b = await create(
      kit([
        [rice, 2],
        [eggs, 3],
      ]),
    );

    await setAt(rice, Q1, 21);
    await setAt(eggs, Q1, 5);
    expect(await available(b.id, Q1)).toBe(1); // eggs: floor(5 / 3)
    const overall = async () => {
      const [r, e] = [await stockOf(rice), await stockOf(eggs)];
      return Math.min(Math.floor(r.total / 2), Math.floor(e.total / 3));
    };
    expect(await available(b.id)).toBe(await overall());

    const more = await p.gql(ADJUST, { s: eggs, l: Q1, d: 30 }, { token: staff });
    expect(more.errors).toBeUndefined();
    expect(await available(b.id, Q1)).toBe(10); // now rice: floor(21 / 2); eggs allow 11
    expect(await available(b.id)).toBe(await overall());

    await setAt(rice, Q1, 1);
    expect(await available(b.id, Q1)).toBe(0);
    expect(await available(b.id)).toBe(await overall());
  });

  it('keeps a kit from losing a component: archiving a product in a live bundle is refused; an archived kit has 0', async () => {
    // Two products no seeded kit holds, so only this test's kit stands in the way.
    const { rows } = await db.query<{ sku: string }>(
      `SELECT sku FROM products.product p WHERE archived_at IS NULL
          AND NOT EXISTS (SELECT 1 FROM products.bundle_item i WHERE i.sku = p.sku) ORDER BY sku LIMIT 2`,
    );
    const [beans, noodles] = rows.map((r) => r.sku);
    const b = await create(
      kit([
        [beans, 1],
        [noodles, 1],
      ]),
    );
    await setAt(beans, Q1, 4);
    await setAt(noodles, Q1, 4);
    expect(await available(b.id, Q1)).toBe(4);
    const refused = await p.gql(
      `mutation ($s: String!) { archiveProduct(sku: $s) { sku } }`,
      { s: beans },
      { token: staff },
    );
    expect(refused.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    expect(refused.errors?.[0]?.message).toContain(b.slug);
    expect((await p.gql(STOCK, { s: beans })).errors).toBeUndefined();
    const archived = await p.gql(ARCHIVE, { id: b.id }, { token: staff });
    expect(archived.errors).toBeUndefined();
    expect(await available(b.id, Q1)).toBe(0);
    expect(await available(b.id)).toBe(0);
    // With no live kit holding it, the product can now be retired.
    const retired = await p.gql(
      `mutation ($s: String!) { archiveProduct(sku: $s) { archivedAt } }`,
      { s: beans },
      { token: staff },
    );
    expect(retired.errors).toBeUndefined();
    expect(retired.data!.archiveProduct.archivedAt).not.toBeNull();
  });

  it('answers for a page of bundles in one request, and refuses an unknown location (NOT_FOUND)', async () => {
    const r = await p.gql(
      `{ bundles(first: 10) { edges { node { slug available components { quantity product { sku availability { available } } } } } } }`,
    );
    expect(r.errors).toBeUndefined();
    for (const { node } of r.data!.bundles.edges) {
      const expected = Math.min(
        ...node.components.map((c: { quantity: number; product: { availability: { available: number } } }) =>
          Math.floor(c.product.availability.available / c.quantity),
        ),
      );
      expect(node.available).toBe(expected);
    }
    const id = r.data!.bundles.edges.length
      ? (await p.gql(`{ bundles(first: 1) { edges { node { id } } } }`)).data!.bundles.edges[0].node.id
      : null;
    const bad = await p.gql(AVAILABLE, { id, l: 'no-such-store' });
    expect(bad.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });
});
