// Abandoned checkouts: a reservation left alone expires after RESERVATION_TTL_SECONDS and
// its units come back by themselves, with an event like any other stock change.
import { insertCatalog, outboxRows, stockLevelRow, withDb } from './catalog-fixture';
import { startTestPlatform, type TestPlatform } from '@grocery/gateway/testing';
import { openSubscription, type OpenSubscription } from './subscription-client';

// Starting the platform migrates every domain with the Prisma CLI: slow on a busy machine.
const START_TIMEOUT_MS = 180_000;

const STORE = 'T-DN-1';
const SKU = 'T-EXP-1';

let p: TestPlatform;
let customer: string;
let sub: OpenSubscription | undefined;

beforeAll(async () => {
  p = await startTestPlatform({ env: { RESERVATION_TTL_SECONDS: '1' } });
  await insertCatalog(p.database.url, {
    products: [{ sku: SKU, nameEn: 'Dragon fruit', nameVi: 'Thanh long', price: 35_000 }],
    locations: [{ id: STORE, nameEn: 'Hai Chau store', nameVi: 'Cửa hàng Hải Châu', kind: 'STORE', city: 'Đà Nẵng' }],
    levels: [{ sku: SKU, locationId: STORE, onHand: 6 }],
  });
  customer = (await p.signIn(['customer'])).accessToken;
}, START_TIMEOUT_MS);
afterAll(async () => {
  await sub?.close();
  await p?.stop();
});

it('expires an abandoned reservation, returns its units and tells subscribers', async () => {
  const opened = await openSubscription(
    p.modules.stock!,
    `subscription ($s: [String!]!) { stockChanged(skus: $s) { sku available reserved reason } }`,
    { s: [SKU] },
  );
  if (!('next' in opened)) throw new Error(`subscribe failed: ${JSON.stringify(opened.errors)}`);
  sub = opened;
  const r = await p.gql(
    `mutation { reserveStock(input: { sku: "${SKU}", locationId: "${STORE}", quantity: 5 }) { ... on Reservation { id status } } }`,
    {},
    { token: customer },
  );
  expect(r.errors).toBeUndefined();
  const { id } = r.data!.reserveStock;
  expect((await sub.next()).data).toEqual({
    stockChanged: { sku: SKU, available: 1, reserved: 5, reason: 'RESERVED' },
  });

  // TTL 1 s, sweeping every 250 ms: the units come back within a couple of seconds.
  expect((await sub.next(10_000)).data).toEqual({
    stockChanged: { sku: SKU, available: 6, reserved: 0, reason: 'EXPIRED' },
  });
  expect(await stockLevelRow(p.database.url, SKU, STORE)).toEqual({ onHand: 6, reserved: 0 });
  const status = await withDb(p.database.url, (db) =>
    db.query(`SELECT status, closed_at FROM stock.reservation WHERE id = $1`, [id]),
  );
  expect(status.rows[0].status).toBe('EXPIRED');
  expect(status.rows[0].closed_at).not.toBeNull();
  expect((await outboxRows(p.database.url, SKU, 'stock.level_changed')).map((e) => e.payload.data.reason)).toEqual([
    'RESERVED',
    'EXPIRED',
  ]);

  // The gateway shows it too (the sweeper evicted the cached availability).
  const a = await p.gql(`query { product(sku: "${SKU}") { availability { available } } }`);
  expect(a.data!.product.availability.available).toBe(6);
  // Releasing an expired reservation is harmless: it says so and changes nothing.
  const released = await p.gql(
    `mutation ($id: ID!) { releaseStock(reservationId: $id) { status } }`,
    { id },
    { token: customer },
  );
  expect(released.data!.releaseStock.status).toBe('EXPIRED');
  expect(await stockLevelRow(p.database.url, SKU, STORE)).toEqual({ onHand: 6, reserved: 0 });
});
