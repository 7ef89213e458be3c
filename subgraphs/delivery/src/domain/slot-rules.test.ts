// Slot rules and local time at the edges: windows across the local day boundary (Asia/Ho_Chi_Minh
// is UTC+7, so local midnight is 17:00 UTC the day before), cut-off, closures, fees.
import { addDays, atLocal, isLocalDay, isoWeekday, localDay, localMinute } from './local-time';
import {
  daysFrom,
  feeFor,
  nextBookable,
  serviceLevel,
  slotState,
  windowsOn,
  type Slot,
  type SlotTemplateRule,
} from './slot-rules';

const template = (over: Partial<SlotTemplateRule> = {}): SlotTemplateRule => ({
  id: 't1',
  kind: 'DELIVERY',
  zoneId: 'z',
  locationId: null,
  weekdays: [1, 2, 3, 4, 5, 6, 7],
  startMinute: 7 * 60,
  endMinute: 21 * 60,
  windowMinutes: 120,
  capacity: 20,
  itemCapacity: null,
  cutoffMinutes: 60,
  express: false,
  ...over,
});

const slot = (startsAt: string, over: Partial<Slot> = {}): Slot => {
  const s = new Date(startsAt);
  return {
    id: startsAt,
    templateId: 't1',
    kind: 'DELIVERY',
    zoneId: 'z',
    locationId: null,
    startsAt: s,
    endsAt: new Date(s.getTime() + 2 * 3_600_000),
    cutoffAt: new Date(s.getTime() - 3_600_000),
    capacity: 20,
    itemCapacity: null,
    taken: 0,
    takenItems: 0,
    express: false,
    closure: null,
    ...over,
  };
};

const fees = { express: 45_000, sameDay: 25_000, nextDay: 15_000, freeAbove: 500_000 };

describe('local time in Asia/Ho_Chi_Minh', () => {
  it('puts 16:59 UTC on the local day it is and 17:00 UTC on the next', () => {
    expect(localDay(new Date('2026-12-07T16:59:59Z'))).toBe('2026-12-07');
    expect(localDay(new Date('2026-12-07T17:00:00Z'))).toBe('2026-12-08');
    expect(localMinute(new Date('2026-12-07T17:30:00Z'))).toBe(30);
  });

  it('turns local minutes into UTC instants, midnight included', () => {
    expect(atLocal('2026-12-08', 0).toISOString()).toBe('2026-12-07T17:00:00.000Z');
    expect(atLocal('2026-12-08', 7 * 60).toISOString()).toBe('2026-12-08T00:00:00.000Z');
    expect(atLocal('2026-12-08', 1440).toISOString()).toBe('2026-12-08T17:00:00.000Z');
  });

  it('counts days and weekdays across month and year ends', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(isoWeekday('2026-12-07')).toBe(1); // a Monday
    expect(isoWeekday('2026-12-13')).toBe(7);
    expect(isLocalDay('2026-02-30')).toBe(false);
    expect(isLocalDay('2026-02-28')).toBe(true);
  });
});

