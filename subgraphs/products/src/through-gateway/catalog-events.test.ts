// What the catalog learns from other domains' events, seen through the gateway: ratings from
// review.*, best sellers from order.placed, and "in stock at" from stock.level_changed. Events
// go onto the platform's own bus (in-process, or Redis Streams in distributed mode), the way the
// reviews and orders subgraphs will publish them; the stock path is end to end (adjustStock).
import { makeEvent, topicFor, type DomainEvent } from '@grocery/platform';
import { Client } from 'pg';
import { eventually, NO_RESPONSE_CACHE, startTestPlatform, type TestPlatform } from '@grocery/gateway/testing';

let p: TestPlatform;
let db: Client;
let staff: string;
/** Seeded products with their category and its parent, in SKU order. */
let catalog: { sku: string; categoryId: string; parentId: string | null }[];

beforeAll(async () => {
  // Concurrent adjustments of one level come from one staff client.
  p = await startTestPlatform({
    seedSkus: 200,
    env: { ...NO_RESPONSE_CACHE, MAX_CONCURRENT_OPERATIONS_PER_CLIENT: '64' },
  });
  db = new Client({ connectionString: p.database.url });
  await db.connect();
  staff = (await p.signIn(['staff'])).accessToken;
  const r = await p.gql(`query { products(first: 100) { edges { node { sku category { id parentId } } } } }`);
  catalog = r.data!.products.edges.map(
    (e: { node: { sku: string; category: { id: string; parentId: string | null } } }) => ({
      sku: e.node.sku,
      categoryId: e.node.category.id,
      parentId: e.node.category.parentId,
    }),
  );
});
afterAll(async () => {
  await db?.end();
  await p?.stop();
});

const publish = (domain: string, events: DomainEvent[]) => p.platform.deps.bus.publish(topicFor(domain), events);

/**
 * Waits until a consumer has committed these events (their processed_event rows and effects
 * commit together). Reading only afterwards keeps a poll from racing the commit and caching
 * the state from before it.
 */
function processed(consumer: string, events: DomainEvent[]): Promise<unknown> {
  return eventually(
    async () =>
      Number(
        (
          await db.query(
            `SELECT count(*) AS n FROM products.processed_event WHERE consumer = $1 AND event_id = ANY($2)`,
            [consumer, events.map((e) => e.id)],
          )
        ).rows[0].n,
      ),
    (n) => n === events.length,
    `${consumer} to handle ${events.map((e) => e.type).join(', ')}`,
  );
}

/** Lets events still in flight arrive before asserting that they changed nothing. */
const settle = () => new Promise((r) => setTimeout(r, 300));

