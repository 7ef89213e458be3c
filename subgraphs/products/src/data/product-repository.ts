// Prisma access for products and categories: every read is one query, whatever the batch size.
import { badInput, conflict, notFound, writeWithEvents, type DomainEvent } from '@grocery/platform';
import type {
  CategoryPatch,
  CategoryRecord,
  NewCategory,
  NewProduct,
  ProductPatch,
  ProductRecord,
} from '../domain/product';
import type { ProductStore } from '../domain/product-store';
import type { ProductsDb } from './db';
import type { Product as ProductRow } from './generated/client';

function toRecord(r: ProductRow): ProductRecord {
  return {
    sku: r.sku,
    nameEn: r.nameEn,
    nameVi: r.nameVi,
    categoryId: r.categoryId,
    priceAmount: Number(r.priceAmount),
    priceCurrency: r.priceCurrency,
    unit: r.unit,
    brand: r.brand,
    isPerishable: r.isPerishable,
    descriptionEn: r.descriptionEn,
    descriptionVi: r.descriptionVi,
    tags: r.tags,
    dietary: r.dietary,
    manufacturer: r.manufacturer,
    imageUrls: r.imageUrls,
    expiresAt: r.expiresAt,
    shelfLifeDays: r.shelfLifeDays,
    ratingAverage: r.ratingAverage,
    reviewCount: r.reviewCount,
    version: r.version,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
    archivedAt: r.archivedAt,
  };
}

export class ProductRepository implements ProductStore {
  constructor(private readonly db: ProductsDb) {}

  async findBySkus(skus: readonly string[]): Promise<ProductRecord[]> {
    const rows = await this.db.product.findMany({ where: { sku: { in: [...skus] } } });
    return rows.map(toRecord);
  }

  async allCategories(): Promise<CategoryRecord[]> {
    return this.db.category.findMany({
      select: { id: true, nameEn: true, nameVi: true, parentId: true, archivedAt: true },
      orderBy: { id: 'asc' },
    });
  }

  /**
   * Applies a patch and appends the event built from the new state, in one transaction.
   * The row lock (SELECT ... FOR UPDATE) serialises concurrent edits of one product; version
   * counts them. `check` sees the merged product before anything is written.
   */
  async update(
    sku: string,
    patch: ProductPatch,
    topic: string,
    eventFor: (p: ProductRecord) => DomainEvent,
    check: (merged: ProductRecord) => void = () => {},
  ): Promise<ProductRecord> {
    return this.write(topic, eventFor, async (tx) => {
      const locked = await tx.$queryRawUnsafe<{ sku: string }[]>(
        'SELECT sku FROM products.product WHERE sku = $1 FOR UPDATE',
        sku,
      );
      if (locked.length === 0) throw notFound(`No product with SKU ${sku}.`);
      const current = toRecord((await tx.product.findUnique({ where: { sku } }))!);
      if (current.archivedAt) throw conflict(`Product ${sku} is archived; it can no longer be edited.`);
      if (patch.categoryId !== undefined && patch.categoryId !== current.categoryId)
        await requireLiveCategory(tx, patch.categoryId, 'categoryId');
      check({ ...current, ...patch });
      const { priceAmount, ...rest } = patch;
      const row = await tx.product.update({
        where: { sku },
        data: {
          ...rest,
          ...(priceAmount !== undefined ? { priceAmount: BigInt(priceAmount) } : {}),
          version: { increment: 1 },
        },
      });
      return toRecord(row);
    });
  }

  /** Inserts a product and its event; CONFLICT when the SKU is taken. */
  async create(
    product: NewProduct,
    topic: string,
    eventFor: (p: ProductRecord) => DomainEvent,
  ): Promise<ProductRecord> {
    return this.write(topic, eventFor, async (tx) => {
      await requireLiveCategory(tx, product.categoryId, 'categoryId');
      const { priceAmount, ...rest } = product;
      const inserted = await tx.$queryRawUnsafe<{ sku: string }[]>(
        'INSERT INTO products.product (sku, name_en, name_vi, category_id, price_amount, unit, updated_at) VALUES ($1, $2, $3, $4, $5::bigint, $6, now()) ON CONFLICT (sku) DO NOTHING RETURNING sku',
        product.sku,
        product.nameEn,
        product.nameVi,
        product.categoryId,
        priceAmount,
        product.unit,
      );
      if (inserted.length === 0) throw conflict(`A product with SKU ${product.sku} already exists.`);
      const row = await tx.product.update({ where: { sku: product.sku }, data: rest });
      return toRecord(row);
    });
  }

  /**
   * Archives a product with its event; an already archived product is returned unchanged (no
   * event). CONFLICT while a live bundle holds it: a kit must never be sold with a retired
   * component, so staff change or archive those bundles first.
   */
  archive(sku: string, topic: string, eventFor: (p: ProductRecord) => DomainEvent): Promise<ProductRecord> {
    return this.writeIfChanged(topic, eventFor, async (tx) => {
      const kits = await tx.$queryRawUnsafe<{ slug: string }[]>(
        `SELECT b.slug FROM products.bundle_item i JOIN products.bundle b ON b.id = i.bundle_id
          WHERE i.sku = $1 AND b.archived_at IS NULL ORDER BY b.slug FOR SHARE OF b`,
        sku,
      );
      if (kits.length > 0)
        throw conflict(
          `Product ${sku} is in ${kits.length} live bundle(s) (${kits
            .slice(0, 5)
            .map((k) => k.slug)
            .join(', ')}); change or archive them first.`,
        );
      const rows = await tx.$queryRawUnsafe<{ sku: string }[]>(
        'UPDATE products.product SET archived_at = now(), version = version + 1, updated_at = now() WHERE sku = $1 AND archived_at IS NULL RETURNING sku',
        sku,
      );
      const row = await tx.product.findUnique({ where: { sku } });
      if (!row) throw notFound(`No product with SKU ${sku}.`);
      return { record: toRecord(row), changed: rows.length > 0 };
    });
  }

