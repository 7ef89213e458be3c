// Prisma access for promotions; every write appends its event to the outbox in the same transaction.
import { conflict, notFound, writeWithEvents, type DomainEvent } from '@grocery/platform';
import type { Promotion, PromotionRule } from '../domain/pricing';
import type { PromotionRecord } from '../domain/promotion';
import type { PromotionStore } from '../domain/promotion-store';
import type { ProductsDb } from './db';
import { Prisma, type Promotion as PromotionRow } from './generated/client';

function toRecord(r: PromotionRow): PromotionRecord {
  return {
    id: r.id,
    names: { en: r.nameEn, vi: r.nameVi },
    rule: r.rule as unknown as PromotionRule,
    validFrom: r.validFrom,
    validUntil: r.validUntil,
    active: r.active,
    ...(r.couponCode !== null ? { couponCode: r.couponCode } : {}),
    ...(r.usageLimit !== null ? { usageLimit: r.usageLimit } : {}),
    usedCount: r.usedCount,
    ...(r.perCustomerLimit !== null ? { perCustomerLimit: r.perCustomerLimit } : {}),
    priority: r.priority,
    stackable: r.stackable,
    archivedAt: r.archivedAt,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
  };
}

function columns(p: Promotion) {
  return {
    nameEn: p.names.en,
    nameVi: p.names.vi,
    rule: p.rule as unknown as Prisma.InputJsonValue,
    validFrom: p.validFrom,
    validUntil: p.validUntil,
    active: p.active,
    couponCode: p.couponCode ?? null,
    usageLimit: p.usageLimit ?? null,
    perCustomerLimit: p.perCustomerLimit ?? null,
    priority: p.priority,
    stackable: p.stackable,
  };
}

type EventFor = (p: PromotionRecord) => DomainEvent;

export class PromotionRepository implements PromotionStore {
  constructor(private readonly db: ProductsDb) {}

  /** Not archived, switched on and not yet over: what pricing considers (the window is checked there). */
  async live(now: Date): Promise<PromotionRecord[]> {
    const rows = await this.db.promotion.findMany({
      where: { archivedAt: null, active: true, validUntil: { gt: now } },
      orderBy: { id: 'asc' },
    });
    return rows.map(toRecord);
  }

  /** Every promotion not archived, newest first (staff view). */
  async unarchived(): Promise<PromotionRecord[]> {
    const rows = await this.db.promotion.findMany({ where: { archivedAt: null }, orderBy: { createdAt: 'desc' } });
    return rows.map(toRecord);
  }

  /** Unarchived promotions with these codes, however old, so checkout can say why a code fails. */
  async byCouponCodes(codes: readonly string[]): Promise<PromotionRecord[]> {
    if (codes.length === 0) return [];
    const rows = await this.db.promotion.findMany({ where: { archivedAt: null, couponCode: { in: [...codes] } } });
    return rows.map(toRecord);
  }

  create(p: Promotion, topic: string, eventFor: EventFor): Promise<PromotionRecord> {
    return this.write(topic, eventFor, async (tx) =>
      toRecord(await tx.promotion.create({ data: { id: p.id, ...columns(p) } })),
    );
  }

  update(p: Promotion, topic: string, eventFor: EventFor): Promise<PromotionRecord> {
    return this.write(topic, eventFor, async (tx) => {
      await this.lockUnarchived(tx, p.id);
      return toRecord(await tx.promotion.update({ where: { id: p.id }, data: columns(p) }));
    });
  }

  archive(id: string, topic: string, eventFor: EventFor): Promise<PromotionRecord> {
    return this.write(topic, eventFor, async (tx) => {
      await this.lockUnarchived(tx, id);
      return toRecord(await tx.promotion.update({ where: { id }, data: { archivedAt: new Date(), active: false } }));
    });
  }

  private async lockUnarchived(tx: Prisma.TransactionClient, id: string): Promise<void> {
    const rows = await tx.$queryRaw<{ archived: boolean }[]>`
      SELECT archived_at IS NOT NULL AS archived FROM promotion WHERE id = ${id}::uuid FOR UPDATE`;
    if (rows.length === 0 || rows[0].archived) throw notFound(`No promotion ${id}.`);
  }

  private write(
    topic: string,
    eventFor: EventFor,
    change: (tx: Prisma.TransactionClient) => Promise<PromotionRecord>,
  ): Promise<PromotionRecord> {
    return writeWithEvents(
      this.db,
      topic,
      change,
      (r) => [eventFor(r)],
      () => conflict('Another promotion already uses this coupon code.'),
    );
  }
}
