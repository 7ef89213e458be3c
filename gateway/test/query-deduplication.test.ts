// Hot keys through the gateway: many shoppers asking for the same product at the same moment
// cost the products subgraph one fetch. The first fetch is held on a table lock, so every
// other request arrives while it is in flight — no timing luck involved.
import { Client } from 'pg';
import { NO_RESPONSE_CACHE, startTestPlatform, type TestPlatform } from '../src/testing/platform';

let p: TestPlatform;
let db: Client;

beforeAll(async () => {
  // 30 shoppers at once, all from this test's one address: more than one client may run at once.
  p = await startTestPlatform({
    seedSkus: 40,
    env: { ...NO_RESPONSE_CACHE, MAX_CONCURRENT_OPERATIONS_PER_CLIENT: '64' },
  });
  db = new Client({ connectionString: p.database.url });
  await db.connect();
}, 120_000);
afterAll(async () => {
  await db?.end();
  await p?.stop();
});

interface Dedup {
  fetches: number;
  shared: number;
}
const statsOf = async (name: string): Promise<Dedup> => {
  const status = (await (await p.fetch('/status')).json()) as { subgraphs: Record<string, { deduplication: Dedup }> };
  return status.subgraphs[name]!.deduplication;
};

async function whileProductsLocked<T>(run: () => Promise<T>, until: () => Promise<boolean>): Promise<T> {
  await db.query('BEGIN');
  await db.query('LOCK TABLE products.product IN ACCESS EXCLUSIVE MODE');
  const result = run();
  try {
    const deadline = Date.now() + 20_000;
    while (!(await until()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  } finally {
    await db.query('COMMIT');
  }
  return result;
}

const PAGE = `query ($sku: String!) { product(sku: $sku) { sku name price { amount } } }`;

describe('query deduplication', () => {
  it('answers 30 concurrent anonymous requests for one product with one products fetch', async () => {
    const before = await statsOf('products');
    const answers = await whileProductsLocked(
      () => Promise.all(Array.from({ length: 30 }, () => p.gql(PAGE, { sku: 'SKU-000007' }))),
      async () => (await statsOf('products')).shared - before.shared >= 29,
    );
    for (const a of answers) {
      expect(a.errors).toBeUndefined();
      expect(a.data!.product.sku).toBe('SKU-000007');
    }
    expect(answers.every((a) => JSON.stringify(a.data) === JSON.stringify(answers[0]!.data))).toBe(true);
    const after = await statsOf('products');
    expect(after.fetches - before.fetches).toBe(1);
    expect(after.shared - before.shared).toBe(29);
  });

  it('does not share between languages or between signed-in customers', async () => {
    const [a, b] = [(await p.signIn(['customer'])).accessToken, (await p.signIn(['customer'])).accessToken];
    const before = await statsOf('products');
    const answers = await whileProductsLocked(
      () =>
        Promise.all([
          p.gql(PAGE, { sku: 'SKU-000008' }, { lang: 'en' }),
          p.gql(PAGE, { sku: 'SKU-000008' }, { lang: 'vi' }),
          p.gql(PAGE, { sku: 'SKU-000008' }, { token: a }),
          p.gql(PAGE, { sku: 'SKU-000008' }, { token: b }),
        ]),
      async () => (await statsOf('products')).fetches - before.fetches >= 4,
    );
    expect(answers[0]!.data!.product.name).not.toBe(answers[1]!.data!.product.name);
    const after = await statsOf('products');
    expect(after.fetches - before.fetches).toBe(4);
    expect(after.shared - before.shared).toBe(0);
  });
});