  async createCategory(
    category: NewCategory,
    topic: string,
    eventFor: (c: CategoryRecord) => DomainEvent,
  ): Promise<CategoryRecord> {
    return this.write(topic, eventFor, async (tx) => {
      if (category.parentId) await requireTopLevelParent(tx, category.parentId, category.id);
      const inserted = await tx.$queryRawUnsafe<{ id: string }[]>(
        'INSERT INTO products.category (id, name_en, name_vi, parent_id) VALUES ($1, $2, $3, $4) ON CONFLICT (id) DO NOTHING RETURNING id',
        category.id,
        category.nameEn,
        category.nameVi,
        category.parentId,
      );
      if (inserted.length === 0) throw conflict(`A category with id ${category.id} already exists.`);
      return { ...category, archivedAt: null };
    });
  }

  async updateCategory(
    id: string,
    patch: CategoryPatch,
    topic: string,
    eventFor: (c: CategoryRecord) => DomainEvent,
  ): Promise<CategoryRecord> {
    return this.write(topic, eventFor, async (tx) => {
      const current = await lockCategory(tx, id);
      if (current.archivedAt) throw conflict(`Category ${id} is archived; it can no longer be edited.`);
      if (patch.parentId) {
        await requireTopLevelParent(tx, patch.parentId, id);
        const children = await tx.category.count({ where: { parentId: id, archivedAt: null } });
        if (children > 0)
          throw conflict(
            `Category ${id} has sub-categories, so it cannot become one itself (the tree has two levels).`,
          );
      }
      return tx.category.update({ where: { id }, data: patch, select: CATEGORY_FIELDS });
    });
  }

  /** Archives an empty category; CONFLICT while live products or sub-categories remain in it. */
  async archiveCategory(
    id: string,
    topic: string,
    eventFor: (c: CategoryRecord) => DomainEvent,
  ): Promise<CategoryRecord> {
    return this.writeIfChanged(topic, eventFor, async (tx) => {
      const current = await lockCategory(tx, id);
      if (current.archivedAt) return { record: current, changed: false };
      const [products, children] = await Promise.all([
        tx.product.count({ where: { categoryId: id, archivedAt: null } }),
        tx.category.count({ where: { parentId: id, archivedAt: null } }),
      ]);
      if (children > 0)
        throw conflict(`Category ${id} still has ${children} sub-categories; archive or move them first.`);
      if (products > 0) throw conflict(`Category ${id} still has ${products} products; archive or move them first.`);
      const row = await tx.category.update({
        where: { id },
        data: { archivedAt: new Date() },
        select: CATEGORY_FIELDS,
      });
      return { record: row, changed: true };
    });
  }

  /** Runs `change` in one transaction with the event built from its result (the outbox row). */
  private write<T>(topic: string, eventFor: (r: T) => DomainEvent, change: (tx: Tx) => Promise<T>): Promise<T> {
    return writeWithEvents(this.db, topic, change, (r) => [eventFor(r)]);
  }

  /** As write, but a change that found nothing to do (already archived) commits no event. */
  private async writeIfChanged<T>(
    topic: string,
    eventFor: (r: T) => DomainEvent,
    change: (tx: Tx) => Promise<{ record: T; changed: boolean }>,
  ): Promise<T> {
    const { record } = await writeWithEvents(this.db, topic, change, (r) => (r.changed ? [eventFor(r.record)] : []));
    return record;
  }
}

type Tx = Parameters<Parameters<ProductsDb['$transaction']>[0]>[0];

const CATEGORY_FIELDS = { id: true, nameEn: true, nameVi: true, parentId: true, archivedAt: true } as const;

async function lockCategory(tx: Tx, id: string): Promise<CategoryRecord> {
  const rows = await tx.$queryRawUnsafe<{ id: string }[]>(
    'SELECT id FROM products.category WHERE id = $1 FOR UPDATE',
    id,
  );
  if (rows.length === 0) throw notFound(`No category with id ${id}.`);
  return (await tx.category.findUnique({ where: { id }, select: CATEGORY_FIELDS }))!;
}

/** Products go into live categories only; FOR SHARE keeps it live until this transaction ends. */
async function requireLiveCategory(tx: Tx, id: string, field: string): Promise<void> {
  const rows = await tx.$queryRawUnsafe<{ archived: boolean }[]>(
    'SELECT archived_at IS NOT NULL AS archived FROM products.category WHERE id = $1 FOR SHARE',
    id,
  );
  if (rows.length === 0) throw badInput(`No category with id ${id}.`, field);
  if (rows[0].archived) throw badInput(`Category ${id} is archived.`, field);
}

/** The tree has two levels: a parent must be a live top-level category other than the child. */
async function requireTopLevelParent(tx: Tx, parentId: string, childId: string): Promise<void> {
  if (parentId === childId) throw badInput('A category cannot be its own parent.', 'parentId');
  const parent = await tx.category.findUnique({ where: { id: parentId }, select: CATEGORY_FIELDS });
  if (!parent) throw badInput(`No category with id ${parentId}.`, 'parentId');
  if (parent.archivedAt) throw badInput(`Category ${parentId} is archived.`, 'parentId');
  if (parent.parentId)
    throw badInput(`Category ${parentId} is itself a sub-category (the tree has two levels).`, 'parentId');
}
