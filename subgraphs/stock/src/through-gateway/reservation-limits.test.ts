// Per-customer caps on what one customer may hold, through the gateway: a free account cannot
// hold a location's stock, not even with concurrent requests; staff are not capped.
import { insertCatalog, withDb } from './catalog-fixture';
import { startTestPlatform, type TestPlatform } from '@grocery/gateway/testing';

const STORE = 'L-HCM-D1';
const SKU = 'L-RICE-5KG';
const MAX_ACTIVE = 5;
const MAX_UNITS = 40;

let p: TestPlatform;
let staff: string;

beforeAll(async () => {
  p = await startTestPlatform({
    env: {
      MAX_ACTIVE_RESERVATIONS_PER_CUSTOMER: String(MAX_ACTIVE),
      MAX_RESERVED_UNITS_PER_CUSTOMER: String(MAX_UNITS),
      // 40 simultaneous reservations by one customer: past the gateway's own bound on a client's
      // operations in flight (tested in rate-limit.test.ts), to test the caps' locking.
      MAX_CONCURRENT_OPERATIONS_PER_CLIENT: '1000',
    },
  });
  await insertCatalog(p.database.url, {
    products: [{ sku: SKU, nameEn: 'Rice 5kg', nameVi: 'Gạo 5kg', price: 150_000 }],
    locations: [{ id: STORE, nameEn: 'District 1', nameVi: 'Quận 1', kind: 'STORE', city: 'Hồ Chí Minh' }],
    levels: [{ sku: SKU, locationId: STORE, onHand: 10_000 }],
  });
  staff = (await p.signIn(['staff'])).accessToken;
}, 180_000);
afterAll(() => p?.stop());

const RESERVE = `mutation ($q: Int!) { reserveStock(input: { sku: "${SKU}", locationId: "${STORE}", quantity: $q }) {
  __typename
  ... on Reservation { id quantity }
  ... on ReservationLimitReached { errorCode message limit max heldReservations heldUnits requested } } }`;
const RELEASE = `mutation ($id: ID!) { releaseStock(reservationId: $id) { status } }`;

const customer = async () => (await p.signIn(['customer'])).accessToken;
const reserve = (token: string, q: number) => p.gql(RESERVE, { q }, { token });
const activeOf = async (token: string) => {
  const payload = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8')) as { sub: string };
  const { rows } = await withDb(p.database.url, (db) =>
    db.query(
      `SELECT count(*)::int AS n, coalesce(sum(quantity), 0)::int AS units FROM stock.reservation WHERE owner_id = $1 AND status = 'ACTIVE'`,
      [payload.sub],
    ),
  );
  return rows[0] as { n: number; units: number };
};

describe('per-customer reservation caps', () => {
  it('refuses the reservation past the count cap with a typed result, and lets one through after a release', async () => {
    const token = await customer();
    const ids: string[] = [];
    for (let i = 0; i < MAX_ACTIVE; i++) {
      const r = await reserve(token, 1);
      expect(r.data!.reserveStock.__typename).toBe('Reservation');
      ids.push(r.data!.reserveStock.id);
    }
    const refused = await reserve(token, 1);
    expect(refused.errors).toBeUndefined();
    expect(refused.data!.reserveStock).toMatchObject({
      __typename: 'ReservationLimitReached',
      errorCode: 'RESERVATION_LIMIT',
      limit: 'COUNT',
      max: MAX_ACTIVE,
      heldReservations: MAX_ACTIVE,
      heldUnits: MAX_ACTIVE,
      requested: 1,
    });
    expect(await activeOf(token)).toEqual({ n: MAX_ACTIVE, units: MAX_ACTIVE });
    await p.gql(RELEASE, { id: ids[0] }, { token });
    expect((await reserve(token, 1)).data!.reserveStock.__typename).toBe('Reservation');
  });

  it('refuses a reservation that would take the customer past the units cap', async () => {
    const token = await customer();
    expect((await reserve(token, 30)).data!.reserveStock.__typename).toBe('Reservation');
    const refused = await reserve(token, 11);
    expect(refused.data!.reserveStock).toMatchObject({ limit: 'UNITS', max: MAX_UNITS, heldUnits: 30, requested: 11 });
    expect((await reserve(token, 10)).data!.reserveStock.__typename).toBe('Reservation');
    expect(await activeOf(token)).toEqual({ n: 2, units: 40 });
  });

  it('holds under concurrency: 40 simultaneous reservations by one customer give exactly the cap', async () => {
    const token = await customer();
    const results = await Promise.all(Array.from({ length: 40 }, () => reserve(token, 1)));
    for (const r of results) expect(r.errors).toBeUndefined();
    const kinds = results.map((r) => r.data!.reserveStock.__typename as string);
    expect(kinds.filter((k) => k === 'Reservation')).toHaveLength(MAX_ACTIVE);
    expect(kinds.filter((k) => k === 'ReservationLimitReached')).toHaveLength(40 - MAX_ACTIVE);
    expect(await activeOf(token)).toEqual({ n: MAX_ACTIVE, units: MAX_ACTIVE });
  });

  it('caps each customer separately, and not staff', async () => {
    const [a, b] = [await customer(), await customer()];
    for (let i = 0; i < MAX_ACTIVE; i++) await reserve(a, 1);
    expect((await reserve(a, 1)).data!.reserveStock.__typename).toBe('ReservationLimitReached');
    expect((await reserve(b, 1)).data!.reserveStock.__typename).toBe('Reservation');
    for (let i = 0; i < MAX_ACTIVE + 2; i++)
      expect((await reserve(staff, 10)).data!.reserveStock.__typename).toBe('Reservation');
  });
});
