// Perishable lots through the gateway: receipts create lots, the expiry job writes off what has
// expired (never below what orders hold), Product.expiresAt follows the earliest live lot, and
// staff see low stock (stock.low once per crossing of a location's threshold).
import { eventually, startTestPlatform, type TestPlatform } from '@grocery/gateway/testing';
import { insertCatalog, outboxRows, stockLevelRow, withDb } from './catalog-fixture';

// Starting the platform migrates every domain with the Prisma CLI: slow on a busy machine.
const START_TIMEOUT_MS = 180_000;

const STORE = 'T-LOT-S1';
const OTHER = 'T-LOT-S2';
const YOGURT = 'T-LOT-YOG';
const KEFIR = 'T-LOT-KEF';
const RICE = 'T-LOW-RICE';
const SOAP = 'T-LOW-SOAP';
const DAY = 86_400_000;

let p: TestPlatform;
let staff: string;
let customer: string;

beforeAll(async () => {
  p = await startTestPlatform({ env: { LOT_EXPIRY_SWEEP_MS: '300' } });
  await insertCatalog(p.database.url, {
    products: [YOGURT, KEFIR, RICE, SOAP].map((sku, i) => ({
      sku,
      nameEn: `Product ${sku}`,
      nameVi: `Sản phẩm ${sku}`,
      price: 15_000 + i,
    })),
    locations: [
      { id: STORE, nameEn: 'Ba Dinh store', nameVi: 'Cửa hàng Ba Đình', kind: 'STORE', city: 'Hà Nội' },
      { id: OTHER, nameEn: 'Long Bien warehouse', nameVi: 'Kho Long Biên', kind: 'WAREHOUSE', city: 'Hà Nội' },
    ],
    levels: [
      { sku: RICE, locationId: OTHER, onHand: 12 },
      { sku: SOAP, locationId: OTHER, onHand: 3 },
    ],
  });
  await withDb(p.database.url, (db) =>
    db.query(
      `UPDATE products.product SET is_perishable = true, expires_at = now() + interval '300 days' WHERE sku = $1`,
      [KEFIR],
    ),
  );
  [staff, customer] = await Promise.all([
    p.signIn(['staff']).then((s) => s.accessToken),
    p.signIn(['customer']).then((s) => s.accessToken),
  ]);
}, START_TIMEOUT_MS);
afterAll(() => p?.stop());

const RECEIVE = `mutation ($i: ReceiveStockInput!) { receiveStock(input: $i) { sku locationId onHand reserved available } }`;

async function receive(sku: string, locationId: string, quantity: number, expiresAt?: Date, token = staff) {
  return p.gql(
    RECEIVE,
    { i: { sku, locationId, quantity, expiresAt: expiresAt?.toISOString(), reason: 'delivery' } },
    { token },
  );
}

const productExpiry = async (sku: string) =>
  (await p.gql(`query ($s: String!) { product(sku: $s) { expiresAt } }`, { s: sku })).data?.product?.expiresAt as
    string | null;

