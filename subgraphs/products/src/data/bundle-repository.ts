// Prisma access for bundles and their components. Every write checks its components against the
// catalog, changes the rows and appends its event to the outbox in one transaction.
import { AppError, conflict, ErrorCode, notFound, writeWithEvents, type DomainEvent } from '@grocery/platform';
import { isBundleId, type BundleComponentRecord, type BundleFields, type BundleRecord } from '../domain/bundle';
import type { BundleStore, CheckComponents } from '../domain/bundle-store';
import type { ProductsDb } from './db';
import { Prisma, type Bundle as BundleRow, type BundleItem as BundleItemRow } from './generated/client';

// Components come back in SKU order: stable, and needs no position column.
const ITEMS = { items: { orderBy: { sku: 'asc' as const } } };

function toRecord(r: BundleRow & { items: BundleItemRow[] }): BundleRecord {
  return {
    id: r.id,
    slug: r.slug,
    nameEn: r.nameEn,
    nameVi: r.nameVi,
    descriptionEn: r.descriptionEn,
    descriptionVi: r.descriptionVi,
    priceAmount: Number(r.priceAmount),
    priceCurrency: r.priceCurrency,
    imageUrls: r.imageUrls,
    components: r.items.map((i) => ({ sku: i.sku, quantity: i.quantity })),
    version: r.version,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
    archivedAt: r.archivedAt,
  };
}

type EventFor = (b: BundleRecord) => DomainEvent;

export class BundleRepository implements BundleStore {
  constructor(private readonly db: ProductsDb) {}

  async findByIds(ids: readonly string[]): Promise<BundleRecord[]> {
    const valid = ids.filter(isBundleId);
    if (valid.length === 0) return [];
    const rows = await this.db.bundle.findMany({ where: { id: { in: valid } }, include: ITEMS });
    return rows.map(toRecord);
  }

  /** Active bundles in slug order after `afterSlug`, plus how many there are in all. */
  async listActive(
    first: number,
    afterSlug: string | null,
  ): Promise<{ rows: BundleRecord[]; totalCount: number; hasNextPage: boolean }> {
    const where: Prisma.BundleWhereInput = { archivedAt: null };
    const [rows, totalCount] = await Promise.all([
      first === 0
        ? Promise.resolve([])
        : this.db.bundle.findMany({
            where: afterSlug === null ? where : { ...where, slug: { gt: afterSlug } },
            orderBy: { slug: 'asc' },
            take: first + 1,
            include: ITEMS,
          }),
      this.db.bundle.count({ where }),
    ]);
    return { rows: rows.slice(0, first).map(toRecord), totalCount, hasNextPage: rows.length > first };
  }

  create(
    id: string,
    fields: BundleFields,
    check: CheckComponents,
    topic: string,
    eventFor: EventFor,
  ): Promise<BundleRecord> {
    return this.write(topic, eventFor, async (tx) => {
      await this.checkComponents(tx, fields.components, check);
      const { components, ...columns } = fields;
      const row = await tx.bundle.create({
        data: {
          id,
          ...columns,
          priceAmount: BigInt(columns.priceAmount),
          items: { create: components.map((c) => ({ sku: c.sku, quantity: c.quantity })) },
        },
        include: ITEMS,
      });
      return toRecord(row);
    });
  }

  /**
   * Applies a patch to an unarchived bundle. The row lock serialises concurrent edits of one
   * bundle; new components are checked against the catalog as they are now.
   */
  update(
    id: string,
    patch: Partial<BundleFields>,
    check: CheckComponents,
    topic: string,
    eventFor: EventFor,
  ): Promise<BundleRecord> {
    return this.write(topic, eventFor, async (tx) => {
      await this.lockUnarchived(tx, id);
      const { components, priceAmount, ...columns } = patch;
      if (components) {
        await this.checkComponents(tx, components, check);
        await tx.bundleItem.deleteMany({ where: { bundleId: id } });
        await tx.bundleItem.createMany({
          data: components.map((c) => ({ bundleId: id, sku: c.sku, quantity: c.quantity })),
        });
      }
      const row = await tx.bundle.update({
        where: { id },
        data: {
          ...columns,
          ...(priceAmount !== undefined ? { priceAmount: BigInt(priceAmount) } : {}),
          version: { increment: 1 },
        },
        include: ITEMS,
      });
      return toRecord(row);
    });
  }

  archive(id: string, topic: string, eventFor: EventFor): Promise<BundleRecord> {
    return this.write(topic, eventFor, async (tx) => {
      await this.lockUnarchived(tx, id);
      const row = await tx.bundle.update({
        where: { id },
        data: { archivedAt: new Date(), version: { increment: 1 } },
        include: ITEMS,
      });
      return toRecord(row);
    });
  }

  /** FOR SHARE: a component cannot be archived (or deleted) while this transaction relies on it. */
  private async checkComponents(
    tx: Prisma.TransactionClient,
    components: readonly BundleComponentRecord[],
    check: CheckComponents,
  ): Promise<void> {
    const rows = await tx.$queryRaw<{ sku: string; archived: boolean }[]>`
      SELECT sku, archived_at IS NOT NULL AS archived FROM product
      WHERE sku = ANY(${components.map((c) => c.sku)}::text[]) FOR SHARE`;
    check(components, rows);
  }

  private async lockUnarchived(tx: Prisma.TransactionClient, id: string): Promise<void> {
    if (!isBundleId(id)) throw notFound(`No bundle ${id}.`);
    const rows = await tx.$queryRaw<{ archived: boolean }[]>`
      SELECT archived_at IS NOT NULL AS archived FROM bundle WHERE id = ${id}::uuid FOR UPDATE`;
    if (rows.length === 0) throw notFound(`No bundle ${id}.`);
    if (rows[0].archived) throw conflict(`Bundle ${id} is archived and can no longer be changed.`);
  }

  private write(
    topic: string,
    eventFor: EventFor,
    change: (tx: Prisma.TransactionClient) => Promise<BundleRecord>,
  ): Promise<BundleRecord> {
    return writeWithEvents(
      this.db,
      topic,
      change,
      (r) => [eventFor(r)],
      () => new AppError(ErrorCode.CONFLICT, 'Another bundle already uses this slug.', { field: 'slug' }),
    );
  }
}