describe('ratings from review events', () => {
  const SKU = 'SKU-000010';
  const at = (minute: number) => new Date(Date.UTC(2026, 10, 20, 8, minute));
  const review = (type: 'created' | 'updated', id: string, rating: number, minute: number, sku = SKU) =>
    makeEvent({
      source: 'grocery/reviews',
      type: `review.${type}`,
      subject: id,
      time: at(minute),
      data: { reviewId: id, sku, rating },
    });
  const deleted = (id: string, minute: number, sku = SKU) =>
    makeEvent({
      source: 'grocery/reviews',
      type: 'review.deleted',
      subject: id,
      time: at(minute),
      data: { reviewId: id, sku },
    });
  const rating = async (sku = SKU) =>
    (await p.gql(`query ($s: String!) { product(sku: $s) { averageRating reviewCount } }`, { s: sku })).data!.product;
  const converges = (expected: { averageRating: number | null; reviewCount: number }, sku = SKU) =>
    eventually(
      () => rating(sku),
      (r) => r.averageRating === expected.averageRating && r.reviewCount === expected.reviewCount,
      `rating ${JSON.stringify(expected)}`,
    );

  it('averages created reviews, follows an edit and a deletion', async () => {
    expect(await rating()).toEqual({ averageRating: null, reviewCount: 0 }); // caches the product
    const created = [
      review('created', 'r-10-a', 5, 1),
      review('created', 'r-10-b', 3, 1),
      review('created', 'r-10-c', 4, 1),
    ];
    await publish('reviews', created);
    await processed('products.ratings', created);
    await converges({ averageRating: 4, reviewCount: 3 });

    const edited = review('updated', 'r-10-b', 1, 2);
    await publish('reviews', [edited]);
    await processed('products.ratings', [edited]);
    await converges({ averageRating: 3.33, reviewCount: 3 });

    const gone = deleted('r-10-a', 3);
    await publish('reviews', [gone]);
    await processed('products.ratings', [gone]);
    await converges({ averageRating: 2.5, reviewCount: 2 });

    const rest = [deleted('r-10-b', 4), deleted('r-10-c', 4)];
    await publish('reviews', rest);
    await processed('products.ratings', rest);
    await converges({ averageRating: null, reviewCount: 0 });
    // Each recount is published for whatever keeps a copy of the product (search index, caches).
    const published = await db.query(
      `SELECT payload FROM products.outbox_event WHERE type = 'product.rating_changed' AND subject = $1 ORDER BY seq`,
      [SKU],
    );
    // One per review event applied (3 created, 1 edit, 3 deletions), the last with no reviews left.
    expect(published.rows).toHaveLength(7);
    expect(published.rows.at(-1)!.payload.data).toEqual({ sku: SKU, ratingAverage: null, reviewCount: 0 });
  });

  it('changes nothing when an event is delivered again', async () => {
    const sku = 'SKU-000011';
    const first = review('created', 'r-11-a', 2, 1, sku);
    const second = review('created', 'r-11-b', 4, 1, sku);
    await publish('reviews', [first, second]);
    await processed('products.ratings', [first, second]);
    await converges({ averageRating: 3, reviewCount: 2 }, sku);

    // The same events again (a relay resending its batch), then a new one after them on the
    // same review, which the bus delivers after the replay.
    const later = review('updated', 'r-11-b', 5, 2, sku);
    await publish('reviews', [first, second, later]);
    await processed('products.ratings', [later]);
    await converges({ averageRating: 3.5, reviewCount: 2 }, sku);
    const rows = await db.query(`SELECT count(*)::int AS n FROM products.processed_event WHERE event_id = ANY($1)`, [
      [first.id, second.id],
    ]);
    expect(rows.rows[0].n).toBe(2);
  });

  it('ignores an older edit that arrives after a newer one, and a create replayed after a delete', async () => {
    const sku = 'SKU-000012';
    const created = review('created', 'r-12', 3, 1, sku);
    const newer = review('updated', 'r-12', 5, 3, sku);
    const older = review('updated', 'r-12', 1, 2, sku);
    await publish('reviews', [created, newer, older]);
    await processed('products.ratings', [created, newer, older]);
    await converges({ averageRating: 5, reviewCount: 1 }, sku);
    expect(await rating(sku)).toEqual({ averageRating: 5, reviewCount: 1 });

    // A deletion first, then (out of order) the review's creation under a new event id.
    const gone = deleted('r-12-x', 5, sku);
    const lateCreate = review('created', 'r-12-x', 1, 4, sku);
    await publish('reviews', [gone, lateCreate]);
    await processed('products.ratings', [gone, lateCreate]);
    expect(await rating(sku)).toEqual({ averageRating: 5, reviewCount: 1 });
    const stored = await db.query(`SELECT rating_average, review_count FROM products.product WHERE sku = $1`, [sku]);
    expect(stored.rows).toEqual([{ rating_average: 5, review_count: 1 }]);
  });

  it('skips malformed events and still applies the good ones after them', async () => {
    const sku = 'SKU-000013';
    const bad = [
      makeEvent({
        source: 'grocery/reviews',
        type: 'review.created',
        subject: 'r-13',
        data: { reviewId: 'r-13', sku, rating: 6 },
      }),
      makeEvent({
        source: 'grocery/reviews',
        type: 'review.created',
        subject: 'r-13',
        data: { reviewId: 'r-13', sku, rating: 4.5 },
      }),
      makeEvent({ source: 'grocery/reviews', type: 'review.created', subject: 'r-13', data: { reviewId: 'r-13' } }),
      makeEvent({
        source: 'grocery/reviews',
        type: 'review.created',
        subject: 'other',
        data: { reviewId: 'r-13', sku, rating: 2 },
      }),
      makeEvent({ source: 'grocery/reviews', type: 'review.created', subject: 'r-13', data: null }),
      { ...review('created', 'r-13', 2, 1, sku), time: 'yesterday' },
    ];
    const good = review('created', 'r-13', 4, 1, sku);
    await publish('reviews', [...bad, good]);
    await processed('products.ratings', [good]);
    await converges({ averageRating: 4, reviewCount: 1 }, sku);
    const recorded = await db.query(
      `SELECT count(*)::int AS n FROM products.processed_event WHERE event_id = ANY($1)`,
      [bad.map((e) => e.id)],
    );
    expect(recorded.rows[0].n).toBe(0);
  });
});

