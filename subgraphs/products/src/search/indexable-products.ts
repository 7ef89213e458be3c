// Reading products as a search index needs them (names, category and parent, filters, sorts),
// for engines that keep their own index: by SKU for incremental updates, in SKU order for a
// rebuild. Archived products are never indexable: an index only ever holds live products, so
// every query leaves archived ones out without a filter of its own.
import type { ProductsDb } from '../data/db';
import type { IndexableProduct } from './search-engine';

const INCLUDE = { category: { include: { parent: true } } } as const;

type ProductRow = Awaited<ReturnType<typeof findProducts>>[number];

function findProducts(db: ProductsDb, args: { where?: object; take?: number; cursorSku?: string }) {
  return db.product.findMany({
    where: { ...args.where, archivedAt: null },
    include: INCLUDE,
    orderBy: { sku: 'asc' },
    take: args.take,
    ...(args.cursorSku ? { cursor: { sku: args.cursorSku }, skip: 1 } : {}),
  });
}

function toIndexable(p: ProductRow): IndexableProduct {
  const c = p.category;
  return {
    sku: p.sku,
    nameEn: p.nameEn,
    nameVi: p.nameVi,
    brand: p.brand,
    manufacturer: p.manufacturer,
    descriptionEn: p.descriptionEn,
    descriptionVi: p.descriptionVi,
    tags: p.tags,
    dietary: p.dietary,
    isPerishable: p.isPerishable,
    priceAmount: Number(p.priceAmount),
    priceCurrency: p.priceCurrency,
    category: {
      id: c.id,
      nameEn: c.nameEn,
      nameVi: c.nameVi,
      parent: c.parent ? { id: c.parent.id, nameEn: c.parent.nameEn, nameVi: c.parent.nameVi } : null,
    },
    ratingAverage: p.ratingAverage,
    reviewCount: p.reviewCount,
    createdAt: p.createdAt,
    expiresAt: p.expiresAt,
    version: p.version,
  };
}

/** The live products among `skus` (a deleted or archived SKU is simply absent). */
export async function loadIndexableProducts(db: ProductsDb, skus: readonly string[]): Promise<IndexableProduct[]> {
  if (skus.length === 0) return [];
  return (await findProducts(db, { where: { sku: { in: [...skus] } } })).map(toIndexable);
}

/** Every live product in SKU order, `batchSize` at a time (keyset paging: constant cost per batch). */
export async function* indexableProductBatches(
  db: ProductsDb,
  batchSize: number,
  where?: { updatedAt?: { gte: Date } },
): AsyncGenerator<IndexableProduct[]> {
  let cursorSku: string | undefined;
  for (;;) {
    const rows = await findProducts(db, { where, take: batchSize, cursorSku });
    if (rows.length === 0) return;
    yield rows.map(toIndexable);
    if (rows.length < batchSize) return;
    cursorSku = rows[rows.length - 1].sku;
  }
}

/** How many products an index should hold (the live ones). */
export function countIndexableProducts(db: ProductsDb): Promise<number> {
  return db.product.count({ where: { archivedAt: null } });
}

/** SKUs archived at or after `since` (to drop from an index filled before they were archived). */
export async function skusArchivedSince(db: ProductsDb, since: Date): Promise<string[]> {
  const rows = await db.product.findMany({
    where: { archivedAt: { gte: since } },
    select: { sku: true },
    orderBy: { sku: 'asc' },
  });
  return rows.map((r) => r.sku);
}

/**
 * Live products whose indexed category names come from this category: its own products and,
 * for a top-level category, its sub-categories' products.
 */
export async function skusUnderCategory(db: ProductsDb, categoryId: string): Promise<string[]> {
  const rows = await db.product.findMany({
    where: { archivedAt: null, OR: [{ categoryId }, { category: { parentId: categoryId } }] },
    select: { sku: true },
    orderBy: { sku: 'asc' },
  });
  return rows.map((r) => r.sku);
}

/** Current versions of these SKUs' rows (archived ones included; a deleted SKU is absent). */
export async function productVersions(db: ProductsDb, skus: readonly string[]): Promise<Map<string, number>> {
  if (skus.length === 0) return new Map();
  const rows = await db.product.findMany({ where: { sku: { in: [...skus] } }, select: { sku: true, version: true } });
  return new Map(rows.map((r) => [r.sku, r.version]));
}
