// What an operator does when a projection goes wrong, the way they would do it: events a
// consumer keeps failing on become dead letters (the events behind them still apply), listed
// and replayed with `pnpm ops dead-letters`; projections that lost events are rebuilt from their
// source with `pnpm ops rebuild`. Seen through the gateway and through the CLI's own output.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { makeEvent, topicFor, type DomainEvent } from '@grocery/platform';
import { Client } from 'pg';
import { eventually, NO_RESPONSE_CACHE, startTestPlatform, type TestPlatform } from '@grocery/gateway/testing';

const OPS_CLI = path.resolve(__dirname, '..', '..', '..', '..', 'gateway', 'dist', 'ops-cli.js');
const run = promisify(execFile);

let p: TestPlatform;
let db: Client;

beforeAll(async () => {
  p = await startTestPlatform({
    seedSkus: 60,
    // Give up quickly: three attempts, 100 ms apart at most.
    env: { ...NO_RESPONSE_CACHE, EVENT_MAX_ATTEMPTS: '3', EVENT_RETRY_MAX_MS: '100' },
  });
  db = new Client({ connectionString: p.database.url });
  await db.connect();
});
afterAll(async () => {
  await db?.end();
  await p?.stop();
});

/** Runs `pnpm ops …` against the test platform's databases: exit code and output. */
async function ops(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    APOLLO_TELEMETRY_DISABLED: 'true',
    LOG_LEVEL: 'silent',
    DATABASE_URL: p.database.url,
  };
  for (const [domain, url] of Object.entries(p.config.domainDatabaseUrls))
    env[`${domain.toUpperCase()}_DATABASE_URL`] = url;
  try {
    const r = await run(process.execPath, [OPS_CLI, ...args], { env });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

const publish = (domain: string, events: DomainEvent[]) => p.platform.deps.bus.publish(topicFor(domain), events);
const review = (id: string, sku: string, rating: number) =>
  makeEvent({
    source: 'grocery/reviews',
    type: 'review.created',
    subject: id,
    data: { reviewId: id, sku, rating },
  });
const rating = async (sku: string) =>
  (await p.gql(`query ($s: String!) { product(sku: $s) { averageRating reviewCount } }`, { s: sku })).data!.product as {
    averageRating: number | null;
    reviewCount: number;
  };

interface Listed {
  id: string;
  domain: string;
  consumer: string;
  eventId: string;
  attempts: number;
  error: string;
  resolution: string | null;
}

describe('dead letters', () => {
  const SKU = 'SKU-000030';

  it('sets a review the ratings consumer keeps failing on aside, applies the ones behind it, and replays it on request', async () => {
    // A fault only this review meets (a bug, a constraint it breaks), in the products database.
    await db.query(`CREATE FUNCTION products.refuse_review() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW.review_id = 'r-poison' THEN RAISE EXCEPTION 'review r-poison cannot be stored'; END IF; RETURN NEW; END $$`);
    await db.query(`CREATE TRIGGER refuse_review BEFORE INSERT ON products.product_review
      FOR EACH ROW EXECUTE FUNCTION products.refuse_review()`);
    const poison = review('r-poison', SKU, 5);
    const after = review('r-after', SKU, 3);
    await publish('reviews', [poison, after]);
    // The review behind it is applied: the consumer did not stall.
    await eventually(
      () => rating(SKU),
      (r) => r.reviewCount === 1,
      'the review behind the failing one',
    );
    expect(await rating(SKU)).toEqual({ averageRating: 3, reviewCount: 1 });

    const listed = await eventually(
      async () => JSON.parse((await ops('dead-letters', '--json')).stdout) as Listed[],
      (rows) => rows.some((r) => r.eventId === poison.id),
      'the dead letter to be listed',
    );
    const letter = listed.find((r) => r.eventId === poison.id)!;
    expect(letter).toMatchObject({ domain: 'products', consumer: 'products.ratings', attempts: 3, resolution: null });
    expect(letter.error).toContain('review r-poison cannot be stored');
    const table = await ops('dead-letters');
    expect(table.code).toBe(0);
    expect(table.stdout).toContain(`${letter.id}  |  products/products.ratings  |  review.created r-poison`);

    // Replaying before the fault is fixed fails again and says so; the letter stays.
    expect((await ops('dead-letters', 'replay', letter.id)).code).toBe(0);
    await eventually(
      async () =>
        (JSON.parse((await ops('dead-letters', '--json')).stdout) as Listed[]).find((r) => r.id === letter.id),
      (r) => r !== undefined && r.attempts === 4,
      'the failed replay to be recorded',
    );

    // Fixed: the replay applies it.
    await db.query(`DROP TRIGGER refuse_review ON products.product_review`);
    const replay = await ops('dead-letters', 'replay', letter.id);
    expect(replay.code).toBe(0);
    expect(replay.stdout).toContain(`replay requested: products ${letter.id}`);
    await eventually(
      () => rating(SKU),
      (r) => r.reviewCount === 2,
      'the replayed review',
    );
    expect(await rating(SKU)).toEqual({ averageRating: 4, reviewCount: 2 });
    expect((await ops('dead-letters')).stdout).toContain('No unresolved dead letters.');
    const history = JSON.parse((await ops('dead-letters', '--all', '--json')).stdout) as Listed[];
    expect(history.find((r) => r.id === letter.id)?.resolution).toBe('replayed');
  }, 60_000);

  it('refuses a replay of nothing, and unknown commands, with a usage message and exit code 2', async () => {
    const none = await ops('dead-letters', 'replay', '00000000-0000-0000-0000-000000000000');
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('no unresolved dead letter matched');
    const both = await ops('dead-letters', 'replay');
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('takes ids, or --all');
    const unknown = await ops('rebuild', 'everything-please');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('no projection called everything-please');
  });
});

describe('pnpm ops rebuild', () => {
  const IN_STOCK = `query ($l: ID!) { products(first: 1, filter: { inStockAt: $l }) { totalCount } }`;
  const LOCATION = 'hcm-store-q1';
  const truth = async () =>
    (
      await db.query(
        `SELECT s.sku, s.location_id, (s.on_hand - s.reserved)::int AS available, s.version::int,
                (SELECT min(t.expires_at) FROM stock.stock_lot t
                  WHERE t.sku = s.sku AND t.location_id = s.location_id AND t.quantity > 0
                    AND t.expires_at > (now() AT TIME ZONE 'UTC')) AS earliest_expiry
           FROM stock.stock_level s ORDER BY s.sku, s.location_id`,
      )
    ).rows;
  const projection = async () =>
    (
      await db.query(
        `SELECT sku, location_id, available, version::int, earliest_expiry
           FROM products.product_stock ORDER BY sku, location_id`,
      )
    ).rows;
  const inStockCount = async () => (await p.gql(IN_STOCK, { l: LOCATION })).data!.products.totalCount as number;

  it("in-stock: brings the projection back to stock's levels after it lost events", async () => {
    const before = await inStockCount();
    expect(before).toBeGreaterThan(0);
    // What lost events leave behind: rows gone, rows stale.
    await db.query(`DELETE FROM products.product_stock WHERE location_id = $1`, [LOCATION]);
    await db.query(`UPDATE products.product_stock SET available = 0, version = 0 WHERE sku < 'SKU-000010'`);
    // A lot stock holds that the projection never heard of (its earliest expiry is projected too).
    await db.query(
      `INSERT INTO stock.stock_lot (id, sku, location_id, quantity, expires_at)
       SELECT gen_random_uuid(), sku, location_id, 1, (now() AT TIME ZONE 'UTC') + interval '3 days'
         FROM stock.stock_level WHERE sku = 'SKU-000020' AND on_hand > 0 LIMIT 1`,
    );
    expect(await inStockCount()).toBe(0);
    expect(await projection()).not.toEqual(await truth());

    const r = await ops('rebuild', 'in-stock');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/in-stock: \d+ stock levels from stock/);
    expect(await projection()).toEqual(await truth());
    expect((await projection()).filter((r) => r.earliest_expiry !== null)).toHaveLength(1);
    expect(await inStockCount()).toBe(before);
  });

  it('ratings: recounts every product from its stored reviews, and announces the change', async () => {
    const announced = async () =>
      Number(
        (
          await db.query(
            `SELECT count(*) AS n FROM products.outbox_event WHERE type = 'product.rating_changed' AND subject = 'SKU-000031'`,
          )
        ).rows[0].n,
      );
    const before = await announced();
    await db.query(`UPDATE products.product SET rating_average = 1.5, review_count = 99 WHERE sku = 'SKU-000031'`);
    const r = await ops('rebuild', 'ratings');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/ratings: 60 products recounted from their reviews, 1 changed/);
    const row = await db.query(`SELECT rating_average, review_count FROM products.product WHERE sku = 'SKU-000031'`);
    expect(row.rows).toEqual([{ rating_average: null, review_count: 0 }]);
    // Caches and the search index hear of it as of any rating change.
    expect(await announced()).toBe(before + 1);
  });

  it('sales: sums the daily sales again from the order lines it kept', async () => {
    const placed = (orderId: string, lines: { sku: string; quantity: number }[]) =>
      makeEvent({
        source: 'grocery/orders',
        type: 'order.placed',
        subject: orderId,
        data: { orderId, placedAt: new Date().toISOString(), lines },
      });
    const orders = [
      placed('o-rebuild-1', [
        { sku: 'SKU-000040', quantity: 2 },
        { sku: 'SKU-000041', quantity: 1 },
      ]),
      placed('o-rebuild-2', [{ sku: 'SKU-000040', quantity: 3 }]),
    ];
    await publish('orders', orders);
    await publish('orders', [orders[0]!]); // delivered again: counted once
    const sales = async () =>
      (
        await db.query(
          `SELECT sku, sum(quantity)::int AS quantity, sum(order_count)::int AS orders FROM products.product_sales_daily
            WHERE sku IN ('SKU-000040', 'SKU-000041') GROUP BY sku ORDER BY sku`,
        )
      ).rows;
    const truth = [
      { sku: 'SKU-000040', quantity: 5, orders: 2 },
      { sku: 'SKU-000041', quantity: 1, orders: 1 },
    ];
    await eventually(sales, (rows) => JSON.stringify(rows) === JSON.stringify(truth), 'the two orders counted');
    // What a lost order.placed or a bug leaves behind.
    await db.query(`DELETE FROM products.product_sales_daily WHERE sku = 'SKU-000041'`);
    await db.query(`UPDATE products.product_sales_daily SET quantity = 99 WHERE sku = 'SKU-000040'`);

    const r = await ops('rebuild', 'sales');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/sales: summed again from 3 order lines over \d+ day\(s\)/);
    expect(await sales()).toEqual(truth);
  });

  it('search-index: says there is nothing to rebuild on PostgreSQL search', async () => {
    const r = await ops('rebuild', 'search-index');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('nothing to rebuild');
  });
});
