// Business days are Asia/Ho_Chi_Minh calendar days (UTC+7, no daylight saving): an order placed
// at 23:30 UTC counts for the next day in Vietnam.
const VIETNAM_DATE = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Asia/Ho_Chi_Minh',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** The business day of an instant, as YYYY-MM-DD. */
export function businessDayOf(instant: Date): string {
  return VIETNAM_DATE.format(instant);
}