describe('lots', () => {
  it('writes off an expired lot (down to what is reserved), publishes it, and Product.expiresAt follows the earliest live lot', async () => {
    const soon = new Date(Date.now() + 4_000);
    const inFiveDays = new Date(Date.now() + 5 * DAY);
    const inTenDays = new Date(Date.now() + 10 * DAY);
    expect((await receive(YOGURT, STORE, 6, soon)).errors).toBeUndefined();
    expect((await receive(YOGURT, STORE, 10, inTenDays)).errors).toBeUndefined();
    expect((await receive(YOGURT, OTHER, 2, inFiveDays)).errors).toBeUndefined();
    const received = await receive(YOGURT, STORE, 4); // untracked units
    expect(received.data!.receiveStock).toMatchObject({ onHand: 20, available: 20 });

    const lots = await p.gql(
      `query ($s: String!) { stockLots(sku: $s) { locationId quantity expiresAt } }`,
      { s: YOGURT },
      { token: staff },
    );
    expect(lots.data!.stockLots).toEqual([
      { locationId: STORE, quantity: 6, expiresAt: soon.toISOString() },
      { locationId: OTHER, quantity: 2, expiresAt: inFiveDays.toISOString() },
      { locationId: STORE, quantity: 10, expiresAt: inTenDays.toISOString() },
    ]);
    await eventually(
      () => productExpiry(YOGURT),
      (at) => at === soon.toISOString(),
      'the earliest lot on the product',
    );

    // Orders hold 16 of the 20 at the store: of the 6 expiring units only 4 can leave on-hand.
    await p.gql(
      `mutation { adjustStock(input: { sku: "${YOGURT}", locationId: "${STORE}", delta: -2, reason: "damaged" }) { onHand } }`,
      {},
      { token: staff },
    );
    // FEFO: the 2 damaged came out of the soonest lot.
    const afterDamage = await withDb(p.database.url, (db) =>
      db.query(`SELECT quantity FROM stock.stock_lot WHERE sku = $1 AND location_id = $2 ORDER BY expires_at`, [
        YOGURT,
        STORE,
      ]),
    );
    expect(afterDamage.rows.map((r) => r.quantity)).toEqual([4, 10]);
    await withDb(p.database.url, (db) =>
      db.query(
        `UPDATE stock.stock_level SET reserved = 16, version = version + 1 WHERE sku = $1 AND location_id = $2`,
        [YOGURT, STORE],
      ),
    );

    await eventually(
      () => stockLevelRow(p.database.url, YOGURT, STORE),
      (l) => l?.onHand === 16,
      'the expiry job to write off the expired lot down to the reserved units',
      20_000,
    );
    const events = await outboxRows(p.database.url, YOGURT);
    const expired = events.filter((e) => e.type === 'stock.lot_expired');
    expect(expired).toHaveLength(1);
    expect(expired[0]!.payload.data).toMatchObject({
      sku: YOGURT,
      locationId: STORE,
      quantity: 2,
      expiredAt: soon.toISOString(),
    });
    const writeOff = events.filter((e) => e.type === 'stock.level_changed' && e.payload.data.reason === 'WRITTEN_OFF');
    expect(writeOff.map((e) => e.payload.data)).toEqual([
      expect.objectContaining({ onHand: 16, reserved: 16, earliestExpiry: inTenDays.toISOString() }),
    ]);
    const movement = await withDb(p.database.url, (db) =>
      db.query(`SELECT delta FROM stock.stock_movement WHERE sku = $1 AND reason = 'expired'`, [YOGURT]),
    );
    expect(movement.rows).toEqual([{ delta: -2 }]);
    // Now the earliest live lot is the other location's.
    await eventually(
      () => productExpiry(YOGURT),
      (at) => at === inFiveDays.toISOString(),
      'Product.expiresAt to move to the next live lot',
    );
    // Running again changes nothing (idempotent).
    await new Promise((r) => setTimeout(r, 1_000));
    expect((await outboxRows(p.database.url, YOGURT)).filter((e) => e.type === 'stock.lot_expired')).toHaveLength(1);
  });

  it('keeps the staff-set expiry for a product without lots', async () => {
    const at = await productExpiry(KEFIR);
    expect(at).not.toBeNull();
    expect(new Date(at!).getTime()).toBeGreaterThan(Date.now() + 200 * DAY);
  });

  it('refuses expired receipts and customers', async () => {
    const past = await receive(YOGURT, STORE, 1, new Date(Date.now() - 1_000));
    expect(past.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'expiresAt' });
    expect((await receive(YOGURT, STORE, 1, undefined, customer)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const lots = await p.gql(`query { stockLots(sku: "${YOGURT}") { id } }`, {}, { token: customer });
    expect(lots.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});

describe('low stock', () => {
  it('publishes stock.low once when a level crosses its location’s threshold, and lists it for staff', async () => {
    const set = await p.gql(
      `mutation ($l: ID!, $t: Int!) { setLowStockThreshold(locationId: $l, threshold: $t) }`,
      { l: OTHER, t: 10 },
      { token: staff },
    );
    expect(set.data).toEqual({ setLowStockThreshold: 10 });
    const adjust = (delta: number) =>
      p.gql(
        `mutation { adjustStock(input: { sku: "${RICE}", locationId: "${OTHER}", delta: ${delta}, reason: "sold" }) { available } }`,
        {},
        { token: staff },
      );
    expect((await adjust(-2)).data!.adjustStock.available).toBe(10); // 12 → 10: not below
    expect((await adjust(-3)).data!.adjustStock.available).toBe(7); // 10 → 7: crosses
    expect((await adjust(-1)).data!.adjustStock.available).toBe(6); // already low
    const low = (await outboxRows(p.database.url, RICE)).filter((e) => e.type === 'stock.low');
    expect(low.map((e) => e.payload.data)).toEqual([{ sku: RICE, locationId: OTHER, available: 7, threshold: 10 }]);

    const LOW = `query ($l: ID!, $f: Int, $a: String) { lowStock(locationId: $l, first: $f, after: $a) {
      levels { sku available } pageInfo { hasNextPage endCursor } } }`;
    const first = await p.gql(LOW, { l: OTHER, f: 1 }, { token: staff });
    expect(first.errors).toBeUndefined();
    // YOGURT at OTHER has 2 available, SOAP 3, RICE 6: fewest first.
    expect(first.data!.lowStock.levels).toEqual([{ sku: YOGURT, available: 2 }]);
    expect(first.data!.lowStock.pageInfo.hasNextPage).toBe(true);
    const rest = await p.gql(LOW, { l: OTHER, f: 50, a: first.data!.lowStock.pageInfo.endCursor }, { token: staff });
    expect(rest.data!.lowStock.levels).toEqual([
      { sku: SOAP, available: 3 },
      { sku: RICE, available: 6 },
    ]);
    expect(rest.data!.lowStock.pageInfo.hasNextPage).toBe(false);

    for (const r of [
      await p.gql(LOW, { l: OTHER }, { token: customer }),
      await p.gql(`mutation { setLowStockThreshold(locationId: "${OTHER}", threshold: 1) }`, {}, { token: customer }),
    ])
      expect(r.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const bad = await p.gql(LOW, { l: OTHER, f: 201 }, { token: staff });
    expect(bad.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});
