// Test data written straight into the test database: a few products in the catalog and
// locations with stock, so each suite sets up exactly what it asserts on.
import { Client } from 'pg';

export interface FixtureProduct {
  sku: string;
  nameEn: string;
  nameVi: string;
  price: number;
}

export interface FixtureLocation {
  id: string;
  nameEn: string;
  nameVi: string;
  kind: 'STORE' | 'WAREHOUSE' | 'PICKUP_POINT';
  city: string;
}

export interface FixtureLevel {
  sku: string;
  locationId: string;
  onHand: number;
  reserved?: number;
}

export async function withDb<T>(url: string, fn: (db: Client) => Promise<T>): Promise<T> {
  const db = new Client({ connectionString: url });
  await db.connect();
  try {
    return await fn(db);
  } finally {
    await db.end();
  }
}

export async function insertCatalog(
  url: string,
  data: { products?: FixtureProduct[]; locations?: FixtureLocation[]; levels?: FixtureLevel[] },
): Promise<void> {
  await withDb(url, async (db) => {
    await db.query(
      `INSERT INTO products.category (id, name_en, name_vi) VALUES ('T-CAT', 'Test aisle', 'Quầy thử') ON CONFLICT DO NOTHING`,
    );
    for (const p of data.products ?? []) {
      await db.query(
        `INSERT INTO products.product (sku, name_en, name_vi, category_id, price_amount, unit, updated_at)
         VALUES ($1, $2, $3, 'T-CAT', $4, 'piece', now())`,
        [p.sku, p.nameEn, p.nameVi, p.price],
      );
    }
    for (const l of data.locations ?? []) {
      await db.query(
        `INSERT INTO stock.location (id, name_en, name_vi, kind, city, address) VALUES ($1, $2, $3, $4, $5, '1 Test Street')`,
        [l.id, l.nameEn, l.nameVi, l.kind, l.city],
      );
    }
    for (const s of data.levels ?? []) {
      await db.query(`INSERT INTO stock.stock_level (sku, location_id, on_hand, reserved) VALUES ($1, $2, $3, $4)`, [
        s.sku,
        s.locationId,
        s.onHand,
        s.reserved ?? 0,
      ]);
    }
  });
}

export async function stockLevelRow(url: string, sku: string, locationId: string) {
  return withDb(url, async (db) => {
    const { rows } = await db.query<{ on_hand: number; reserved: number }>(
      `SELECT on_hand, reserved FROM stock.stock_level WHERE sku = $1 AND location_id = $2`,
      [sku, locationId],
    );
    return rows[0] ? { onHand: rows[0].on_hand, reserved: rows[0].reserved } : null;
  });
}

export interface OutboxRow {
  type: string;
  subject: string;
  topic: string;
  payload: { data: Record<string, unknown> };
}

/** The SKU's outbox events in order; only those of `type` when given. */
export async function outboxRows(url: string, sku: string, type?: string): Promise<OutboxRow[]> {
  return withDb(url, async (db) => {
    const { rows } = await db.query<OutboxRow>(
      `SELECT type, subject, topic, payload FROM stock.outbox_event
        WHERE subject = $1 AND ($2::text IS NULL OR type = $2) ORDER BY seq`,
      [sku, type ?? null],
    );
    return rows;
  });
}

/** The user id inside an access token (its `sub`), to compare with recorded owners and actors. */
export function subjectOf(token: string): string {
  const payload = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8')) as { sub: string };
  return payload.sub;
}
