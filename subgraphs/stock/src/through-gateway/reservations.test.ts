// Reservations through the gateway: never oversold under concurrency, typed OutOfStock,
// ownership on release, and an event for every change.
import { insertCatalog, outboxRows, stockLevelRow, subjectOf, withDb } from './catalog-fixture';
import { startTestPlatform, type TestPlatform } from '@grocery/gateway/testing';

// Starting the platform migrates every domain with the Prisma CLI: slow on a busy machine.
const START_TIMEOUT_MS = 180_000;

const STORE = 'T-HCM-D3';
const OTHER_STORE = 'T-HCM-D7';
const HOT = 'T-HOT-1'; // the contended SKU: 10 units, 200 shoppers
const CALM = 'T-CALM-1';
const NONE_HERE = 'T-NONE-1';

let p: TestPlatform;
let staff: string;
let alice: string;
let bob: string;

beforeAll(async () => {
  // One customer's 200 simultaneous reservations test the stock's locking, past the gateway's
  // bound on one client's operations in flight (which has its own test, rate-limit.test.ts).
  p = await startTestPlatform({ env: { MAX_CONCURRENT_OPERATIONS_PER_CLIENT: '1000' } });
  await insertCatalog(p.database.url, {
    products: [HOT, CALM, NONE_HERE].map((sku, i) => ({
      sku,
      nameEn: `Product ${sku}`,
      nameVi: `Sản phẩm ${sku}`,
      price: 20_000 + i,
    })),
    locations: [
      { id: STORE, nameEn: 'District 3 store', nameVi: 'Cửa hàng Quận 3', kind: 'STORE', city: 'Hồ Chí Minh' },
      { id: OTHER_STORE, nameEn: 'District 7 store', nameVi: 'Cửa hàng Quận 7', kind: 'STORE', city: 'Hồ Chí Minh' },
    ],
    levels: [
      { sku: HOT, locationId: STORE, onHand: 10 },
      { sku: HOT, locationId: OTHER_STORE, onHand: 4 },
      { sku: CALM, locationId: STORE, onHand: 50 },
    ],
  });
  [staff, alice, bob] = await Promise.all([
    p.signIn(['staff']).then((s) => s.accessToken),
    p.signIn(['customer']).then((s) => s.accessToken),
    p.signIn(['customer']).then((s) => s.accessToken),
  ]);
}, START_TIMEOUT_MS);
afterAll(() => p?.stop());

const RESERVE_TYPENAME = `mutation ($s: String!, $l: ID!) { reserveStock(input: { sku: $s, locationId: $l, quantity: 1 }) { __typename } }`;
const RESERVE = `mutation ($s: String!, $l: ID!, $q: Int!) { reserveStock(input: { sku: $s, locationId: $l, quantity: $q }) {
  __typename
  ... on Reservation { id sku locationId quantity status expiresAt location { id } product { sku } }
  ... on OutOfStock { errorCode message sku locationId requested available } } }`;
const RELEASE = `mutation ($id: ID!) { releaseStock(reservationId: $id) { id status quantity } }`;
const AT_STORE = `query ($s: String!) { product(sku: $s) { availability { available byLocation { location { id } available onHand reserved } } } }`;

async function reserve(token: string | undefined, s: string, l: string, q: number) {
  return p.gql(RESERVE, { s, l, q }, { token });
}

async function availabilityAt(sku: string, locationId: string) {
  const r = await p.gql(AT_STORE, { s: sku });
  expect(r.errors).toBeUndefined();
  return r.data!.product.availability.byLocation.find(
    (b: { location: { id: string } }) => b.location.id === locationId,
  );
}

