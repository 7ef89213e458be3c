// Reading products as a search index needs them (names, category and parent, filters), for
// engines that keep their own index: by SKU for incremental updates, in SKU order for a rebuild.
import type { ProductsDb } from '../data/db';
import type { IndexableProduct } from './search-engine';

const INCLUDE = { category: { include: { parent: true } } } as const;

type ProductRow = Awaited<ReturnType<typeof findProducts>>[number];

function findProducts(db: ProductsDb, args: { where?: object; take?: number; cursorSku?: string }) {
  return db.product.findMany({
    where: args.where,
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
    version: p.version,
  };
}

/** The products that exist among `skus` (a deleted SKU is simply absent). */
export async function loadIndexableProducts(db: ProductsDb, skus: readonly string[]): Promise<IndexableProduct[]> {
  if (skus.length === 0) return [];
  return (await findProducts(db, { where: { sku: { in: [...skus] } } })).map(toIndexable);
}

/** Every product in SKU order, `batchSize` at a time (keyset paging: constant cost per batch). */
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
