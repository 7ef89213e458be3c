// Staff change when slots run: templates (weekly windows, capacity, cut-off) and closures
// (holidays, a zone or store shut for a while). Input is checked here; listings of what changed
// are evicted at once (and again by the delivery.schedule_changed event on every replica).
import { AppError, ErrorCode, requireRole, type Identity, type Logger, isUuid } from '@grocery/platform';
import type {
  ClosureRecord,
  ScheduleStore,
  TemplateChange,
  TemplateInput,
  TemplateRecord,
} from '../data/schedule-store';
import type { SlotService } from './slot-service';
import type { ZoneDirectory } from './zone-directory';

const MAX_CLOSURE_DAYS = 366;

const bad = (message: string, field: string) => new AppError(ErrorCode.BAD_USER_INPUT, message, { field });

function checkWeekdays(weekdays: number[]): void {
  if (weekdays.length === 0 || weekdays.length > 7 || weekdays.some((d) => !Number.isInteger(d) || d < 1 || d > 7))
    throw bad('weekdays are 1 (Monday) to 7 (Sunday), at least one.', 'weekdays');
}

function checkCounts(change: Partial<Pick<TemplateInput, 'capacity' | 'itemCapacity' | 'cutoffMinutes'>>): void {
  if (
    change.capacity !== undefined &&
    (!Number.isInteger(change.capacity) || change.capacity < 0 || change.capacity > 100_000)
  )
    throw bad('capacity must be between 0 and 100000.', 'capacity');
  if (
    change.itemCapacity !== undefined &&
    change.itemCapacity !== null &&
    (!Number.isInteger(change.itemCapacity) || change.itemCapacity < 1 || change.itemCapacity > 1_000_000)
  )
    throw bad('itemCapacity must be between 1 and 1000000.', 'itemCapacity');
  if (
    change.cutoffMinutes !== undefined &&
    (!Number.isInteger(change.cutoffMinutes) || change.cutoffMinutes < 0 || change.cutoffMinutes > 7 * 24 * 60)
  )
    throw bad('cutoffMinutes must be between 0 and 10080.', 'cutoffMinutes');
}

export class ScheduleService {
  constructor(
    private readonly store: ScheduleStore,
    private readonly zones: ZoneDirectory,
    private readonly slots: SlotService,
    private readonly logger: Logger,
    private readonly afterCommit: () => void,
    private readonly now: () => Date = () => new Date(),
  ) {}

  templates(identity: Identity | undefined, filter: { zoneId?: string | null; locationId?: string | null }) {
    requireRole(identity, 'staff');
    return this.store.templates(filter);
  }

  async createTemplate(identity: Identity | undefined, input: TemplateInput): Promise<TemplateRecord> {
    requireRole(identity, 'staff');
    if ((input.zoneId ? 1 : 0) + (input.locationId ? 1 : 0) !== 1)
      throw bad('A template is for exactly one of zoneId (delivery) or locationId (pickup).', 'zoneId');
    if (input.kind === 'DELIVERY' && !input.zoneId) throw bad('A delivery template needs a zoneId.', 'zoneId');
    if (input.kind === 'PICKUP' && !input.locationId) throw bad('A pickup template needs a locationId.', 'locationId');
    if (input.zoneId && !(await this.zones.get(input.zoneId)))
      throw new AppError(ErrorCode.NOT_FOUND, `No delivery zone ${input.zoneId}.`, { field: 'zoneId' });
    if (input.locationId && input.locationId.length > 100) throw bad('locationId is too long.', 'locationId');
    checkWeekdays(input.weekdays);
    checkCounts(input);
    const { startMinute, endMinute, windowMinutes } = input;
    if (
      ![startMinute, endMinute, windowMinutes].every(Number.isInteger) ||
      startMinute < 0 ||
      endMinute > 1440 ||
      startMinute >= endMinute
    )
      throw bad('startMinute and endMinute are minutes after local midnight, start before end.', 'startMinute');
    if (windowMinutes < 15 || windowMinutes > endMinute - startMinute)
      throw bad('windowMinutes must be at least 15 and fit between start and end.', 'windowMinutes');
    const created = await this.store.createTemplate(input);
    await this.changed(created.zoneId, created.locationId);
    return created;
  }

  async updateTemplate(
    identity: Identity | undefined,
    id: string,
    change: TemplateChange,
  ): Promise<{ template: TemplateRecord; slotsKept: number }> {
    requireRole(identity, 'staff');
    if (change.weekdays) checkWeekdays(change.weekdays);
    checkCounts(change);
    const updated = isUuid(id) ? await this.store.updateTemplate(id, change, this.now()) : null;
    if (!updated) throw new AppError(ErrorCode.NOT_FOUND, `No slot template ${id}.`, { field: 'id' });
    await this.changed(updated.template.zoneId, updated.template.locationId);
    return updated;
  }

  closures(identity: Identity | undefined, from: Date, to: Date): Promise<ClosureRecord[]> {
    requireRole(identity, 'staff');
    if (!(from < to)) throw bad('from must be before to.', 'from');
    return this.store.closures(from, to);
  }

  async addClosure(identity: Identity | undefined, input: Omit<ClosureRecord, 'id'>): Promise<ClosureRecord> {
    requireRole(identity, 'staff');
    if (!(input.startsAt < input.endsAt)) throw bad('startsAt must be before endsAt.', 'startsAt');
    if (input.endsAt.getTime() - input.startsAt.getTime() > MAX_CLOSURE_DAYS * 86_400_000)
      throw bad(`A closure lasts at most ${MAX_CLOSURE_DAYS} days.`, 'endsAt');
    for (const [field, text] of [
      ['reasonEn', input.reasonEn],
      ['reasonVi', input.reasonVi],
    ] as const)
      if (!text.trim() || text.length > 200) throw bad(`${field} is required (at most 200 characters).`, field);
    if (input.zoneId && !(await this.zones.get(input.zoneId)))
      throw new AppError(ErrorCode.NOT_FOUND, `No delivery zone ${input.zoneId}.`, { field: 'zoneId' });
    const created = await this.store.addClosure(input);
    await this.changed(created.zoneId, created.locationId);
    return created;
  }

  async removeClosure(identity: Identity | undefined, id: string): Promise<ClosureRecord> {
    requireRole(identity, 'staff');
    const removed = isUuid(id) ? await this.store.removeClosure(id) : null;
    if (!removed) throw new AppError(ErrorCode.NOT_FOUND, `No closure ${id}.`, { field: 'id' });
    await this.changed(removed.zoneId, removed.locationId);
    return removed;
  }

  private async changed(zoneId: string | null, locationId: string | null): Promise<void> {
    this.afterCommit();
    await this.slots
      .evictSchedule(zoneId, locationId)
      .catch((err) =>
        this.logger.warn({ err }, 'slot listing cache: eviction failed; the schedule event evicts it again'),
      );
  }
}
