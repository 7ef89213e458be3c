import { createTestDatabase, type TestDatabase } from '@grocery/platform/testing';
import { Client } from 'pg';
import { isSeeded, loadSeed } from './load';

describe('loadSeed', () => {
  let db: TestDatabase;
  let client: Client;

  beforeAll(async () => {
    db = await createTestDatabase();
    client = new Client({ connectionString: db.url });
    await client.connect();
  });

  afterAll(async () => {
    await client?.end();
    await db?.drop();
  });

  const count = async (table: string) => Number((await client.query(`SELECT count(*) FROM ${table}`)).rows[0].count);

  it('loads 2,000 SKUs, and loading again adds nothing', async () => {
    expect(await isSeeded(db.url)).toBe(false);
    const progress: [number, number][] = [];

    const first = await loadSeed({
      databaseUrl: db.url,
      skus: 2_000,
      onProgress: (done, total) => progress.push([done, total]),
    });

    expect(first.generated.products).toBe(2_000);
    expect(first.inserted).toEqual(first.generated);
    expect(await count('"products"."product"')).toBe(2_000);
    expect(await count('"products"."category"')).toBe(first.generated.categories);
    expect(await count('"stock"."location"')).toBe(first.generated.locations);
    expect(await count('"stock"."stock_level"')).toBe(first.generated.stockLevels);
    expect(first.generated.promotions).toBeGreaterThan(10);
    expect(await count('"products"."promotion"')).toBe(first.generated.promotions);
    // products' in-stock projection of the same levels (no events carry the seed's stock).
    expect(
      await count(
        '"products"."product_stock" ps JOIN "stock"."stock_level" sl USING (sku, location_id) WHERE ps.available = sl.on_hand - sl.reserved',
      ),
    ).toBe(first.generated.stockLevels);
    expect(progress.at(-1)).toEqual([progress[0][1], progress[0][1]]);
    expect(await isSeeded(db.url)).toBe(true);

    const again = await loadSeed({ databaseUrl: db.url, skus: 2_000 });

    expect(again.inserted).toEqual({
      categories: 0,
      products: 0,
      locations: 0,
      stockLevels: 0,
      promotions: 0,
      bundles: 0,
      bundleItems: 0,
    });
    expect(await count('"products"."product"')).toBe(2_000);
    expect(await count('"stock"."stock_level"')).toBe(first.generated.stockLevels);
  });

  it('writes Vietnamese text, VND prices and timestamps as the products and stock domains read them', async () => {
    const { rows } = await client.query(
      `SELECT p.name_vi, p.price_amount, p.price_currency, p.updated_at, p.created_at, c.parent_id
         FROM "products"."product" p JOIN "products"."category" c ON c.id = p.category_id
        WHERE p.name_vi LIKE 'Sữa tươi %' LIMIT 1`,
    );
    expect(rows).toHaveLength(1);
    expect(rows[0].price_currency).toBe('VND');
    expect(Number(rows[0].price_amount)).toBeGreaterThan(0);
    expect(rows[0].parent_id).toBe('cat-dairy');
    expect(rows[0].updated_at).toBeInstanceOf(Date);
    const { rows: stores } = await client.query(
      `SELECT kind::text, city, name_vi FROM "stock"."location" WHERE id = 'hcm-store-q1'`,
    );
    expect(stores[0]).toEqual({ kind: 'STORE', city: 'Ho Chi Minh City', name_vi: 'Cửa hàng Quận 1' });
    const { rows: reserved } = await client.query(
      `SELECT max(reserved) AS r, min(on_hand) AS m FROM "stock"."stock_level"`,
    );
    expect(reserved[0]).toEqual({ r: 0, m: 0 });
  });
});