describe('popularProducts from order.placed', () => {
  const POPULAR = `query ($c: ID, $n: Int!) { popularProducts(categoryId: $c, first: $n) { sku } }`;
  const popular = async (categoryId: string | null, first = 50) => {
    const r = await p.gql(POPULAR, { c: categoryId, n: first });
    expect(r.errors).toBeUndefined();
    return r.data!.popularProducts.map((x: { sku: string }) => x.sku) as string[];
  };
  let seq = 0;
  const order = (lines: { sku: string; quantity: number }[], placedAt = new Date()) => {
    const orderId = `order-${++seq}`;
    return makeEvent({
      source: 'grocery/orders',
      type: 'order.placed',
      subject: orderId,
      data: { orderId, placedAt: placedAt.toISOString(), lines },
    });
  };
  /** Today in Vietnam minus `days`, as YYYY-MM-DD. */
  const vietnamDay = (days: number) =>
    new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Ho_Chi_Minh' }).format(new Date(Date.now() - days * 86_400_000));

  // A parent category with at least two products in its sub-categories, and products elsewhere.
  let parent: string;
  let leaf: string;
  let inParent: string[];
  let outside: string[];
  beforeAll(() => {
    const byParent = new Map<string, typeof catalog>();
    for (const c of catalog) if (c.parentId) byParent.set(c.parentId, [...(byParent.get(c.parentId) ?? []), c]);
    const [p0, members] = [...byParent].find(
      ([, m]) => new Set(m.map((x) => x.categoryId)).size >= 2 && m.length >= 3,
    )!;
    parent = p0;
    leaf = members[0]!.categoryId;
    const inLeaf = members.filter((m) => m.categoryId === leaf).map((m) => m.sku);
    const inSibling = members.filter((m) => m.categoryId !== leaf).map((m) => m.sku);
    inParent = [inLeaf[0]!, inSibling[0]!];
    // Clear of the SKUs the other tests use (one of these gets archived).
    outside = catalog
      .filter((c) => c.parentId !== parent && c.categoryId !== parent && c.sku > 'SKU-000030')
      .map((c) => c.sku);
  });

  it('refuses first outside 1-50 and a blank category id; an unknown category has no best sellers', async () => {
    for (const first of [0, 51, -1]) {
      const r = await p.gql(POPULAR, { c: null, n: first });
      expect(r.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      expect(r.data?.popularProducts ?? null).toBeNull();
    }
    const blank = await p.gql(POPULAR, { c: '  ', n: 5 });
    expect(blank.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(await popular('no-such-category')).toEqual([]);
  });

  it('ranks by units ordered in the last 7 days, counts each event once, and agrees with sort: POPULARITY', async () => {
    const [a, b] = inParent as [string, string];
    const [x, y, old, archived] = outside as [string, string, string, string];
    // Sales recorded before this test: one inside the window (6 days ago), one just outside it.
    await db.query(
      `INSERT INTO products.product_sales_daily (sku, day, quantity, order_count) VALUES ($1, $2::date, 40, 4), ($3, $4::date, 900, 9)`,
      [y, vietnamDay(6), old, vietnamDay(7)],
    );
    // Archived products are not sold from the catalog any more (set directly: archiving is staff's, elsewhere).
    await db.query(`UPDATE products.product SET archived_at = now() WHERE sku = $1`, [archived]);
    const orders = [
      order([
        { sku: a, quantity: 5 },
        { sku: x, quantity: 2 },
      ]),
      order([
        { sku: b, quantity: 3 },
        { sku: a, quantity: 1 },
        { sku: a, quantity: 1 },
      ]),
      order([
        { sku: x, quantity: 10 },
        { sku: archived, quantity: 500 },
      ]),
      // Placed 8 days ago: outside the window.
      order([{ sku: b, quantity: 1_000 }], new Date(Date.now() - 8 * 86_400_000)),
    ];
    await publish('orders', orders);
    await processed('products.popularity', orders);
    // x 12, a 7, b 3 (today), y 40 (6 days ago); old and the 8-day-old order fall outside.
    const expected = [y, x, a, b];
    expect(
      await eventually(
        () => popular(null),
        (l) => l.join() === expected.join(),
        'the ranking',
      ),
    ).toEqual(expected);
    expect(await popular(null, 2)).toEqual([y, x]);
    expect(await popular(parent)).toEqual([a, b]);
    expect(await popular(leaf)).toEqual([a]);

    const sorted = await p.gql(`query { products(first: 10, sort: POPULARITY) { edges { node { sku } } } }`);
    expect(sorted.data!.products.edges.slice(0, 4).map((e: { node: { sku: string } }) => e.node.sku)).toEqual(expected);

    // The first order once more (the relay resending it), then a new order behind it.
    const next = order([{ sku: b, quantity: 10 }]);
    await publish('orders', [orders[0]!, next]);
    await processed('products.popularity', [next]);
    await settle();
    const after = [y, b, x, a]; // b 13; x and a unchanged
    expect(
      await eventually(
        () => popular(null),
        (l) => l.join() === after.join(),
        'the new ranking',
      ),
    ).toEqual(after);
    const counted = await db.query(
      `SELECT sku, quantity, order_count FROM products.product_sales_daily WHERE sku = ANY($1) AND day = $2::date ORDER BY sku`,
      [[a, x], vietnamDay(0)],
    );
    expect(counted.rows).toEqual(
      [
        { sku: a, quantity: 7, order_count: 2 },
        { sku: x, quantity: 12, order_count: 2 },
      ].sort((l, r) => l.sku.localeCompare(r.sku)),
    );
  });

  it('skips a malformed order and applies the next one', async () => {
    const sku = outside[5]!;
    const bad = [
      makeEvent({
        source: 'grocery/orders',
        type: 'order.placed',
        subject: 'o-bad',
        data: { orderId: 'o-bad', placedAt: 'now', lines: [{ sku, quantity: 1 }] },
      }),
      makeEvent({
        source: 'grocery/orders',
        type: 'order.placed',
        subject: 'o-bad',
        data: { orderId: 'o-bad', placedAt: new Date().toISOString(), lines: [] },
      }),
      makeEvent({
        source: 'grocery/orders',
        type: 'order.placed',
        subject: 'o-bad',
        data: { orderId: 'o-bad', placedAt: new Date().toISOString(), lines: [{ sku, quantity: 0 }] },
      }),
    ];
    const good = order([{ sku, quantity: 1 }]);
    await publish('orders', [...bad, good]);
    await processed('products.popularity', [good]);
    const row = await db.query(`SELECT quantity, order_count FROM products.product_sales_daily WHERE sku = $1`, [sku]);
    expect(row.rows).toEqual([{ quantity: 1, order_count: 1 }]);
  });
});

describe('in stock at a location, from the stock subgraph', () => {
  const IN_STOCK = `query ($l: ID!, $c: ID!) { products(first: 100, filter: { inStockAt: $l, categoryId: $c }) { totalCount edges { node { sku } } } }`;
  const ADJUST = `mutation ($s: String!, $l: ID!, $d: Int!) { adjustStock(input: { sku: $s, locationId: $l, delta: $d, reason: "recount" }) { available } }`;

  it('lists a product at a location while it has units there, after adjustStock through the gateway', async () => {
    const sku = 'SKU-000020';
    const r = await p.gql(
      `query ($s: String!) { product(sku: $s) { category { id } availability { byLocation { location { id } available } } } }`,
      { s: sku },
    );
    expect(r.errors).toBeUndefined();
    const category = r.data!.product.category.id as string;
    const here = (r.data!.product.availability.byLocation as { location: { id: string }; available: number }[]).find(
      (l) => l.available > 0,
    )!;
    const listed = async () => {
      const page = await p.gql(IN_STOCK, { l: here.location.id, c: category });
      expect(page.errors).toBeUndefined();
      return (page.data!.products.edges as { node: { sku: string } }[]).map((e) => e.node.sku);
    };
    // Seeded stock is in the projection from the start.
    expect(await listed()).toContain(sku);

    const emptied = await p.gql(ADJUST, { s: sku, l: here.location.id, d: -here.available }, { token: staff });
    expect(emptied.errors).toBeUndefined();
    expect(emptied.data!.adjustStock.available).toBe(0);
    await eventually(listed, (l) => !l.includes(sku), `${sku} to leave ${here.location.id}'s shelf`);

    const restocked = await p.gql(ADJUST, { s: sku, l: here.location.id, d: 3 }, { token: staff });
    expect(restocked.data!.adjustStock.available).toBe(3);
    await eventually(listed, (l) => l.includes(sku), `${sku} to be back at ${here.location.id}`);
  });

  const levelEvent = (sku: string, locationId: string, available: number, time: Date, version?: number) =>
    makeEvent({
      source: 'grocery/stock',
      type: 'stock.level_changed',
      subject: sku,
      time,
      data: {
        sku,
        locationId,
        onHand: available,
        reserved: 0,
        available,
        totalAvailable: available,
        reason: 'ADJUSTED',
        ...(version === undefined ? {} : { version }),
      },
    });
  const projected = async (sku: string, locationId: string) =>
    (
      await db.query(`SELECT available, version::int FROM products.product_stock WHERE sku = $1 AND location_id = $2`, [
        sku,
        locationId,
      ])
    ).rows[0] as { available: number; version: number } | undefined;

  it('keeps the later-committed level when the one before it carries a later time (interleaved transactions)', async () => {
    // Two changes of one level: the one that committed last started first, so its event time
    // (now(), the transaction start) is earlier. The version (raised per change under the row
    // lock, so in commit order) says which is newer; the time would have kept the wrong one.
    const sku = 'SKU-000021';
    const location = 'hcm-store-q1';
    const now = Date.now();
    const committedFirst = levelEvent(sku, location, 7, new Date(now + 60_000), 1_000);
    const committedLast = levelEvent(sku, location, 0, new Date(now + 30_000), 1_001);
    // Delivered in either order, the projection ends on the later commit.
    await publish('stock', [committedFirst, committedLast]);
    await eventually(
      () => projected(sku, location),
      (r) => r?.version === 1_001,
      'version 1001',
    );
    await publish('stock', [committedFirst]); // a redelivery of the older one, late
    // Same SKU (the bus keeps one SKU's events in order), another location: once it shows, the
    // redelivery before it has been handled.
    await publish('stock', [levelEvent(sku, 'hcm-store-q3', 5, new Date(now), 1_000)]);
    await eventually(
      () => projected(sku, 'hcm-store-q3'),
      (r) => r?.available === 5,
      'the marker level',
    );
    expect(await projected(sku, location)).toEqual({ available: 0, version: 1_001 });
  });

  it("ends on stock's own level after concurrent changes of one SKU at one location", async () => {
    // Concurrent adjustments queue on the row lock in whatever order; their transactions'
    // start times need not match the order they commit in. The projection must end where
    // stock's row is, with its version.
    const sku = 'SKU-000022';
    const location = 'hcm-store-q1';
    const deltas = [5, -1, 4, -2, 3, -1, 2, -1, 6, -3, 1, -1];
    const results = await Promise.all(deltas.map((d) => p.gql(ADJUST, { s: sku, l: location, d }, { token: staff })));
    for (const r of results) expect(r.errors).toBeUndefined();
    const truth = (
      await db.query(
        `SELECT (on_hand - reserved) AS available, version::int FROM stock.stock_level WHERE sku = $1 AND location_id = $2`,
        [sku, location],
      )
    ).rows[0] as { available: number; version: number };
    // One version per change, on top of the level's version before them.
    expect(truth.version).toBeGreaterThanOrEqual(deltas.length);
    await eventually(
      () => projected(sku, location),
      (r) => r?.version === truth.version,
      `the projection at stock's version ${truth.version}`,
    );
    expect(await projected(sku, location)).toEqual(truth);
  });

  it('still applies a level event published before versions existed over a row that never saw one', async () => {
    const sku = 'SKU-000023';
    const location = 'hcm-store-q9-legacy';
    const now = Date.now();
    await publish('stock', [
      levelEvent(sku, location, 4, new Date(now + 1_000)),
      levelEvent(sku, location, 9, new Date(now)), // older time: ignored
      levelEvent(sku, 'hcm-store-q3', 6, new Date(now), 2_000),
    ]);
    await eventually(
      () => projected(sku, 'hcm-store-q3'),
      (r) => r?.available === 6,
      'the marker level',
    );
    expect(await projected(sku, location)).toEqual({ available: 4, version: 0 });
  });
});

describe('coupon redemptions from order.placed', () => {
  const COUPON = 'TESTLIMIT2';
  const PRICE = `query ($codes: [String!]) { priceCart(lines: [{ sku: "SKU-000001", quantity: 1 }], couponCodes: $codes) {
    appliedPromotions { couponCode } rejectedCoupons { code reason } } }`;
  const placed = (orderId: string, customerId: string, codes: string[]) =>
    makeEvent({
      source: 'grocery/orders',
      type: 'order.placed',
      subject: orderId,
      data: {
        orderId,
        placedAt: new Date().toISOString(),
        customerId,
        couponCodes: codes,
        lines: [{ sku: 'SKU-000001', quantity: 1 }],
      },
    });
  const usage = async () =>
    (
      await p.gql(
        `{ promotions(activeOnly: false) { couponCode usedCount usageLimit perCustomerLimit } }`,
        {},
        { token: staff },
      )
    ).data!.promotions.find((x: { couponCode: string | null }) => x.couponCode === COUPON);
  const userId = async (token: string) => (await p.gql(`{ me { id } }`, {}, { token })).data!.me.id as string;

  it('counts each order once toward the usage and per-customer limits that priceCart enforces', async () => {
    const created = await p.gql(
      `mutation ($input: PromotionInput!) { createPromotion(input: $input) { id } }`,
      {
        input: {
          nameEn: '10% off, twice in all, once each',
          nameVi: 'Giảm 10%, tối đa 2 lần, mỗi khách 1 lần',
          kind: 'ORDER_THRESHOLD',
          minSubtotal: 0,
          percent: 10,
          couponCode: COUPON,
          usageLimit: 2,
          perCustomerLimit: 1,
          validFrom: new Date(Date.now() - 3_600_000).toISOString(),
          validUntil: new Date(Date.now() + 86_400_000).toISOString(),
        },
      },
      { token: staff },
    );
    expect(created.errors).toBeUndefined();
    const [a, b, c] = [
      (await p.signIn(['customer'])).accessToken,
      (await p.signIn(['customer'])).accessToken,
      (await p.signIn(['customer'])).accessToken,
    ];
    const applies = async (token: string) =>
      (await p.gql(PRICE, { codes: [COUPON.toLowerCase()] }, { token })).data!.priceCart;
    expect((await applies(a)).appliedPromotions).toContainEqual({ couponCode: COUPON });

    // Customer a's order, delivered twice (a replay), and an unknown code alongside.
    const first = placed('order-coupon-1', await userId(a), [COUPON.toLowerCase(), 'NO-SUCH-CODE']);
    await publish('orders', [first, first]);
    await eventually(usage, (u) => u.usedCount === 1, 'usedCount 1');
    expect((await applies(a)).rejectedCoupons).toEqual([{ code: COUPON, reason: 'USAGE_LIMIT_REACHED' }]);
    expect((await applies(b)).appliedPromotions).toContainEqual({ couponCode: COUPON });

    await publish('orders', [placed('order-coupon-2', await userId(b), [COUPON])]);
    await eventually(usage, (u) => u.usedCount === 2, 'usedCount 2');
    // The total limit is reached: refused for a customer who never used it too.
    expect((await applies(c)).rejectedCoupons).toEqual([{ code: COUPON, reason: 'USAGE_LIMIT_REACHED' }]);
    expect(await usage()).toEqual({ couponCode: COUPON, usedCount: 2, usageLimit: 2, perCustomerLimit: 1 });
    const anonymous = await p.gql(`{ promotions { couponCode usedCount } }`);
    expect(anonymous.data!.promotions.every((x: { usedCount: unknown }) => x.usedCount === null)).toBe(true);
  });
});
