// Which generated fields go into which columns. Adding a column a later migration creates is one
// line here; the generated data already carries descriptions, dietary labels, expiry and more.
import type { SeedCategory, SeedLocation, SeedProduct, SeedStockLevel } from './model';

/** Values shared by every row of one load. */
export interface LoadContext {
  /** ISO timestamp of this load, for updated_at. */
  loadedAt: string;
}

export interface Column<Row> {
  name: string;
  /** PostgreSQL element type of the unnest() array this column is read from. */
  type: string;
  value(row: Row, context: LoadContext): string | number | boolean | null;
}

export interface Table<Row> {
  /** Schema-qualified and quoted, e.g. "products"."product". */
  name: string;
  columns: readonly Column<Row>[];
}

function column<Row>(name: string, type: string, value: Column<Row>['value']): Column<Row> {
  return { name, type, value };
}

// Timestamps go in as ISO strings cast to `timestamp`: PostgreSQL drops the "Z", which keeps
// them in UTC as Prisma expects for its timestamp(3) columns.
const updatedAt = <Row>() => column<Row>('updated_at', 'timestamp', (_, context) => context.loadedAt);

export const categoryTable: Table<SeedCategory> = {
  name: '"products"."category"',
  columns: [
    column('id', 'text', (c) => c.id),
    column('name_en', 'text', (c) => c.nameEn),
    column('name_vi', 'text', (c) => c.nameVi),
    column('parent_id', 'text', (c) => c.parentId),
  ],
};

export const productTable: Table<SeedProduct> = {
  name: '"products"."product"',
  columns: [
    column('sku', 'text', (p) => p.sku),
    column('name_en', 'text', (p) => p.nameEn),
    column('name_vi', 'text', (p) => p.nameVi),
    column('category_id', 'text', (p) => p.categoryId),
    column('price_amount', 'bigint', (p) => p.priceAmount),
    column('price_currency', 'text', (p) => p.priceCurrency),
    column('unit', 'text', (p) => p.unit),
    column('brand', 'text', (p) => p.brand),
    column('is_perishable', 'boolean', (p) => p.isPerishable),
    updatedAt(),
  ],
};

export const locationTable: Table<SeedLocation> = {
  name: '"stock"."location"',
  columns: [
    column('id', 'text', (l) => l.id),
    column('name_en', 'text', (l) => l.nameEn),
    column('name_vi', 'text', (l) => l.nameVi),
    column('kind', '"stock"."LocationKind"', (l) => l.kind),
    column('city', 'text', (l) => l.city),
    column('address', 'text', (l) => l.address),
  ],
};

export const stockLevelTable: Table<SeedStockLevel> = {
  name: '"stock"."stock_level"',
  columns: [
    column('sku', 'text', (s) => s.sku),
    column('location_id', 'text', (s) => s.locationId),
    column('on_hand', 'integer', (s) => s.onHand),
    column('reserved', 'integer', () => 0),
    updatedAt(),
  ],
};