describe('reserving stock', () => {
  it('never oversells: 200 concurrent reservations of 1 on 10 units give exactly 10', async () => {
    const results = await Promise.all(
      Array.from({ length: 200 }, () => p.gql(RESERVE_TYPENAME, { s: HOT, l: STORE }, { token: alice })),
    );
    for (const r of results) expect(r.errors).toBeUndefined();
    const kinds = results.map((r) => r.data!.reserveStock.__typename as string);
    expect(kinds.filter((k) => k === 'Reservation')).toHaveLength(10);
    expect(kinds.filter((k) => k === 'OutOfStock')).toHaveLength(190);
    expect(await stockLevelRow(p.database.url, HOT, STORE)).toEqual({ onHand: 10, reserved: 10 });
    expect(await availabilityAt(HOT, STORE)).toEqual({
      location: { id: STORE },
      available: 0,
      onHand: 10,
      reserved: 10,
    });
    const active = await withDb(p.database.url, (db) =>
      db.query(
        `SELECT count(*)::int AS n, sum(quantity)::int AS q FROM stock.reservation WHERE sku = $1 AND status = 'ACTIVE'`,
        [HOT],
      ),
    );
    expect(active.rows[0]).toEqual({ n: 10, q: 10 });
    // One stock.level_changed per successful reservation, none for the refusals.
    const events = await outboxRows(p.database.url, HOT, 'stock.level_changed');
    expect(events).toHaveLength(10);
    expect(events.map((e) => e.payload.data.reason)).toEqual(Array(10).fill('RESERVED'));
    expect(events.map((e) => e.payload.data.reserved)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    // The SKU's total still counts the other store's 4 units.
    expect(events.at(-1)!.payload.data).toMatchObject({ available: 0, totalAvailable: 4 });
  });

  it('answers OutOfStock (a typed result, nothing reserved) when fewer units are available', async () => {
    const r = await reserve(alice, HOT, OTHER_STORE, 5);
    expect(r.errors).toBeUndefined();
    expect(r.data!.reserveStock).toEqual({
      __typename: 'OutOfStock',
      errorCode: 'OUT_OF_STOCK',
      message: expect.stringContaining('Only 4'),
      sku: HOT,
      locationId: OTHER_STORE,
      requested: 5,
      available: 4,
    });
    const nowhere = await reserve(alice, NONE_HERE, STORE, 1);
    expect(nowhere.data!.reserveStock).toMatchObject({ __typename: 'OutOfStock', available: 0 });
    expect(await stockLevelRow(p.database.url, HOT, OTHER_STORE)).toEqual({ onHand: 4, reserved: 0 });
  });

  it('records the owner and an expiry a reservation TTL from now', async () => {
    const before = Date.now();
    const r = await reserve(alice, CALM, STORE, 3);
    expect(r.errors).toBeUndefined();
    const res = r.data!.reserveStock;
    expect(res).toMatchObject({
      __typename: 'Reservation',
      sku: CALM,
      locationId: STORE,
      quantity: 3,
      status: 'ACTIVE',
      location: { id: STORE },
      product: { sku: CALM },
    });
    const ttlMs = p.config.RESERVATION_TTL_SECONDS * 1000;
    const expiresAt = Date.parse(res.expiresAt);
    expect(expiresAt).toBeGreaterThanOrEqual(before + ttlMs - 2_000);
    expect(expiresAt).toBeLessThanOrEqual(Date.now() + ttlMs + 2_000);
    const owner = await withDb(p.database.url, (db) =>
      db.query(`SELECT owner_id FROM stock.reservation WHERE id = $1`, [res.id]),
    );
    expect(owner.rows[0].owner_id).toBe(subjectOf(alice));
  });

  it('refuses bad input, anonymous callers and unknown locations with a coded error', async () => {
    const cases: [string | undefined, string, string, number, string][] = [
      [alice, CALM, STORE, 0, 'BAD_USER_INPUT'],
      [alice, CALM, STORE, -2, 'BAD_USER_INPUT'],
      [alice, CALM, STORE, 1001, 'BAD_USER_INPUT'],
      [alice, CALM, 'NO-SUCH-STORE', 1, 'NOT_FOUND'],
      [undefined, CALM, STORE, 1, 'UNAUTHENTICATED'],
    ];
    const before = await stockLevelRow(p.database.url, CALM, STORE);
    for (const [token, s, l, q, code] of cases) {
      const r = await reserve(token, s, l, q);
      expect({ q, l, code: r.errors?.[0]?.extensions?.code }).toEqual({ q, l, code });
    }
    expect(await stockLevelRow(p.database.url, CALM, STORE)).toEqual(before);
  });
});

describe('releasing stock', () => {
  it('gives the units back to the owner’s release, once, and publishes the change', async () => {
    const placed = (await reserve(alice, CALM, STORE, 4)).data!.reserveStock;
    const held = await stockLevelRow(p.database.url, CALM, STORE);
    const r = await p.gql(RELEASE, { id: placed.id }, { token: alice });
    expect(r.errors).toBeUndefined();
    expect(r.data!.releaseStock).toEqual({ id: placed.id, status: 'RELEASED', quantity: 4 });
    expect(await stockLevelRow(p.database.url, CALM, STORE)).toEqual({ onHand: 50, reserved: held!.reserved - 4 });
    expect((await availabilityAt(CALM, STORE)).reserved).toBe(held!.reserved - 4);
    // A retry changes nothing and says where it stands.
    const again = await p.gql(RELEASE, { id: placed.id }, { token: alice });
    expect(again.data!.releaseStock.status).toBe('RELEASED');
    expect(await stockLevelRow(p.database.url, CALM, STORE)).toEqual({ onHand: 50, reserved: held!.reserved - 4 });
    const events = (await outboxRows(p.database.url, CALM, 'stock.level_changed')).map((e) => e.payload.data.reason);
    expect(events.filter((reason) => reason === 'RELEASED')).toHaveLength(1);
  });

  it('refuses someone else’s reservation (FORBIDDEN) but lets staff release it', async () => {
    const placed = (await reserve(alice, CALM, STORE, 1)).data!.reserveStock;
    const byBob = await p.gql(RELEASE, { id: placed.id }, { token: bob });
    expect(byBob.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const anonymous = await p.gql(RELEASE, { id: placed.id });
    expect(anonymous.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const byStaff = await p.gql(RELEASE, { id: placed.id }, { token: staff });
    expect(byStaff.errors).toBeUndefined();
    expect(byStaff.data!.releaseStock.status).toBe('RELEASED');
  });

  it('answers NOT_FOUND for an unknown reservation and BAD_USER_INPUT for a malformed id', async () => {
    const unknown = await p.gql(RELEASE, { id: '00000000-0000-4000-8000-000000000000' }, { token: alice });
    expect(unknown.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const malformed = await p.gql(RELEASE, { id: 'res-1' }, { token: alice });
    expect(malformed.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('lets the released units be reserved again', async () => {
    const first = (await reserve(bob, HOT, OTHER_STORE, 4)).data!.reserveStock;
    expect(first.__typename).toBe('Reservation');
    expect((await reserve(alice, HOT, OTHER_STORE, 1)).data!.reserveStock.__typename).toBe('OutOfStock');
    await p.gql(RELEASE, { id: first.id }, { token: bob });
    expect((await reserve(alice, HOT, OTHER_STORE, 4)).data!.reserveStock.__typename).toBe('Reservation');
  });
});
