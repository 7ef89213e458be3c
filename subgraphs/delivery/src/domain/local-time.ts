// Slots and business days are in Asia/Ho_Chi_Minh; storage is UTC. Vietnam has kept UTC+7 without
// daylight saving since 1975, but nothing here assumes it: the offset of each local day is read
// from the time-zone database (Intl), so a day is always [local midnight, next local midnight).
export const TIME_ZONE = 'Asia/Ho_Chi_Minh';

const parts = new Intl.DateTimeFormat('en-CA', {
  timeZone: TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

/** A local calendar day, "YYYY-MM-DD". */
export type LocalDay = string;
const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

function fields(at: Date): Record<string, number> {
  const out: Record<string, number> = {};
  for (const p of parts.formatToParts(at)) if (p.type !== 'literal') out[p.type] = Number(p.value);
  return out;
}

/** Minutes the zone is ahead of UTC at `at`. */
function offsetMinutes(at: Date): number {
  const f = fields(at);
  const asUtc = Date.UTC(f.year, f.month - 1, f.day, f.hour, f.minute, f.second);
  return Math.round((asUtc - Math.floor(at.getTime() / 1000) * 1000) / 60_000);
}

/** The local day `at` falls on. */
export function localDay(at: Date): LocalDay {
  const f = fields(at);
  return `${f.year}-${String(f.month).padStart(2, '0')}-${String(f.day).padStart(2, '0')}`;
}

/** Minutes since local midnight at `at`. */
export function localMinute(at: Date): number {
  const f = fields(at);
  return f.hour * 60 + f.minute;
}

/** The instant that is `minute` minutes after local midnight of `day` (minute may be 1440: next midnight). */
export function atLocal(day: LocalDay, minute: number): Date {
  const m = DAY.exec(day);
  if (!m) throw new Error(`not a local day: ${day}`);
  const naive = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), 0, minute);
  // The offset at the naive instant, then corrected once (exact for any zone away from a transition).
  const first = naive - offsetMinutes(new Date(naive)) * 60_000;
  return new Date(naive - offsetMinutes(new Date(first)) * 60_000);
}

export function addDays(day: LocalDay, n: number): LocalDay {
  const m = DAY.exec(day);
  if (!m) throw new Error(`not a local day: ${day}`);
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + n));
  return d.toISOString().slice(0, 10);
}

/** ISO weekday of a local day: 1 = Monday … 7 = Sunday. */
export function isoWeekday(day: LocalDay): number {
  const m = DAY.exec(day);
  if (!m) throw new Error(`not a local day: ${day}`);
  const w = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))).getUTCDay();
  return w === 0 ? 7 : w;
}

export function isLocalDay(value: string): boolean {
  const m = DAY.exec(value);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === value;
}
