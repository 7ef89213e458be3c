import { businessDayOf } from './business-day';

describe('businessDayOf', () => {
  it('counts an instant on its Ho Chi Minh City calendar day, not its UTC day', () => {
    expect(businessDayOf(new Date('2026-11-25T16:59:59.999Z'))).toBe('2026-11-25');
    expect(businessDayOf(new Date('2026-11-25T17:00:00.000Z'))).toBe('2026-11-26');
    expect(businessDayOf(new Date('2026-12-31T23:30:00+07:00'))).toBe('2026-12-31');
    expect(businessDayOf(new Date('2026-12-31T17:30:00Z'))).toBe('2027-01-01');
  });
});
