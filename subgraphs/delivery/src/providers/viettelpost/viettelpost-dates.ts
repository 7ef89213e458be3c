// ViettelPost writes times as "dd/MM/yyyy HH:mm:ss" in Vietnam time (UTC+7, no daylight saving).

export function vietnamTime(text: string): Date | undefined {
  const m = /^(\d{2})\/(\d{2})\/(\d{4}) (\d{2}):(\d{2}):(\d{2})$/.exec(text.trim());
  if (!m) return undefined;
  const [, dd, mm, yyyy, hh, mi, ss] = m.map(Number) as [number, number, number, number, number, number, number];
  return new Date(Date.UTC(yyyy, mm - 1, dd, hh - 7, mi, ss));
}

export function vietnamDate(at: Date): string {
  const local = new Date(at.getTime() + 7 * 3_600_000);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(local.getUTCDate())}/${p(local.getUTCMonth() + 1)}/${local.getUTCFullYear()} ${p(local.getUTCHours())}:${p(local.getUTCMinutes())}:${p(local.getUTCSeconds())}`;
}

export function parseEta(text: string | undefined): Date | undefined {
  if (!text) return undefined;
  const at = vietnamTime(text) ?? new Date(text);
  return Number.isFinite(at.getTime()) ? at : undefined;
}
