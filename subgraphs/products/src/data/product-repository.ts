// Prisma access for products and categories: every read is one query, whatever the batch size.
import { appendToOutbox, notFound, type DomainEvent, type SqlClient } from '@grocery/platform';
import type { CategoryRecord, ProductPatch, ProductRecord } from '../domain/product';
import type { ProductsDb } from './db';
import type { Product as ProductRow, Prisma } from './generated/client';

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

export interface ListQuery {
  first: number;
  afterSku?: string;
  categoryId?: string;
  isPerishable?: boolean;
  brand?: string;
}

export class ProductRepository {
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

  /** One page in SKU order plus the total matching the filter (two queries, run together). */
  async list(q: ListQuery): Promise<{ rows: ProductRecord[]; totalCount: number; hasNextPage: boolean }> {
    const where: Prisma.ProductWhereInput = {};
    if (q.categoryId) where.OR = [{ categoryId: q.categoryId }, { category: { parentId: q.categoryId } }];
    if (q.isPerishable !== undefined) where.isPerishable = q.isPerishable;
    if (q.brand) where.brand = q.brand;
    const pageWhere: Prisma.ProductWhereInput = q.afterSku ? { AND: [where, { sku: { gt: q.afterSku } }] } : where;
    const [rows, totalCount] = await Promise.all([
      q.first === 0
        ? Promise.resolve([])
        : this.db.product.findMany({ where: pageWhere, orderBy: { sku: 'asc' }, take: q.first + 1 }),
      this.db.product.count({ where }),
    ]);
    return { rows: rows.slice(0, q.first).map(toRecord), totalCount, hasNextPage: rows.length > q.first };
  }

  /**
   * Applies a patch and appends the event built from the new state, in one transaction.
   * The row lock (UPDATE) serialises concurrent edits of one product; version counts them.
   */
  async update(
    sku: string,
    patch: ProductPatch,
    topic: string,
    eventFor: (p: ProductRecord) => DomainEvent,
  ): Promise<ProductRecord> {
    return this.db.$transaction(async (tx) => {
      const existing = await tx.product.findUnique({ where: { sku }, select: { sku: true } });
      if (!existing) throw notFound(`No product with SKU ${sku}.`);
      const row = await tx.product.update({
        where: { sku },
        data: {
          ...(patch.priceAmount !== undefined ? { priceAmount: BigInt(patch.priceAmount) } : {}),
          ...(patch.priceCurrency !== undefined ? { priceCurrency: patch.priceCurrency } : {}),
          ...(patch.nameEn !== undefined ? { nameEn: patch.nameEn } : {}),
          ...(patch.nameVi !== undefined ? { nameVi: patch.nameVi } : {}),
          ...(patch.unit !== undefined ? { unit: patch.unit } : {}),
          ...(patch.brand !== undefined ? { brand: patch.brand } : {}),
          version: { increment: 1 },
        },
      });
      const record = toRecord(row);
      await appendToOutbox(tx as unknown as SqlClient, topic, [eventFor(record)]);
      return record;
    });
  }
}
