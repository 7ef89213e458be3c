// Staff's side of slots: templates (weekly windows per zone or pickup location) and closures
// (holidays, a zone or store shut for a while). Each change is written with a
// delivery.schedule_changed event, so every listing cache of the zone or location is evicted.
import { appendToOutbox, type SqlClient } from '@grocery/platform';
import { randomUUID } from 'node:crypto';
import type { SlotKind, SlotTemplateRule } from '../domain/slot-rules';
import { DELIVERY_TOPIC, deliveryEvent, DeliveryEventType, type ScheduleChangedData } from '../events/delivery-events';
import type { DeliveryDb } from './db';

export interface TemplateRecord extends SlotTemplateRule {
  active: boolean;
  createdAt: Date;
  updatedAt: Date;
}

export interface ClosureRecord {
  id: string;
  zoneId: string | null;
  locationId: string | null;
  startsAt: Date;
  endsAt: Date;
  reasonEn: string;
  reasonVi: string;
}

export type TemplateInput = Omit<SlotTemplateRule, 'id'>;
export type TemplateChange = Partial<
  Pick<SlotTemplateRule, 'capacity' | 'itemCapacity' | 'cutoffMinutes' | 'weekdays'>
> & {
  active?: boolean;
};

const scheduleChanged = (zoneId: string | null, locationId: string | null) => {
  const data: ScheduleChangedData = { zoneId, locationId };
  return deliveryEvent(DeliveryEventType.scheduleChanged, zoneId ?? locationId ?? 'all', data);
};

export class ScheduleStore {
  constructor(private readonly db: DeliveryDb) {}

  async templates(filter: { zoneId?: string | null; locationId?: string | null }): Promise<TemplateRecord[]> {
    const rows = await this.db.slotTemplate.findMany({
      where: {
        ...(filter.zoneId ? { zoneId: filter.zoneId } : {}),
        ...(filter.locationId ? { locationId: filter.locationId } : {}),
      },
      orderBy: [{ zoneId: 'asc' }, { locationId: 'asc' }, { startMinute: 'asc' }],
      take: 500,
    });
    return rows.map((t) => ({ ...t, kind: t.kind as SlotKind }));
  }

  async createTemplate(input: TemplateInput): Promise<TemplateRecord> {
    return this.db.$transaction(async (tx) => {
      const row = await tx.slotTemplate.create({ data: { id: randomUUID(), ...input } });
      await appendToOutbox(tx as unknown as SqlClient, DELIVERY_TOPIC, [scheduleChanged(row.zoneId, row.locationId)]);
      return { ...row, kind: row.kind as SlotKind };
    });
  }

  /**
   * Changes a template. A new capacity also applies to its future slots that have no more taken
   * than it; the others keep theirs (lowering below what is booked is refused per slot) and are
   * counted in `slotsKept`.
   */
  async updateTemplate(
    id: string,
    change: TemplateChange,
    now: Date,
  ): Promise<{ template: TemplateRecord; slotsKept: number } | null> {
    return this.db.$transaction(async (tx) => {
      const existing = await tx.slotTemplate.findUnique({ where: { id } });
      if (!existing) return null;
      const row = await tx.slotTemplate.update({ where: { id }, data: change });
      let slotsKept = 0;
      if (change.capacity !== undefined) {
        const sql = tx as unknown as SqlClient;
        await sql.$executeRawUnsafe(
          'UPDATE slot SET capacity = $2 WHERE template_id = $1::uuid AND starts_at > $3 AND taken <= $2',
          id,
          change.capacity,
          now,
        );
        const [{ kept }] = await sql.$queryRawUnsafe<{ kept: number }[]>(
          'SELECT count(*)::int AS kept FROM slot WHERE template_id = $1::uuid AND starts_at > $3 AND capacity <> $2',
          id,
          change.capacity,
          now,
        );
        slotsKept = kept;
      }
      if (change.cutoffMinutes !== undefined)
        await (tx as unknown as SqlClient).$executeRawUnsafe(
          `UPDATE slot SET cutoff_at = starts_at - make_interval(mins => $2) WHERE template_id = $1::uuid AND starts_at > $3`,
          id,
          change.cutoffMinutes,
          now,
        );
      await appendToOutbox(tx as unknown as SqlClient, DELIVERY_TOPIC, [scheduleChanged(row.zoneId, row.locationId)]);
      return { template: { ...row, kind: row.kind as SlotKind }, slotsKept };
    });
  }

  async closures(from: Date, to: Date): Promise<ClosureRecord[]> {
    return this.db.closure.findMany({
      where: { startsAt: { lt: to }, endsAt: { gt: from } },
      orderBy: { startsAt: 'asc' },
      take: 500,
    });
  }

  async addClosure(input: Omit<ClosureRecord, 'id'>): Promise<ClosureRecord> {
    return this.db.$transaction(async (tx) => {
      const row = await tx.closure.create({ data: { id: randomUUID(), ...input } });
      await appendToOutbox(tx as unknown as SqlClient, DELIVERY_TOPIC, [scheduleChanged(row.zoneId, row.locationId)]);
      return row;
    });
  }

  async removeClosure(id: string): Promise<ClosureRecord | null> {
    return this.db.$transaction(async (tx) => {
      const row = await tx.closure.findUnique({ where: { id } });
      if (!row) return null;
      await tx.closure.delete({ where: { id } });
      await appendToOutbox(tx as unknown as SqlClient, DELIVERY_TOPIC, [scheduleChanged(row.zoneId, row.locationId)]);
      return row;
    });
  }
}
