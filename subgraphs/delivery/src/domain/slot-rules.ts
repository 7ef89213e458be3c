// The rules of slots, with nothing else in this file: which windows a template makes on a day,
// whether a slot can be held now, which service level (and so which fee) it is, and which slots to
// offer instead of a full one.
//   - A slot is bookable while it is not closed, not full, and its cut-off (N minutes before the
//     window starts) has not passed; a window that has started is past.
//   - Pickup is free; express windows cost the express fee; any other delivery window is
//     same-day on today's local date and next-day after it; an order worth at least the
//     free-delivery threshold pays no same-day or next-day fee (express is always charged).
//   - Instead of a full slot: the next bookable slots of the same zone or location, today's first
//     and then the following days'.
import { addDays, atLocal, isoWeekday, localDay, type LocalDay } from './local-time';

export type SlotKind = 'DELIVERY' | 'PICKUP';
export type SlotState = 'OPEN' | 'FULL' | 'CLOSED' | 'CUT_OFF' | 'PAST';
export type ServiceLevel = 'EXPRESS' | 'SAME_DAY' | 'NEXT_DAY' | 'PICKUP';

export interface SlotTemplateRule {
  id: string;
  kind: SlotKind;
  zoneId: string | null;
  locationId: string | null;
  weekdays: number[];
  startMinute: number;
  endMinute: number;
  windowMinutes: number;
  capacity: number;
  itemCapacity: number | null;
  cutoffMinutes: number;
  express: boolean;
}

export interface SlotWindow {
  startsAt: Date;
  endsAt: Date;
  cutoffAt: Date;
}

export interface Slot {
  id: string;
  templateId: string;
  kind: SlotKind;
  zoneId: string | null;
  locationId: string | null;
  startsAt: Date;
  endsAt: Date;
  cutoffAt: Date;
  capacity: number;
  itemCapacity: number | null;
  taken: number;
  takenItems: number;
  express: boolean;
  /** The closure covering the window, if any. */
  closure: { reasonEn: string; reasonVi: string } | null;
}

export interface Fees {
  express: number;
  sameDay: number;
  nextDay: number;
  /** Orders worth at least this (integer VND) pay no same-day or next-day fee. */
  freeAbove: number;
}

/** The windows `template` makes on local `day` (none on a weekday it does not run). */
export function windowsOn(template: SlotTemplateRule, day: LocalDay): SlotWindow[] {
  if (!template.weekdays.includes(isoWeekday(day))) return [];
  const out: SlotWindow[] = [];
  for (let m = template.startMinute; m + template.windowMinutes <= template.endMinute; m += template.windowMinutes) {
    const startsAt = atLocal(day, m);
    out.push({
      startsAt,
      endsAt: atLocal(day, m + template.windowMinutes),
      cutoffAt: new Date(startsAt.getTime() - template.cutoffMinutes * 60_000),
    });
  }
  return out;
}

export function remaining(slot: Slot): number {
  return Math.max(0, slot.capacity - slot.taken);
}

export function slotState(slot: Slot, now: Date, items = 0): SlotState {
  if (slot.startsAt.getTime() <= now.getTime()) return 'PAST';
  if (slot.closure) return 'CLOSED';
  if (slot.cutoffAt.getTime() <= now.getTime()) return 'CUT_OFF';
  if (slot.taken >= slot.capacity) return 'FULL';
  if (slot.itemCapacity !== null && slot.takenItems + items > slot.itemCapacity) return 'FULL';
  return 'OPEN';
}

export function serviceLevel(slot: Pick<Slot, 'kind' | 'express' | 'startsAt'>, now: Date): ServiceLevel {
  if (slot.kind === 'PICKUP') return 'PICKUP';
  if (slot.express) return 'EXPRESS';
  return localDay(slot.startsAt) === localDay(now) ? 'SAME_DAY' : 'NEXT_DAY';
}

/** The fee for `slot` (integer VND); `orderValue` unknown → the fee before any free-delivery threshold. */
export function feeFor(
  slot: Pick<Slot, 'kind' | 'express' | 'startsAt'>,
  now: Date,
  fees: Fees,
  orderValue?: number | null,
): number {
  const level = serviceLevel(slot, now);
  if (level === 'PICKUP') return 0;
  if (level === 'EXPRESS') return fees.express;
  if (orderValue !== undefined && orderValue !== null && orderValue >= fees.freeAbove) return 0;
  return level === 'SAME_DAY' ? fees.sameDay : fees.nextDay;
}

/** The local days a listing of `days` days starting today covers. */
export function daysFrom(now: Date, days: number): LocalDay[] {
  const today = localDay(now);
  return Array.from({ length: days }, (_, i) => addDays(today, i));
}

/** Up to `n` bookable slots starting after `after`, earliest first (same-day before next-day). */
export function nextBookable(slots: readonly Slot[], after: Date, now: Date, n: number, exceptId?: string): Slot[] {
  return slots
    .filter((s) => s.id !== exceptId && s.startsAt.getTime() >= after.getTime() && slotState(s, now) === 'OPEN')
    .sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime())
    .slice(0, n);
}