describe('slot rules', () => {
  it('makes 2-hour windows 07:00–21:00 local, each with its cut-off, only on the template’s weekdays', () => {
    const windows = windowsOn(template(), '2026-12-08');
    expect(windows).toHaveLength(7);
    expect(windows[0].startsAt.toISOString()).toBe('2026-12-08T00:00:00.000Z');
    expect(windows[6].endsAt.toISOString()).toBe('2026-12-08T14:00:00.000Z');
    expect(windows[0].cutoffAt.toISOString()).toBe('2026-12-07T23:00:00.000Z');
    expect(windowsOn(template({ weekdays: [1] }), '2026-12-08')).toEqual([]); // a Tuesday
    // A window that would end past endMinute is not made.
    expect(windowsOn(template({ startMinute: 20 * 60, endMinute: 21 * 60 + 30 }), '2026-12-08')).toHaveLength(0);
  });

  it('a late window ends at local midnight, on its own local day', () => {
    const [late] = windowsOn(template({ startMinute: 22 * 60, endMinute: 1440 }), '2026-12-08');
    expect(late.startsAt.toISOString()).toBe('2026-12-08T15:00:00.000Z');
    expect(late.endsAt.toISOString()).toBe('2026-12-08T17:00:00.000Z');
    expect(localDay(late.startsAt)).toBe('2026-12-08');
  });

  it('is bookable only while open: not past, not closed, before its cut-off, with capacity', () => {
    const s = slot('2026-12-08T03:00:00Z'); // 10:00 local, cut-off 09:00 local
    expect(slotState(s, new Date('2026-12-08T01:59:59Z'))).toBe('OPEN');
    expect(slotState(s, new Date('2026-12-08T02:00:00Z'))).toBe('CUT_OFF');
    expect(slotState(s, new Date('2026-12-08T03:00:00Z'))).toBe('PAST');
    expect(slotState({ ...s, taken: 20 }, new Date('2026-12-08T01:00:00Z'))).toBe('FULL');
    expect(slotState({ ...s, itemCapacity: 100, takenItems: 95 }, new Date('2026-12-08T01:00:00Z'), 6)).toBe('FULL');
    expect(slotState({ ...s, closure: { reasonEn: 'Tết', reasonVi: 'Tết' } }, new Date('2026-12-08T01:00:00Z'))).toBe(
      'CLOSED',
    );
  });

  it('charges by service level, same-day by the local date, free above the threshold except express', () => {
    const lateTonight = slot('2026-12-08T14:00:00Z'); // 21:00 local on the 8th
    const tomorrowMorning = slot('2026-12-09T00:00:00Z');
    const now = new Date('2026-12-08T10:00:00Z'); // 17:00 local
    expect(serviceLevel(lateTonight, now)).toBe('SAME_DAY');
    expect(serviceLevel(tomorrowMorning, now)).toBe('NEXT_DAY');
    // 23:30 local on the 8th is 16:30 UTC: the 9th's morning is still next-day.
    expect(serviceLevel(tomorrowMorning, new Date('2026-12-08T16:30:00Z'))).toBe('NEXT_DAY');
    // 00:30 local on the 9th is 17:30 UTC on the 8th: the same morning is now same-day.
    expect(serviceLevel(tomorrowMorning, new Date('2026-12-08T17:30:00Z'))).toBe('SAME_DAY');
    expect(feeFor(lateTonight, now, fees)).toBe(25_000);
    expect(feeFor(tomorrowMorning, now, fees, 499_999)).toBe(15_000);
    expect(feeFor(tomorrowMorning, now, fees, 500_000)).toBe(0);
    expect(feeFor({ ...lateTonight, express: true }, now, fees, 900_000)).toBe(45_000);
    expect(feeFor({ ...lateTonight, kind: 'PICKUP' }, now, fees)).toBe(0);
  });

  it('offers the next open slots after a full one, today’s before tomorrow’s', () => {
    const now = new Date('2026-12-08T01:00:00Z');
    const slots = [
      slot('2026-12-08T03:00:00Z', { taken: 20 }),
      slot('2026-12-08T05:00:00Z', { closure: { reasonEn: 'x', reasonVi: 'x' } }),
      slot('2026-12-09T00:00:00Z'),
      slot('2026-12-08T07:00:00Z'),
    ];
    expect(nextBookable(slots, slots[0].startsAt, now, 3, slots[0].id).map((s) => s.id)).toEqual([
      '2026-12-08T07:00:00Z',
      '2026-12-09T00:00:00Z',
    ]);
  });

  it('lists local days from today', () => {
    expect(daysFrom(new Date('2026-12-08T17:30:00Z'), 2)).toEqual(['2026-12-09', '2026-12-10']);
  });
});
